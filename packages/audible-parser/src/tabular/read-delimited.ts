import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import type { InputIssue } from '@sagasync/core';

/** A record longer than this is almost surely an unclosed quote swallowing the file. */
export const MAX_RECORD_CHARS = 4_000_000;

export interface DelimitedHandlers {
  /** The header row; return false to stop reading (the header is unusable). */
  header(cells: string[]): boolean;
  /** A data row, with the 1-based line it starts on. Blank lines are not passed. */
  row(cells: string[], line: number): void;
}

class StopReading extends Error {}

const CSV_MESSAGES: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'unclosed quote: a quoted field starts on this line and never ends',
  CSV_MAX_RECORD_SIZE: `unclosed quote: the row starting on this line runs past ${MAX_RECORD_CHARS.toLocaleString('en')} characters`,
  CSV_INVALID_CLOSING_QUOTE: 'invalid quoting: a closing quote is followed by text instead of a delimiter',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'invalid quoting: a closing quote is followed by text instead of a delimiter',
};

/**
 * Streams delimited text through csv-parse and hands each record to `handlers` as soon as it is
 * parsed (from csv-parse's `on_record` hook), so nothing accumulates between the parser and the
 * caller. Returns the structural error that stopped parsing (an unclosed quote...), if any.
 *
 * Line numbers: csv-parse counts a CRLF inside a quoted field as two lines, so the count of CRLFs
 * found inside fields is subtracted to name the physical line a row starts on.
 */
export async function readDelimited(source: Readable | string, delimiter: string, file: string, handlers: DelimitedHandlers): Promise<InputIssue | null> {
  let endLine = 0;
  let crlfInFields = 0;
  let headerDone = false;
  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_CHARS,
    on_record: (record: string[], info) => {
      const startLine = endLine + 1;
      let crlf = 0;
      for (let i = 0; i < record.length; i++) {
        const cell = record[i]!;
        if (cell.length > 1 && cell.indexOf('\r\n') !== -1) crlf += cell.split('\r\n').length - 1;
      }
      crlfInFields += crlf;
      endLine = info.lines - crlfInFields;
      if (record.length === 1 && record[0] === '') return null;
      if (!headerDone) {
        headerDone = true;
        if (!handlers.header(record)) throw new StopReading();
        return null;
      }
      handlers.row(record, startLine);
      return null;
    },
  });
  const sink = new Writable({ objectMode: true, write: (_chunk, _encoding, done) => done() });
  const input = typeof source === 'string' ? Readable.from([source]) : source;
  try {
    await pipeline(input, parser, sink);
    return null;
  } catch (error) {
    if (error instanceof StopReading) return null;
    const line = endLine + 1;
    if (error instanceof CsvError) {
      const column = typeof error.column === 'number' ? error.column + 1 : undefined;
      return {
        file,
        line,
        ...(column !== undefined ? { column } : {}),
        message: CSV_MESSAGES[error.code] ?? `unreadable ${delimiter === '\t' ? 'TSV' : 'CSV'}: ${error.message}`,
      };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { file, line, message: `could not read the file: ${message}` };
  }
}
