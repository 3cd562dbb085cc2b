import { HEAD_BYTES, sniffHead, type Sniffed } from './detect/sniff.js';
import { formatContainer } from './export-format.js';
import { openExportInput, readBytes, STDIN_PATH, type OpenedInput } from './io/export-input.js';
import { parseDelimitedExport } from './parse-delimited.js';
import { parseJsonExport } from './parse-json-export.js';
import { failure, type ParseOptions, type ParseResult } from './session.js';
import { chunkDecoder, decodeBytes, headEncoding, NotUtf8Error, windows1252Note } from './text/decode.js';
import { firstNonUtf8Line, Utf8LineFinder } from './text/utf8-line.js';

export type { ParseOptions, ParsedExport, ParseFailure, ParseResult } from './session.js';

const DEFAULT_MAX_JSON_BYTES = 256 * 1024 * 1024;

/**
 * Reads an Audible export. `path` is a file, or `-` for standard input (`options.stdin`, default
 * `process.stdin`); `/dev/stdin`, a FIFO and `<(...)` (`/dev/fd/N`) work too: anything that is not a
 * regular file is read once, as it comes, into a private temporary copy (see `openExportInput`).
 * Delimited files are streamed (memory stays flat apart from the records themselves); JSON files are
 * read whole, up to `maxJsonBytes`. A file that is not UTF-8 is read as Windows-1252, with a note.
 * Never throws: unreadable, empty, binary, unknown or invalid input comes back as a `ParseFailure`.
 */
export async function parseExportFile(path: string, options: ParseOptions = {}): Promise<ParseResult> {
  const name = options.fileName ?? (path === STDIN_PATH ? 'stdin' : path);
  let input: OpenedInput | null = null;
  try {
    const opened = await openExportInput(path, { stdin: options.stdin, tempDirectory: options.tempDirectory });
    if ('directory' in opened) return failure([{ file: name, message: 'cannot read the file: it is a directory' }]);
    input = opened;
    return await parseInput(input, name, options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (typeof code === 'string' && code.startsWith('E')) {
      const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
      return failure([{ file: name, message: `cannot read the file: ${reason}` }]);
    }
    return failure([{ file: name, line: 1, message: `internal error while parsing: ${error instanceof Error ? error.message : String(error)}` }]);
  } finally {
    await input?.close().catch(() => undefined);
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

/** A regular file (the one given, or a stream's copy), open. */
async function parseInput(input: OpenedInput, file: string, options: ParseOptions): Promise<ParseResult> {
  const head = await readBytes(input.handle, 0, Math.min(input.size, HEAD_BYTES));
  let encoding = headEncoding(head);
  const headDecoder = chunkDecoder(encoding);
  const container = options.format !== undefined ? formatContainer(options.format) : 'either';
  const sniffed = sniffHead(headDecoder.write(head), head, container === 'delimited');
  const early = earlyFailure(sniffed, file);
  if (early) return early;
  const wantJson = container === 'either' ? sniffed.kind === 'json' : container === 'json';
  if (wantJson) {
    const maxBytes = options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES;
    if (input.size > maxBytes) {
      return failure([{ file, line: 1, value: `${input.size} bytes`, message: `JSON file too large to read (${(input.size / 1048576).toFixed(1)} MiB; the limit is ${(maxBytes / 1048576).toFixed(1)} MiB)` }]);
    }
    const bytes = await readBytes(input.handle, 0, input.size);
    const decoded = decodeBytes(bytes);
    return parseJsonExport(decoded.text, file, options, decoded.encoding === 'utf-8' ? null : windows1252Note(firstNonUtf8Line(bytes)));
  }
  // Read as UTF-8 until a byte says otherwise; then the whole file again as Windows-1252. The rows
  // read before are counted again and not reported again, so progress never goes back.
  let reported = 0;
  let floor = -1;
  const { onProgress } = options;
  const upOnly = (rows: number) => {
    if (rows <= floor) return;
    reported = rows;
    onProgress?.(rows);
  };
  const passOptions: ParseOptions = onProgress ? { ...options, onProgress: upOnly } : options;
  for (;;) {
    try {
      const result = await parseDelimitedExport({ handle: input.handle, encoding }, sniffed, file, passOptions);
      if (encoding !== 'utf-8' && result.success) result.value.notes.splice(1, 0, windows1252Note(await nonUtf8Line(input)));
      return result;
    } catch (error) {
      if (!(error instanceof NotUtf8Error) || encoding !== 'utf-8') throw error;
      encoding = 'windows-1252';
      floor = reported;
    }
  }
}

/** The first line of a file found not to be UTF-8 that is not, read again from the file. */
async function nonUtf8Line(input: OpenedInput): Promise<number | null> {
  const finder = new Utf8LineFinder();
  const chunk = 64 * 1024;
  for (let position = 0; position < input.size; position += chunk) {
    const line = finder.push(await readBytes(input.handle, position, chunk));
    if (line !== null) return line;
  }
  return finder.end();
}

function earlyFailure(sniffed: Sniffed, file: string): ParseResult | null {
  if (sniffed.kind === 'empty') return failure([{ file, line: 1, value: '', message: 'the file is empty' }]);
  if (sniffed.kind === 'binary') return failure([{ file, line: sniffed.line, message: sniffed.reason }]);
  return null;
}
