import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { normaliseSeriesTitle, SagaSyncError } from '@sagasync/core';
import { migrations, SCHEMA_VERSION } from './migrations.js';
import { toStoreError } from './sqlite-errors.js';

export interface OpenDatabaseOptions {
  path: string;
  busyTimeoutMs: number;
  readonly: boolean;
}

/**
 * Opens (creating if needed) the store file, sets the PRAGMAs and brings the schema up to date.
 *
 * - `journal_mode = WAL`: readers never block the writer, and a commit is one append to the
 *   WAL, so a process killed mid-commit leaves the store as before or as after.
 * - `synchronous = FULL`: each commit is fsynced before `applyBatch` resolves. NORMAL would
 *   survive a crashed process too, but a power cut could roll back the last commits after the
 *   CLI reported them (and pushed them to Notion). Batches are large, so one fsync per batch
 *   costs little.
 * - `busy_timeout`: a second writer waits this long for the lock, then fails with `store_locked`.
 */
export function openDatabase(options: OpenDatabaseOptions): Database.Database {
  const { path, busyTimeoutMs, readonly } = options;
  if (!readonly) createPrivateFile(path);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly, timeout: busyTimeoutMs });
  } catch (error) {
    throw toStoreError(error, path, 'open');
  }
  try {
    // Only switch when needed: asking for WAL again takes a lock and fails while another process writes.
    if (!readonly && db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    registerFunctions(db);
    migrate(db, path, readonly);
    return db;
  } catch (error) {
    db.close();
    throw toStoreError(error, path, 'open');
  }
}

/**
 * Credentials live in this file (encrypted, but still), so it is created readable by its owner
 * only; SQLite gives the -wal and -shm files the same mode. An existing file keeps its mode.
 */
function createPrivateFile(path: string): void {
  if (path === ':memory:') return;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new SagaSyncError('storage_failure', `cannot create the SagaSync store ${path}: ${(error as Error).message}`, {
        cause: error,
        details: { location: path },
      });
    }
  }
}

/** SQL functions the schema steps use: the same normalisation as core, so SQL and JS keys agree. */
function registerFunctions(db: Database.Database): void {
  db.function('sagasync_name_key', { deterministic: true }, (title: unknown) => (typeof title === 'string' ? seriesNameKey(title) : ''));
}

/** The key `findSeriesByName` looks a series up by. */
export function seriesNameKey(title: string): string {
  return normaliseSeriesTitle(title);
}

export function readSchemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies the missing steps in one IMMEDIATE transaction, so two processes opening at once run them once. */
function migrate(db: Database.Database, path: string, readonly: boolean): void {
  const check = (version: number) => {
    if (version > SCHEMA_VERSION) {
      throw new SagaSyncError(
        'unsupported_format',
        `the SagaSync store ${path} has schema version ${version}, newer than this sagasync supports (${SCHEMA_VERSION}); upgrade sagasync`,
        { details: { location: path } },
      );
    }
  };
  const current = readSchemaVersion(db);
  check(current);
  if (current === SCHEMA_VERSION) return;
  if (readonly) {
    throw new SagaSyncError(
      'storage_failure',
      `the SagaSync store ${path} needs a schema upgrade (version ${current} to ${SCHEMA_VERSION}); open it read-write once`,
      {
        details: { location: path },
      },
    );
  }
  db.transaction(() => {
    // Re-read inside the lock: another process may have migrated while we waited.
    const version = readSchemaVersion(db);
    check(version);
    for (let step = version; step < SCHEMA_VERSION; step++) db.exec(migrations[step]!);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
