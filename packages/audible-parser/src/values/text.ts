import { Invalid, type Parsed } from './parsed.js';

const NOT_TEXT = new Invalid('expected text');

/** Trimmed text; `null` when empty or absent. JSON numbers and booleans are accepted as text. */
export function parseText(value: unknown): Parsed<string> {
  if (typeof value === 'string') {
    const text = value.trim();
    return text === '' ? null : text;
  }
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return NOT_TEXT;
}

/** audible-cli writes `-` for a missing cover URL, rating or rating count. */
export function parseTextOrDash(value: unknown): Parsed<string> {
  const text = parseText(value);
  return text === '-' ? null : text;
}

/**
 * A copy of `text` that does not hold on to the string it was cut from. Cells are slices of a
 * whole decoded chunk; V8 keeps a slice (13 characters or more) as a view that holds the chunk
 * alive, so a record keeping one title would keep its 128 KB chunk. Shorter slices are copies.
 */
export function detach(text: string): string {
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
}
