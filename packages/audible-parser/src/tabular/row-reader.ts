import type { InputIssue } from '@sagasync/core';
import type { IssueList } from '../issues.js';
import { jsonPathKey } from '../json/json-path.js';
import { displayValue, Invalid, type Parsed } from '../values/parsed.js';
import { detach } from '../values/text.js';

/**
 * One row of a file, addressed by field number, reused from row to row. Value parsing goes through
 * `parse`/`require`, which turn an `Invalid` into an issue located at this row and field: line and
 * column for delimited text, a JSON path for JSON. A row with any issue is invalid.
 */
export abstract class RowReader {
  protected cells: ArrayLike<unknown> = [];
  protected index: Int32Array;
  protected names: readonly string[];
  /** Issues reported for the current row. */
  failures = 0;

  constructor(
    readonly file: string,
    protected readonly issues: IssueList,
    index: Int32Array,
    names: readonly string[],
    /** Where `warn` reports: problems worked around, the row kept. */
    protected readonly warnings: IssueList | null = null,
  ) {
    this.index = index;
    this.names = names;
  }

  protected abstract where(field: number | null): Partial<InputIssue>;

  has(field: number): boolean {
    return this.index[field]! >= 0;
  }

  /** The raw value, or `undefined` when the file has no such column (or key). */
  get(field: number): unknown {
    const at = this.index[field]!;
    return at >= 0 ? this.cells[at] : undefined;
  }

  /** Reports something worked around at this row and field; the row stays valid. */
  warn(field: number | null, value: unknown, message: string): void {
    this.warnings?.add({ file: this.file, ...this.where(field), value: detach(displayValue(value)), message });
  }

  fail(field: number | null, value: unknown, message: string): void {
    this.failures++;
    this.issues.add({ file: this.file, ...this.where(field), value: detach(displayValue(value)), message });
  }

  /**
   * The parsed value; `undefined` when the column is absent, `null` when empty or invalid. A string is detached from
   * the chunk it was cut from (`detach`), as records keep it.
   */
  parse<T>(field: number, parser: (value: unknown) => Parsed<T>): T | null | undefined {
    const at = this.index[field]!;
    if (at < 0) return undefined;
    const raw = this.cells[at];
    const parsed = parser(raw);
    if (parsed instanceof Invalid) {
      this.fail(field, raw, parsed.message);
      return null;
    }
    return typeof parsed === 'string' ? (detach(parsed) as T) : parsed;
  }

  /** Like `parse`, but empty or absent is an issue too. */
  require<T>(field: number, parser: (value: unknown) => Parsed<T>, what: string): T | null {
    const at = this.index[field]!;
    const raw = at >= 0 ? this.cells[at] : undefined;
    const parsed = parser(raw);
    if (parsed instanceof Invalid) {
      this.fail(field, raw, parsed.message);
      return null;
    }
    if (parsed === null) {
      this.fail(field, raw, `missing ${what}`);
      return null;
    }
    return typeof parsed === 'string' ? (detach(parsed) as T) : parsed;
  }
}

/** A row of delimited text: issues name the line the row starts on and the column header. */
export class DelimitedRow extends RowReader {
  line = 0;

  start(cells: readonly string[], line: number): void {
    this.cells = cells;
    this.line = line;
    this.failures = 0;
  }

  protected where(field: number | null): Partial<InputIssue> {
    return field === null ? { line: this.line } : { line: this.line, column: this.names[field]! };
  }
}

/** An element of a JSON array of flat objects: issues name the path (`$[3].asin`). */
export class JsonRow extends RowReader {
  private position = 0;
  private readonly keys: string[];

  constructor(
    file: string,
    issues: IssueList,
    private readonly aliases: readonly (readonly string[])[],
    warnings: IssueList | null = null,
  ) {
    const fields = aliases.length;
    super(file, issues, Int32Array.from({ length: fields }, (_, i) => i), aliases.map((a) => a[0]!), warnings);
    this.keys = aliases.map((a) => a[0]!);
  }

  /** Points the reader at element `position` of the array. */
  start(element: Record<string, unknown>, position: number): void {
    this.position = position;
    this.failures = 0;
    const values: unknown[] = new Array(this.aliases.length);
    for (let f = 0; f < this.aliases.length; f++) {
      this.keys[f] = this.aliases[f]![0]!;
      for (const key of this.aliases[f]!) {
        if (Object.hasOwn(element, key)) {
          values[f] = element[key];
          this.keys[f] = key;
          break;
        }
      }
    }
    this.cells = values;
  }

  protected where(field: number | null): Partial<InputIssue> {
    return { path: field === null ? `$[${this.position}]` : `$[${this.position}]${jsonPathKey(this.keys[field]!)}` };
  }
}
