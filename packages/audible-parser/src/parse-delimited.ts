import type { InputIssue } from '@sagasync/core';
import { detectDelimited } from './detect/detect-format.js';
import type { Sniffed } from './detect/sniff.js';
import { exportFormatLabel } from './export-format.js';
import type { MapperOptions, RowMapper } from './formats/row-format.js';
import { detectionNote, ROW_FORMATS, unknownFormat } from './formats.js';
import { failure, Session, type ParseOptions, type ParseResult } from './session.js';
import { resolveColumns, shortenList } from './tabular/columns.js';
import { probeDateOrder, undecidedOrderNote } from './tabular/date-order-probe.js';
import { readDelimited, type DelimitedSource } from './tabular/read-delimited.js';
import { DelimitedRow } from './tabular/row-reader.js';

/**
 * Reads delimited text: detection by header names, then the rows streamed through the format's
 * mapper. A format with culture dates (Libation) has its day/month order settled by a first pass.
 * Throws `NotUtf8Error` for a file read as UTF-8 that is not (the caller reads it again).
 */
export async function parseDelimitedExport(source: DelimitedSource, sniffed: Sniffed, file: string, options: ParseOptions): Promise<ParseResult> {
  if (sniffed.kind !== 'delimited') return failure([{ file, line: 1, message: 'expected delimited text' }]);
  const explicit = options.format !== undefined;
  const detection = explicit ? { format: options.format!, reason: 'given' } : detectDelimited(sniffed.headers, sniffed.firstRow, sniffed.delimiter, file);
  if ('hint' in detection) return unknownFormat(file, detection.hint, { value: shortenList(sniffed.headers.map((h) => h.trim()), 8) });
  const format = detection.format;
  const rowFormat = ROW_FORMATS[format];
  if (rowFormat === undefined) return failure([{ file, line: 1, message: `${exportFormatLabel(format)} is a JSON format, but the file is delimited text` }], format);

  const session = new Session(file, format, options);
  session.notes.push(detectionNote(detection, explicit));
  const mapperOptions: MapperOptions = {};
  if (rowFormat.dateOrderColumns) {
    const probe = await probeDateOrder(source, sniffed.delimiter, file, rowFormat.dateOrderColumns);
    mapperOptions.dateOrder = probe.decision;
    if (probe.undecided) session.notes.push(undecidedOrderNote(probe.undecided));
  }
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
      row = new DelimitedRow(file, session.issues, layout.index, layout.names, session.warnings);
      mapper = rowFormat.createMapper(session.builder, mapperOptions);
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
  if (fatal.length > 0) return failure([...fatal, ...session.issues.listed], format, session.issues.omitted);
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
