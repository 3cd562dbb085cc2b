import { open, readFile } from 'node:fs/promises';
import { err, ok } from '@sagasync/core';
import type { InputIssue, LibraryRecords, Result } from '@sagasync/core';
import { detectDelimited, detectJson, type Detection } from './detect/detect-format.js';
import { HEAD_BYTES, sniffHead, type Sniffed } from './detect/sniff.js';
import { describeExportFormats, exportFormatLabel, formatContainer, type ExportFormat } from './export-format.js';
import { mapAudibleApiItem } from './formats/audible-api/map-item.js';
import { parseLibraryItem } from './formats/audible-api/map-items.js';
import { audibleCliLibrary, audibleCliWishlist } from './formats/audible-cli/map-row.js';
import { libation } from './formats/libation/map-row.js';
import { openAudible } from './formats/openaudible/map-row.js';
import type { RowFormat, RowMapper, RowOutcome } from './formats/row-format.js';
import { readSeriesMetadata } from './formats/series-metadata/map-file.js';
import { readSagasyncLibrary } from './formats/sagasync-library/read-file.js';
import { IssueList } from './issues.js';
import { parseJson } from './json/parse-json.js';
import { RecordsBuilder } from './records/records-builder.js';
import { resolveColumns, shortenList } from './tabular/columns.js';
import { readDelimited, type DelimitedSource } from './tabular/read-delimited.js';
import { DelimitedRow, JsonRow } from './tabular/row-reader.js';
import { displayValue } from './values/parsed.js';

export interface ParseOptions {
  /** Read the file as this format instead of detecting it. */
  format?: ExportFormat;
  /** Import the valid rows and report the invalid ones, instead of rejecting the whole file. */
  skipInvalid?: boolean;
  /** Called with the number of data rows read so far, every 1,000 rows and at the end. */
  onProgress?: (rows: number) => void;
  /** JSON files are read whole; larger ones are refused. Default 256 MiB. */
  maxJsonBytes?: number;
}

export interface ParsedExport {
  format: ExportFormat;
  formatLabel: string;
  records: LibraryRecords;
  /** Data rows read (JSON: array elements, or volumes of a series-metadata file), valid or not. */
  rows: number;
  /** With `skipInvalid`: the problems of the rows left out (the first 100). Otherwise empty. */
  invalid: InputIssue[];
  /** Rows left out as invalid (with `skipInvalid`). */
  invalidRows: number;
  /** Issues beyond the listed ones. */
  omittedIssues: number;
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

const DEFAULT_MAX_JSON_BYTES = 256 * 1024 * 1024;
const PROGRESS_EVERY = 1000;

const ROW_FORMATS: Partial<Record<ExportFormat, RowFormat>> = {
  'audible-cli-tsv': audibleCliLibrary,
  'audible-cli-csv': audibleCliLibrary,
  'audible-cli-json': audibleCliLibrary,
  'audible-cli-wishlist': audibleCliWishlist,
  'libation-csv': libation,
  'libation-json': libation,
  'openaudible-csv': openAudible,
  'openaudible-json': openAudible,
};

/** The state of one parse: counts, issues, notes and the records being built. */
class Session {
  readonly issues = new IssueList();
  readonly builder = new RecordsBuilder();
  readonly notes: string[] = [];
  readonly skipped = new Map<string, number>();
  rows = 0;
  invalidRows = 0;
  /** How a repeated ASIN is described in the notes. */
  duplicateNote = (count: number) => `merged ${count} ${count === 1 ? 'row' : 'rows'} repeating an ASIN read before`;

  constructor(
    readonly file: string,
    readonly format: ExportFormat,
    readonly options: ParseOptions,
  ) {}

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
    if (!this.options.skipInvalid && this.invalidRows === 1) this.builder.discard();
  }

  finish(): ParseResult {
    this.options.onProgress?.(this.rows);
    if (this.issues.total > 0 && !this.options.skipInvalid) {
      return err({ issues: this.issues.listed, omittedIssues: this.issues.omitted, format: this.format });
    }
    for (const [what, count] of this.skipped) this.notes.push(`skipped ${count} ${what} ${count === 1 ? 'row' : 'rows'} (not books)`);
    if (this.builder.duplicates > 0) this.notes.push(this.duplicateNote(this.builder.duplicates));
    if (this.invalidRows > 0) this.notes.push(`left out ${this.invalidRows} invalid ${this.invalidRows === 1 ? 'row' : 'rows'} (see invalid)`);
    return ok({
      format: this.format,
      formatLabel: exportFormatLabel(this.format),
      records: this.builder.build(),
      rows: this.rows,
      invalid: this.issues.listed,
      invalidRows: this.invalidRows,
      omittedIssues: this.issues.omitted,
      notes: this.notes,
    });
  }
}

function failure(issues: InputIssue[], format: ExportFormat | null = null): ParseResult {
  return err({ issues, omittedIssues: 0, format });
}

/** Delimited text is located at its header line; JSON at its root. */
function unknownFormat(file: string, hint: string, where: { value: string } | { path: string }): ParseResult {
  const location = 'path' in where ? where : { line: 1, ...where };
  return failure([{ file, ...location, message: `unknown format: ${hint}. Known formats: ${describeExportFormats()}` }]);
}

function detectionNote(detection: Detection, explicit: boolean): string {
  return explicit ? `read as ${exportFormatLabel(detection.format)} (format given)` : `detected ${exportFormatLabel(detection.format)}: ${detection.reason}`;
}

/**
 * Reads an Audible export file from disk. Delimited files are streamed (memory stays flat apart
 * from the records themselves); JSON files are read whole, up to `maxJsonBytes`. Never throws:
 * unreadable, empty, binary, unknown or invalid files come back as a `ParseFailure`.
 */
export async function parseExportFile(path: string, options: ParseOptions = {}): Promise<ParseResult> {
  try {
    let head: Buffer;
    let size: number;
    const handle = await open(path, 'r');
    try {
      const stat = await handle.stat();
      if (stat.isDirectory()) return failure([{ file: path, message: 'cannot read the file: it is a directory' }]);
      size = stat.size;
      head = Buffer.alloc(Math.min(size, HEAD_BYTES));
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      head = head.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
    const headText = new TextDecoder('utf-8').decode(head);
    const container = options.format !== undefined ? formatContainer(options.format) : 'either';
    const sniffed = sniffHead(headText, head, container === 'delimited');
    const wantJson = container === 'either' ? sniffed.kind === 'json' : container === 'json';
    const early = earlyFailure(sniffed, path);
    if (early) return early;
    if (wantJson) {
      const maxBytes = options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES;
      if (size > maxBytes) {
        return failure([{ file: path, line: 1, value: `${size} bytes`, message: `JSON file too large to read (${(size / 1048576).toFixed(1)} MiB; the limit is ${(maxBytes / 1048576).toFixed(1)} MiB)` }]);
      }
      return parseJsonExport(await readFile(path, 'utf8'), path, options);
    }
    const file = await open(path, 'r');
    try {
      return await parseDelimitedExport(file, sniffed, path, options);
    } finally {
      await file.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (typeof code === 'string' && code.startsWith('E')) {
      const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
      return failure([{ file: path, message: `cannot read the file: ${reason}` }]);
    }
    return failure([{ file: path, line: 1, message: `internal error while parsing: ${error instanceof Error ? error.message : String(error)}` }]);
  }
}

/** Parses an export held in memory; `fileName` names it in issues and helps tell a wishlist. */
export async function parseExportText(text: string, fileName: string, options: ParseOptions = {}): Promise<ParseResult> {
  try {
    const container = options.format !== undefined ? formatContainer(options.format) : 'either';
    const sniffed = sniffHead(text.slice(0, HEAD_BYTES), undefined, container === 'delimited');
    const early = earlyFailure(sniffed, fileName);
    if (early) return early;
    const wantJson = container === 'either' ? sniffed.kind === 'json' : container === 'json';
    if (wantJson) return parseJsonExport(text, fileName, options);
    return await parseDelimitedExport(text, sniffed, fileName, options);
  } catch (error) {
    return failure([{ file: fileName, line: 1, message: `internal error while parsing: ${error instanceof Error ? error.message : String(error)}` }]);
  }
}

function earlyFailure(sniffed: Sniffed, file: string): ParseResult | null {
  if (sniffed.kind === 'empty') return failure([{ file, line: 1, value: '', message: 'the file is empty' }]);
  if (sniffed.kind === 'binary') return failure([{ file, line: sniffed.line, message: sniffed.reason }]);
  return null;
}

async function parseDelimitedExport(source: DelimitedSource, sniffed: Sniffed, file: string, options: ParseOptions): Promise<ParseResult> {
  if (sniffed.kind !== 'delimited') return failure([{ file, line: 1, message: 'expected delimited text' }]);
  const explicit = options.format !== undefined;
  const detection = explicit ? { format: options.format!, reason: 'given' } : detectDelimited(sniffed.headers, sniffed.firstRow, sniffed.delimiter, file);
  if ('hint' in detection) return unknownFormat(file, detection.hint, { value: shortenList(sniffed.headers.map((h) => h.trim()), 8) });
  const format = detection.format;
  const rowFormat = ROW_FORMATS[format];
  if (rowFormat === undefined) return failure([{ file, line: 1, message: `${exportFormatLabel(format)} is a JSON format, but the file is delimited text` }], format);

  const session = new Session(file, format, options);
  session.notes.push(detectionNote(detection, explicit));
  const fatal: InputIssue[] = [];
  let row: DelimitedRow | null = null;
  let mapper: RowMapper | null = null;
  let headerCount = 0;
  const csvIssue = await readDelimited(source, sniffed.delimiter, file, {
    header: (cells) => {
      const { layout, issues } = resolveColumns(cells, rowFormat.columns, file);
      if (issues.length > 0) {
        fatal.push(...issues);
        return false;
      }
      if (layout.unknown.length > 0) session.notes.push(`ignored unknown columns: ${shortenList(layout.unknown)}`);
      headerCount = layout.headerCount;
      row = new DelimitedRow(file, session.issues, layout.index, layout.names);
      mapper = rowFormat.createMapper(session.builder);
      return true;
    },
    row: (cells, line) => {
      // Spreadsheet programs leave rows of empty cells (";;;;") at the end: blank lines, not rows.
      if (isBlankRow(cells)) return;
      session.row();
      if (cells.length !== headerCount && !onlyBlankExtra(cells, headerCount)) {
        session.issues.add({
          file,
          line,
          column: Math.min(cells.length, headerCount) + 1,
          value: String(cells.length),
          message: `row has ${cells.length} fields but the header has ${headerCount}`,
        });
        session.invalid();
        return;
      }
      row!.start(cells, line);
      session.accept(mapper!(row!));
    },
  });
  if (csvIssue) fatal.push(csvIssue);
  if (row === null && fatal.length === 0) fatal.push({ file, line: 1, message: 'the file has no header row' });
  if (fatal.length > 0) {
    for (const issue of session.issues.listed) fatal.push(issue);
    return err({ issues: fatal.slice(0, 100), omittedIssues: session.issues.omitted + Math.max(0, fatal.length - 100), format });
  }
  return session.finish();
}

function isBlankRow(cells: readonly string[]): boolean {
  for (let i = 0; i < cells.length; i++) if (cells[i]!.trim() !== '') return false;
  return true;
}

/** A trailing delimiter gives an extra empty field; that is not a broken row. */
function onlyBlankExtra(cells: readonly string[], headerCount: number): boolean {
  if (cells.length < headerCount) return false;
  for (let i = headerCount; i < cells.length; i++) if (cells[i]!.trim() !== '') return false;
  return true;
}

function parseJsonExport(text: string, file: string, options: ParseOptions): ParseResult {
  const parsed = parseJson(text.replace(/^\uFEFF/, ''), file);
  if (!parsed.success) return failure([parsed.error], options.format ?? null);
  const root = parsed.value;
  const explicit = options.format !== undefined;
  const detection = explicit ? { format: options.format!, reason: 'given' } : detectJson(root, file);
  if ('hint' in detection) return unknownFormat(file, detection.hint, { path: '$' });
  const session = new Session(file, detection.format, options);
  session.notes.push(detectionNote(detection, explicit));

  if (detection.format === 'sagasync-series-metadata') {
    session.duplicateNote = (count) => `${count} ${count === 1 ? 'volume is' : 'volumes are'} listed in more than one series (memberships merged)`;
    const outcome = readSeriesMetadata(root, file, session.builder, session.issues, () => session.row());
    if (outcome.fatal) return err({ issues: session.issues.listed, omittedIssues: session.issues.omitted, format: detection.format });
    for (let i = 0; i < outcome.invalidRows; i++) session.invalid();
    return session.finish();
  }
  if (detection.format === 'sagasync-library') {
    const outcome = readSagasyncLibrary(root, file, session.builder, session.issues, () => session.row());
    if (outcome.fatal) return err({ issues: session.issues.listed, omittedIssues: session.issues.omitted, format: detection.format });
    for (let i = 0; i < outcome.invalidRows; i++) session.invalid();
    return session.finish();
  }
  if (detection.format === 'audible-api-json') return readAudibleApi(root, session);

  const rowFormat = ROW_FORMATS[detection.format];
  if (rowFormat === undefined || formatContainer(detection.format) === 'delimited') {
    return failure([{ file, path: '$', message: `${exportFormatLabel(detection.format)} is delimited text, but the file is JSON` }], detection.format);
  }
  if (!Array.isArray(root)) return failure([{ file, path: '$', message: `expected a JSON array of objects for ${exportFormatLabel(detection.format)}` }], detection.format);
  const aliases = rowFormat.columns.map((c) => c.json ?? c.headers);
  const known = new Set(aliases.flat());
  const unknown = new Set<string>();
  const row = new JsonRow(file, session.issues, aliases);
  const mapper = rowFormat.createMapper(session.builder);
  root.forEach((element: unknown, i) => {
    session.row();
    if (typeof element !== 'object' || element === null || Array.isArray(element)) {
      session.issues.add({ file, path: `$[${i}]`, value: JSON.stringify(element)?.slice(0, 80) ?? '', message: 'expected an object' });
      session.invalid();
      return;
    }
    for (const key of Object.keys(element)) if (!known.has(key) && unknown.size < 100) unknown.add(key);
    row.start(element as Record<string, unknown>, i);
    session.accept(mapper(row));
  });
  if (unknown.size > 0) session.notes.push(`ignored unknown keys: ${shortenList([...unknown])}`);
  return session.finish();
}

function readAudibleApi(root: unknown, session: Session): ParseResult {
  const file = session.file;
  let items: unknown[];
  let base: string;
  if (Array.isArray(root)) [items, base] = [root, '$'];
  else if (typeof root === 'object' && root !== null && Array.isArray((root as Record<string, unknown>)['items'])) {
    [items, base] = [(root as { items: unknown[] }).items, '$.items'];
  } else if (typeof root === 'object' && root !== null && typeof (root as Record<string, unknown>)['item'] === 'object') {
    [items, base] = [[(root as { item: unknown }).item], '$.item'];
  } else {
    return failure([{ file, path: '$', message: 'expected Audible\'s library response: an object with "items" (or "item"), or an array of items' }], session.format);
  }
  let podcasts = 0;
  let revoked = 0;
  items.forEach((raw, i) => {
    session.row();
    const itemPath = base === '$.item' ? base : `${base}[${i}]`;
    const parsed = parseLibraryItem(raw, { file, path: itemPath });
    if (!parsed.success) {
      for (const issue of parsed.error) session.issues.add(issue);
      session.invalid();
      return;
    }
    // The same per-item mapping as `mapLibraryItems` (a live sync); a dump has no catalogue or
    // progress calls beside it.
    const mapped = mapAudibleApiItem(parsed.value, session.builder, (relative, value, message) => {
      session.issues.add({ file, path: `${itemPath}.${relative}`, value: displayValue(value), message });
    });
    if (mapped === null) {
      session.invalid();
      return;
    }
    if (mapped.title.isPodcast) podcasts++;
    if (!mapped.title.owned) revoked++;
    session.accept(mapped);
  });
  if (podcasts > 0) session.notes.push(`flagged ${podcasts} podcast ${podcasts === 1 ? 'title' : 'titles'} (isPodcast)`);
  if (revoked > 0) session.notes.push(`${revoked} revoked (returned) ${revoked === 1 ? 'title is' : 'titles are'} marked not owned`);
  return session.finish();
}
