import { accessSync, chmodSync, closeSync, constants, mkdirSync, openSync, statfsSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SagaSyncError } from '@sagasync/core';

/** The store file and SQLite's two companions in WAL mode. */
export function storeFiles(path: string): string[] {
  return [path, `${path}-wal`, `${path}-shm`];
}

const errnoOf = (error: unknown): string => String((error as NodeJS.ErrnoException)?.code ?? 'error');

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

/**
 * File systems where nothing can be created, whatever the permissions say (root may write to
 * `/proc` by its mode, yet `mkdir` there fails): proc, sysfs, cgroup, cgroup2, devpts, debugfs,
 * tracefs, securityfs (statfs magic numbers).
 */
const PSEUDO_FILE_SYSTEMS = new Set([0x9fa0, 0x62656572, 0x27e0eb, 0x63677270, 0x1cd1, 0x64626720, 0x74726163, 0x73636673]);

function onPseudoFileSystem(dir: string): boolean {
  try {
    return PSEUDO_FILE_SYSTEMS.has(Number(statfsSync(dir).type));
  } catch {
    return false;
  }
}

/** The nearest ancestor of `path` that exists (or `path` itself), and the folders missing below it, outermost first. */
function nearestExisting(path: string): { existing: string; stats: Stats; missing: string[] } {
  const missing: string[] = [];
  let current = resolve(path);
  for (;;) {
    const stats = statOrNull(current);
    if (stats) return { existing: current, stats, missing };
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) throw new Error(`no existing ancestor of ${path}`);
    current = parent;
  }
}

function locationError(message: string, path: string, cause?: unknown): SagaSyncError {
  return new SagaSyncError('storage_failure', message, { ...(cause === undefined ? {} : { cause }), details: { location: path } });
}

/**
 * Why no store can be at `path`, or null when one can (or already is), without creating or
 * changing anything: a file where a folder of the path should be, or folders to create under one
 * that refuses it (not writable, or a file system like `/proc`). A store file that is not there
 * yet in an existing folder is fine: a command that only reads it reads an empty library.
 */
export function storeLocationProblem(path: string): string | null {
  if (path === ':memory:') return null;
  const target = statOrNull(path);
  if (target) return target.isDirectory() ? `the store path ${path} is a folder; give the path of a file in it` : null;
  const { existing, stats, missing } = nearestExisting(dirname(path));
  if (!stats.isDirectory()) return `cannot use the store path ${path}: ${existing} is a file, not a folder`;
  if (missing.length === 0) return null;
  if (onPseudoFileSystem(existing)) return `cannot create the folder ${missing[0]} for the store ${path}: nothing can be created in ${existing}`;
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch (error) {
    return `cannot create the folder ${missing[0]} for the store ${path}: ${existing} is not writable (${errnoOf(error)})`;
  }
  return null;
}

/**
 * `mkdir -p` one folder at a time, private to the user (0700). Node's `mkdirSync(..., {
 * recursive: true })` retries forever when `mkdir` answers ENOENT for a folder whose parent
 * exists (under `/proc`), spinning a core; this fails at once, naming the folder.
 */
export function ensureStoreDirectory(dir: string, storePath: string): void {
  const { existing, stats, missing } = nearestExisting(dir);
  if (!stats.isDirectory()) throw locationError(`cannot use the store path ${storePath}: ${existing} is a file, not a folder`, storePath);
  for (const folder of missing) {
    try {
      mkdirSync(folder, { mode: 0o700 });
    } catch (error) {
      // Another process made it meanwhile: fine.
      if (errnoOf(error) === 'EEXIST' && statOrNull(folder)?.isDirectory()) continue;
      const why = errnoOf(error) === 'ENOENT' || onPseudoFileSystem(dirname(folder)) ? `nothing can be created in ${dirname(folder)}` : `${errnoOf(error)}`;
      throw locationError(`cannot create the folder ${folder} for the store ${storePath}: ${why}`, storePath, error);
    }
  }
}

/**
 * Credentials live in the store (encrypted, but still), so its file is created readable by its
 * owner only (0600; SQLite gives the -wal and -shm files the same mode), in folders private to
 * the user (0700).
 */
export function createPrivateStoreFile(path: string): void {
  if (path === ':memory:') return;
  ensureStoreDirectory(dirname(path), path);
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if (errnoOf(error) !== 'EEXIST') throw locationError(`cannot create the SagaSync store ${path}: ${(error as Error).message}`, path, error);
  }
}

/** The store's files that exist but that this process cannot write, with their owner and mode. */
export function unwritableStoreFiles(path: string): { file: string; uid: number; mode: string }[] {
  if (path === ':memory:') return [];
  const out: { file: string; uid: number; mode: string }[] = [];
  for (const file of storeFiles(path)) {
    const stats = statOrNull(file);
    if (!stats) continue;
    try {
      accessSync(file, constants.R_OK | constants.W_OK);
    } catch {
      out.push({ file, uid: stats.uid, mode: (stats.mode & 0o777).toString(8).padStart(4, '0') });
    }
  }
  return out;
}

/**
 * The error for a store SQLite could only open read-only because of its files: left by another
 * user's sagasync (a `sudo` run) or by a copy, or made read-only by hand. Says which files and
 * how to give them back, and not to delete a -wal file (it may hold the last commits).
 */
export function storeFilesReadOnly(path: string, files: { file: string; uid: number; mode: string }[], cause?: unknown): SagaSyncError {
  const list = files.map((f) => `${f.file} (owner uid ${f.uid}, mode ${f.mode})`).join(', ');
  const names = files.map((f) => f.file).join(' ');
  const companions = files.some((f) => f.file !== path);
  return new SagaSyncError('storage_failure', `the SagaSync store ${path} cannot be written: ${list} ${files.length === 1 ? 'is' : 'are'} not writable by you`, {
    ...(cause === undefined ? {} : { cause }),
    details: {
      location: path,
      reason: 'store_files_read_only',
      hint:
        `if no other sagasync is using the store, make ${files.length === 1 ? 'it' : 'them'} yours and writable (\`sudo chown "$(id -u)" ${names} && chmod 600 ${names}\`)` +
        (companions ? '; do not delete a -wal file: it may hold the last changes' : ''),
    },
  });
}

/**
 * Makes the store and its -wal and -shm files private (0600) before credentials are written to
 * them: a store created by an older version, or by another tool, may be readable by others.
 */
export function makeStoreFilesPrivate(path: string): void {
  if (path === ':memory:') return;
  for (const file of storeFiles(path)) {
    const stats = statOrNull(file);
    if (!stats || (stats.mode & 0o077) === 0) continue;
    try {
      chmodSync(file, 0o600);
    } catch (error) {
      throw new SagaSyncError('storage_failure', `cannot make ${file} private (mode 600) before writing credentials to it: ${errnoOf(error)}; nothing was written`, {
        cause: error,
        details: { location: path, hint: `make the store's files yours (\`sudo chown "$(id -u)" ${storeFiles(path).join(' ')}\`), then run the command again` },
      });
    }
  }
}
