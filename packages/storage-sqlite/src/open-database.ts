import Database from 'better-sqlite3';
import { normaliseSeriesTitle, SagaSyncError } from '@sagasync/core';
import { migrations, SCHEMA_VERSION, V1_TABLES } from './migrations.js';
import { toStoreError } from './sqlite-errors.js';
import { createPrivateStoreFile, storeFilesReadOnly, unwritableStoreFiles } from './store-files.js';

/**
 * `PRAGMA application_id` of a SagaSync store: "Saga" in ASCII. Set when a store is created, and
 * on the first read-write open of a store made before it was (recognised by its tables and schema
 * version), so a SQLite file of another program is told apart and never changed.
 */
export const SAGASYNC_APPLICATION_ID = 0x53616761;

/** What a file opened as a store turned out to be. */
type StoreIdentity = 'sagasync' | 'unmarked_sagasync' | 'empty';

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
  if (!readonly) {
    // Files SQLite could open only read-only (a -wal left by another user's run): say so now,
    // rather than as "attempt to write a readonly database" on the first write.
    const unwritable = unwritableStoreFiles(path);
    if (unwritable.length > 0) throw storeFilesReadOnly(path, unwritable);
    createPrivateStoreFile(path);
  }
  let db: Database.Database;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly, timeout: busyTimeoutMs });
  } catch (error) {
    throw toStoreError(error, path, 'open');
  }
  try {
    // Before anything that writes (WAL mode changes the file's header): another program's file is
    // refused as it is.
    const identity = identify(db, path);
    // Only switch when needed: asking for WAL again takes a lock and fails while another process writes.
    if (!readonly && db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    registerFunctions(db);
    migrate(db, path, readonly, identity);
    return db;
  } catch (error) {
    db.close();
    throw toStoreError(error, path, 'open');
  }
}

function notAStore(path: string, why: string): SagaSyncError {
  return new SagaSyncError('unsupported_format', `${path} is not a SagaSync store (${why}); it was left as it is`, {
    details: { location: path, hint: 'give another path with --store or SAGASYNC_STORE' },
  });
}

/**
 * Tells a SagaSync store from another program's SQLite file, reading only: its application id, or
 * for a store from before the id, its schema version and the tables of the first schema step. An
 * empty database (a new file, or one another tool created empty) becomes a store.
 */
function identify(db: Database.Database, path: string): StoreIdentity {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  if (applicationId === SAGASYNC_APPLICATION_ID) return 'sagasync';
  if (applicationId !== 0) return fail(`its SQLite application_id is 0x${(applicationId >>> 0).toString(16)}, another program's`);
  const tables = new Set(db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_'").pluck().all());
  if (tables.size === 0) return 'empty';
  const version = readSchemaVersion(db);
  if (version > 0 && V1_TABLES.every((table) => tables.has(table))) return 'unmarked_sagasync';
  const sample = [...tables].sort().slice(0, 3).join(', ');
  return fail(`it holds other tables (${sample}${tables.size > 3 ? ', ...' : ''}) and no SagaSync marker`);

  function fail(why: string): never {
    throw notAStore(path, why);
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

/**
 * Applies the missing steps in one IMMEDIATE transaction, so two processes opening at once run
 * them once, and marks the store with SagaSync's application id (a store made before the id gets
 * it on its first read-write open).
 */
function migrate(db: Database.Database, path: string, readonly: boolean, identity: StoreIdentity): void {
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
  if (current === SCHEMA_VERSION && (identity === 'sagasync' || readonly)) return;
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
    if (version !== SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
    if ((db.pragma('application_id', { simple: true }) as number) !== SAGASYNC_APPLICATION_ID) db.pragma(`application_id = ${SAGASYNC_APPLICATION_ID}`);
  }).immediate();
}
