import { err, ok } from '@sagasync/core';
import type { InputIssue, LibraryRecords, Result } from '@sagasync/core';
import { exportFormatLabel, type ExportFormat } from './export-format.js';
import type { RowOutcome } from './formats/row-format.js';
import { IssueList, MAX_LISTED_ISSUES } from './issues.js';
import { RecordsBuilder } from './records/records-builder.js';
import { safeIssue } from './values/quote.js';

export interface ParseOptions {
  /** Read the file as this format instead of detecting it. */
  format?: ExportFormat;
  /** Import the valid rows and report the invalid ones, instead of rejecting the whole file. */
  skipInvalid?: boolean;
  /** Called with the number of data rows read so far, every 1,000 rows and at the end. */
  onProgress?: (rows: number) => void;
  /** JSON files are read whole; larger ones are refused. Default 256 MiB. */
  maxJsonBytes?: number;
  /**
   * Names the input in issues and notes, and helps tell a wishlist (a name containing "wish").
   * Default: the path given (`stdin` for `-`).
   */
  fileName?: string;
  /** Read for the path `-`. Default: `process.stdin`. Any async iterable of bytes (a Node `Readable`). */
  stdin?: AsyncIterable<Uint8Array | string>;
  /** Where a stream (stdin, a pipe, a FIFO) is copied while it is read. Default: the system's temporary folder. */
  tempDirectory?: string;
}

export interface ParsedExport {
  format: ExportFormat;
  formatLabel: string;
  records: LibraryRecords;
  /** Data rows read (JSON: array elements, or volumes of a series-metadata file), valid or not. */
  rows: number;
  /**
   * The problems of the rows left out (the first 100): with `skipInvalid`, and always for the items
   * of an Audible API dump (a malformed item is skipped, as a live sync skips it). Otherwise empty.
   */
  invalid: InputIssue[];
  /** Rows left out as invalid. */
  invalidRows: number;
  /** Issues beyond the listed ones. */
  omittedIssues: number;
  /**
   * Problems worked around, the data kept (the first 100): a name list where every name carries a
   * role, a finish time that could not be read, an Audible item left out (named by ASIN).
   */
  warnings: InputIssue[];
  /** What the parser did that the user may want to know: format detected, columns ignored, rows skipped. */
  notes: string[];
}

export interface ParseFailure {
  /** Each names the file and the line and column, or the JSON path, and the value. At most 100. */
  issues: InputIssue[];
  /** Issues found beyond the listed ones. */
  omittedIssues: number;
  /** The format the file was read as, or null when it could not be told. */
  format: ExportFormat | null;
}

export type ParseResult = Result<ParsedExport, ParseFailure>;

const PROGRESS_EVERY = 1000;

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** The state of one parse: counts, issues, warnings, notes and the records being built. */
export class Session {
  readonly issues = new IssueList();
  readonly warnings = new IssueList();
  readonly builder = new RecordsBuilder();
  readonly notes: string[] = [];
  readonly skipped = new Map<string, number>();
  rows = 0;
  invalidRows = 0;
  /** How a repeated ASIN is described in the notes. */
  duplicateNote = (count: number) => `merged ${plural(count, 'row', 'rows')} repeating an ASIN read before`;
  /** How rows left out are described in the notes. */
  invalidNote = (count: number) => `left out ${plural(count, 'invalid row', 'invalid rows')} (see invalid)`;

  /**
   * @param skipsInvalid Rows with problems are left out even without `skipInvalid` (the items of an
   *   Audible API dump).
   */
  constructor(
    readonly file: string,
    readonly format: ExportFormat,
    readonly options: ParseOptions,
    private readonly skipsInvalid = false,
  ) {}

  get skipInvalid(): boolean {
    return this.skipsInvalid || this.options.skipInvalid === true;
  }

  /** Counts a data row and reports progress. */
  row(): void {
    this.rows++;
    if (this.rows % PROGRESS_EVERY === 0) this.options.onProgress?.(this.rows);
  }

  accept(outcome: RowOutcome): void {
    if (outcome === null) this.invalid();
    else if ('skipped' in outcome) this.skipped.set(outcome.skipped, (this.skipped.get(outcome.skipped) ?? 0) + 1);
    else this.builder.addTitle(outcome.title, outcome.progress);
  }

  invalid(): void {
    this.invalidRows++;
    // Strict: nothing of this file will be imported, so stop holding records, but keep reading to
    // report every problem at once.
    if (!this.skipInvalid && this.invalidRows === 1) this.builder.discard();
  }

  finish(): ParseResult {
    this.options.onProgress?.(this.rows);
    if (this.issues.total > 0 && !this.skipInvalid) {
      return err({ issues: this.issues.listed, omittedIssues: this.issues.omitted, format: this.format });
    }
    for (const [what, count] of this.skipped) this.notes.push(`skipped ${count} ${what} ${count === 1 ? 'row' : 'rows'} (not books)`);
    if (this.builder.duplicates > 0) this.notes.push(this.duplicateNote(this.builder.duplicates));
    if (this.invalidRows > 0) this.notes.push(this.invalidNote(this.invalidRows));
    if (this.warnings.total > 0) {
      const listed = this.warnings.omitted > 0 ? `, the first ${this.warnings.listed.length} listed` : '';
      this.notes.push(`${plural(this.warnings.total, 'warning', 'warnings')}: problems worked around (see warnings${listed})`);
    }
    return ok({
      format: this.format,
      formatLabel: exportFormatLabel(this.format),
      records: this.builder.build(),
      rows: this.rows,
      invalid: this.issues.listed,
      invalidRows: this.invalidRows,
      omittedIssues: this.issues.omitted,
      warnings: this.warnings.listed,
      notes: this.notes,
    });
  }
}

/** A failure of the whole file; every issue made safe to print (`safeIssue`), at most 100. */
export function failure(issues: readonly InputIssue[], format: ExportFormat | null = null, omitted = 0): ParseResult {
  return err({
    issues: issues.slice(0, MAX_LISTED_ISSUES).map(safeIssue),
    omittedIssues: omitted + Math.max(0, issues.length - MAX_LISTED_ISSUES),
    format,
  });
}
