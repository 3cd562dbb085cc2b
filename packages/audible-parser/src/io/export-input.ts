import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** The path that means "standard input" (`sagasync import -`). */
export const STDIN_PATH = '-';

/** What an input path is, before anything is read from it. */
export type ExportInputKind =
  /** `-`: standard input. */
  | 'stdin'
  /** A regular file. */
  | 'file'
  /** A pipe, FIFO, terminal or socket (`/dev/stdin`, `<(...)` = `/dev/fd/N`, `mkfifo`): read once, as it comes. */
  | 'stream'
  | 'directory'
  | 'missing';

/** Where a non-regular input is copied, and what to read standard input from. */
export interface ExportInputOptions {
  /** Read for `-`. Default: `process.stdin`. Any async iterable of bytes or text (a Node `Readable`). */
  stdin?: AsyncIterable<Uint8Array | string>;
  /** Folder for the private copy of a stream. Default: the system's temporary folder. */
  tempDirectory?: string;
}

/** An input ready to read from any position: a regular file, the one given or a stream's copy. */
export interface OpenedInput {
  handle: FileHandle;
  size: number;
  /** True when the input was a stream, copied to a temporary file. */
  spooled: boolean;
  /** Closes the file and removes a temporary copy. */
  close(): Promise<void>;
}

/**
 * Tells what `path` is without opening it (so a FIFO is not consumed and nothing waits for a
 * writer). `-` is standard input. A missing path, or one under something that is not a folder, is
 * `missing`; other errors (permission) are thrown.
 */
export async function exportInputKind(path: string): Promise<ExportInputKind> {
  if (path === STDIN_PATH) return 'stdin';
  try {
    const info = await stat(path);
    if (info.isDirectory()) return 'directory';
    return info.isFile() ? 'file' : 'stream';
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw error;
  }
}

/**
 * Opens an input once. A regular file is read in place. Anything else (standard input, a pipe, a
 * FIFO, `/dev/fd/N` from `<(...)`) is read to its end, once, into a private temporary file that is
 * then read like a regular one: detection reads the head and the readers start again from the first
 * byte (a Libation CSV is read twice to settle its date order, and a file found not to be UTF-8 is
 * read again as Windows-1252), which a stream cannot do. Memory stays flat, as the copy is
 * streamed to disk; the copy is removed as soon as it is open where the system allows it, and on
 * `close` in any case. A FIFO is opened exactly once: opening it again would wait for a writer that
 * has already gone.
 */
export async function openExportInput(path: string, options: ExportInputOptions = {}): Promise<OpenedInput | { directory: true }> {
  if (path === STDIN_PATH) return spool(options.stdin ?? process.stdin, options.tempDirectory);
  const handle = await open(path, 'r');
  let keep = false;
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return { directory: true };
    if (info.isFile()) {
      keep = true;
      return { handle, size: info.size, spooled: false, close: () => handle.close() };
    }
    return await spool(handle.createReadStream({ autoClose: false }), options.tempDirectory);
  } finally {
    if (!keep) await handle.close();
  }
}

async function spool(source: AsyncIterable<Uint8Array | string>, tempDirectory: string | undefined): Promise<OpenedInput> {
  const dir = await mkdtemp(join(tempDirectory ?? tmpdir(), 'sagasync-import-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const path = join(dir, 'input');
    await pipeline(source, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    const handle = await open(path, 'r');
    const { size } = await handle.stat();
    // An open file outlives its name on POSIX systems, so nothing is left behind even if the process
    // is killed; Windows refuses, and the copy goes on close.
    await remove().catch(() => undefined);
    return {
      handle,
      size,
      spooled: true,
      close: async () => {
        await handle.close();
        await remove();
      },
    };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** Up to `length` bytes from `position` (fewer at the end of the file). */
export async function readBytes(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}
