import type { FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import type { InputIssue } from '@sagasync/core';
import { DelimitedTokenizer, MAX_RECORD_CHARS, type TokenizeError } from './tokenizer.js';

export { MAX_RECORD_CHARS } from './tokenizer.js';

export interface DelimitedHandlers {
  /** The header row; return false to stop reading (the header is unusable). */
  header(cells: string[]): boolean;
  /** A data row, with the 1-based line it starts on. Blank lines are not passed. */
  row(cells: string[], line: number): void;
}

const TOKENIZE_MESSAGES: Record<TokenizeError['kind'], string> = {
  'unclosed-quote': 'unclosed quote: a quoted field starts on this line and never ends',
  'record-too-long': `unclosed quote: the row starting on this line runs past ${MAX_RECORD_CHARS.toLocaleString('en')} characters`,
};

/** Read size; one buffer of it is reused for the whole file. */
const CHUNK_BYTES = 64 * 1024;

/** Where delimited text comes from: a string in memory, or an open file read from its start. */
export type DelimitedSource = string | FileHandle;

/**
 * Streams delimited text through the package's tokenizer (`tokenizer.ts`) and hands each record to
 * `handlers` as it is tokenized, so nothing accumulates between the tokenizer and the caller.
 * Returns the structural error that stopped reading (an unclosed quote...), if any.
 *
 * A file is read into one reused buffer rather than a fresh buffer per chunk: fresh chunks live
 * just long enough to be promoted by the garbage collector, and tens of megabytes of them then wait
 * for a full collection, which is what made peak memory grow with file size. Each chunk is decoded
 * (a StringDecoder keeps a UTF-8 sequence cut by the chunk boundary for the next chunk) and fully
 * tokenized before the buffer is filled again; an unfinished record is carried into the next chunk.
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
    handlers.row(cells, line);
    return true;
  });
  let broken: TokenizeError | null = null;
  try {
    if (typeof source === 'string') broken = tokenizer.end(source);
    else {
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      const decoder = new StringDecoder('utf8');
      for (;;) {
        const { bytesRead } = await source.read(buffer, 0, CHUNK_BYTES, null);
        if (bytesRead === 0) break;
        broken = tokenizer.push(decoder.write(bytesRead === CHUNK_BYTES ? buffer : buffer.subarray(0, bytesRead)));
        if (broken || tokenizer.done) break;
      }
      if (!broken && !tokenizer.done) broken = tokenizer.end(decoder.end());
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { file, line: tokenizer.line, message: `could not read the file: ${message}` };
  }
  if (!broken) return null;
  const named = header[broken.field]?.trim();
  return { file, line: broken.line, column: named ? named : broken.field + 1, message: TOKENIZE_MESSAGES[broken.kind] };
}
