import type { FileHandle } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
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

/** Read size; two buffers of it are reused for the whole file. */
const CHUNK_BYTES = 128 * 1024;

/** Where delimited text comes from: a string in memory, or an open file read from its start. */
export type DelimitedSource = string | FileHandle;

/**
 * Streams delimited text through csv-parse's stream API and hands each record to `handlers` as it
 * is parsed (from csv-parse's `on_record` hook), so nothing accumulates between the parser and the
 * caller. Returns the structural error that stopped parsing (an unclosed quote...), if any.
 *
 * A file is read into two buffers used in turn rather than a fresh buffer per chunk: fresh chunks
 * live just long enough to be promoted by the garbage collector, and tens of megabytes of them then
 * wait for a full collection, which is what made peak memory grow with file size. Each chunk is
 * fully parsed (the write callback) before its buffer is filled again; csv-parse copies any
 * unfinished record tail when the next chunk arrives.
 *
 * Line numbers: csv-parse counts a CRLF inside a quoted field as two lines, so the count of CRLFs
 * found inside fields is subtracted to name the physical line a row starts on.
 */
export async function readDelimited(source: DelimitedSource, delimiter: string, file: string, handlers: DelimitedHandlers): Promise<InputIssue | null> {
  let endLine = 0;
  let crlfInFields = 0;
  let headerDone = false;
  let header: string[] = [];
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
        header = record;
        if (!handlers.header(record)) throw new StopReading();
        return null;
      }
      handlers.row(record, startLine);
      return null;
    },
  });
  // Records are consumed in on_record; nothing is pushed, but the readable side must flow to end.
  parser.resume();
  const ended = finished(parser);
  ended.catch(() => undefined);
  const write = (chunk: Buffer | string) =>
    new Promise<void>((resolveWrite, rejectWrite) => parser.write(chunk, (error) => (error ? rejectWrite(error) : resolveWrite())));
  try {
    if (typeof source === 'string') await write(source);
    else {
      const buffers = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];
      for (let turn = 0; ; turn ^= 1) {
        const buffer = buffers[turn]!;
        const { bytesRead } = await source.read(buffer, 0, CHUNK_BYTES, null);
        if (bytesRead === 0) break;
        await write(buffer.subarray(0, bytesRead));
      }
    }
    parser.end();
    await ended;
    return null;
  } catch (error) {
    parser.destroy();
    if (error instanceof StopReading) return null;
    const line = endLine + 1;
    if (error instanceof CsvError) {
      const index = typeof error.column === 'number' ? error.column : undefined;
      const named = index !== undefined ? header[index]?.trim() : undefined;
      const column = named ? named : index !== undefined ? index + 1 : undefined;
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
