import type { FileHandle } from 'node:fs/promises';
import type { InputIssue } from '@sagasync/core';
import { chunkDecoder, NotUtf8Error, type TextEncodingName } from '../text/decode.js';
import { quoteText } from '../values/quote.js';
import { DelimitedTokenizer, MAX_RECORD_CHARS, type TokenizeError } from './tokenizer.js';

export { MAX_RECORD_CHARS } from './tokenizer.js';

export interface DelimitedHandlers {
  /** The header row; return false to stop reading (the header is unusable). */
  header(cells: string[]): boolean;
  /** A data row, with the 1-based line it starts on; return false to stop reading. Blank lines are not passed. */
  row(cells: string[], line: number): unknown;
}

const TOKENIZE_MESSAGES: Record<TokenizeError['kind'], string> = {
  'unclosed-quote': 'unclosed quote: a quoted field starts on this line and never ends',
  'record-too-long': `the row starting on this line runs past ${MAX_RECORD_CHARS.toLocaleString('en')} characters: an unclosed quote, or not a line-based text file`,
  'text-after-quote': 'malformed quotes: text follows the closing quote of a quoted field; a field with quotes in it must be quoted whole, each quote inside doubled ("")',
};

/** Read size; one buffer of it is reused for the whole file. */
const CHUNK_BYTES = 64 * 1024;

/** A regular file, read from its first byte (so the same file can be read again), and how to decode it. */
export interface FileSource {
  handle: FileHandle;
  encoding: TextEncodingName;
}

/** Where delimited text comes from: a string in memory, or a file. */
export type DelimitedSource = string | FileSource;

/**
 * Streams delimited text through the package's tokenizer (`tokenizer.ts`) and hands each record to
 * `handlers` as it is tokenized, so nothing accumulates between the tokenizer and the caller.
 * Returns the structural error that stopped reading (an unclosed quote...), if any. Throws
 * `NotUtf8Error` when a file read as UTF-8 is not; the caller reads it again as Windows-1252.
 *
 * A file is read into one reused buffer rather than a fresh buffer per chunk: fresh chunks live
 * just long enough to be promoted by the garbage collector, and tens of megabytes of them then wait
 * for a full collection, which is what made peak memory grow with file size. Each chunk is decoded
 * (a character cut by the chunk boundary is completed by the next chunk) and fully tokenized before
 * the buffer is filled again; an unfinished record is carried into the next chunk. Reads name their
 * position, so every call reads the whole file from its start.
 */
export async function readDelimited(source: DelimitedSource, delimiter: string, file: string, handlers: DelimitedHandlers): Promise<InputIssue | null> {
  let headerDone = false;
  let header: string[] = [];
  const tokenizer = new DelimitedTokenizer(delimiter, (cells, line) => {
    if (cells.length === 1 && cells[0] === '') return true;
    if (!headerDone) {
      headerDone = true;
      header = cells;
      return handlers.header(cells);
    }
    return handlers.row(cells, line) !== false;
  });
  let broken: TokenizeError | null = null;
  try {
    if (typeof source === 'string') broken = tokenizer.end(source);
    else {
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      const decoder = chunkDecoder(source.encoding);
      let position = 0;
      for (;;) {
        const { bytesRead } = await source.handle.read(buffer, 0, CHUNK_BYTES, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        broken = tokenizer.push(decoder.write(bytesRead === CHUNK_BYTES ? buffer : buffer.subarray(0, bytesRead)));
        if (broken || tokenizer.done) break;
      }
      if (!broken && !tokenizer.done) broken = tokenizer.end(decoder.end());
    }
  } catch (error) {
    if (error instanceof NotUtf8Error) throw error;
    const message = error instanceof Error ? error.message : String(error);
    return { file, line: tokenizer.line, message: `could not read the file: ${message}` };
  }
  if (!broken) return null;
  const named = header[broken.field]?.trim();
  return {
    file,
    line: broken.line,
    column: named ? named : broken.field + 1,
    ...(broken.near !== undefined ? { value: quoteText(broken.near) } : {}),
    message: TOKENIZE_MESSAGES[broken.kind],
  };
}
