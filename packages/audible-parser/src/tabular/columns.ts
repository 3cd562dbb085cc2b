import type { InputIssue } from '@sagasync/core';
import { quoteText } from '../values/quote.js';

/** How much of one name a list shows: a header can be a whole 50 MB line of a broken file. */
const MAX_LISTED_NAME = 60;

/** One field a format reads, with every header spelling (and JSON key) it is known under. */
export interface ColumnSpec {
  readonly key: string;
  /** Header names as the tools write them; matched case- and space-insensitively. */
  readonly headers: readonly string[];
  /** JSON keys of the same field in the format's JSON variant; defaults to `headers`. */
  readonly json?: readonly string[];
  readonly required?: boolean;
  /** Known columns the parser does not import: neither mapped nor reported as unknown. */
  readonly ignored?: boolean;
}

/** `{ asin: 0, title: 1, ... }` from a spec list, so mappers address fields by name. */
export function fieldIndex<const S extends readonly ColumnSpec[]>(specs: S): { readonly [K in S[number]['key']]: number } {
  const out = new Map<string, number>();
  specs.forEach((spec, i) => out.set(spec.key, i));
  return Object.fromEntries(out) as { readonly [K in S[number]['key']]: number };
}

/** Header text compared without case, surrounding spaces or a byte-order mark. */
export function normaliseHeader(header: string): string {
  return header.replace(/^\uFEFF/, '').trim().replace(/\s+/g, ' ').toLowerCase();
}

export interface ColumnLayout {
  /** For each field of the spec, the 0-based column it is in, or -1 when the file lacks it. */
  readonly index: Int32Array;
  /** For each field, the header text as the file spells it (or the spec's first spelling). */
  readonly names: readonly string[];
  readonly headerCount: number;
  /** Headers no field reads, as spelled in the file; blank ones as `(column N)`. */
  readonly unknown: readonly string[];
}

/**
 * Maps a header row onto a format's fields by name, never by position. Missing required columns
 * and a field found under two headers are issues on line 1; unknown headers are only listed.
 * Lookups go through a Map, so headers such as `__proto__` are plain strings here.
 */
export function resolveColumns(headers: readonly string[], specs: readonly ColumnSpec[], file: string): { layout: ColumnLayout; issues: InputIssue[] } {
  const fieldByHeader = new Map<string, number>();
  specs.forEach((spec, field) => {
    for (const header of spec.headers) fieldByHeader.set(normaliseHeader(header), field);
  });
  const index = new Int32Array(specs.length).fill(-1);
  const names = specs.map((spec) => spec.headers[0] ?? spec.key);
  const unknown: string[] = [];
  const issues: InputIssue[] = [];
  headers.forEach((header, column) => {
    const field = fieldByHeader.get(normaliseHeader(header));
    if (field === undefined) {
      unknown.push(header.trim() === '' ? `(column ${column + 1})` : quoteText(header.trim(), MAX_LISTED_NAME));
      return;
    }
    if (specs[field]!.ignored) return;
    const previous = index[field]!;
    if (previous !== -1) {
      issues.push({
        file,
        line: 1,
        column: header.trim(),
        value: header,
        message: `column "${header.trim()}" (column ${column + 1}) repeats "${headers[previous]!.trim()}" (column ${previous + 1}); keep one of them`,
      });
      return;
    }
    index[field] = column;
    names[field] = header.trim();
  });
  specs.forEach((spec, field) => {
    if (spec.required && index[field] === -1) {
      issues.push({
        file,
        line: 1,
        column: spec.headers[0] ?? spec.key,
        value: shortenList(headers.map((h) => h.trim())),
        message: `missing required column "${spec.headers[0] ?? spec.key}"${spec.headers.length > 1 ? ` (also accepted: ${spec.headers.slice(1).map((h) => `"${h}"`).join(', ')})` : ''}`,
      });
    }
  });
  return { layout: { index, names, headerCount: headers.length, unknown }, issues };
}

/** `a, b, c and 12 more`, for notes and issue values that list names (each one shortened and escaped). */
export function shortenList(items: readonly string[], max = 20): string {
  const shown = items.slice(0, max).map((item) => quoteText(item, MAX_LISTED_NAME));
  if (items.length <= max) return shown.join(', ');
  return `${shown.join(', ')} and ${items.length - max} more`;
}
