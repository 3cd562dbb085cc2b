import {
  ConflictSchema,
  CredentialBlobSchema,
  LinkSchema,
  MatchDecisionSchema,
  ProgressHistoryEntrySchema,
  ProgressSchema,
  SagaSyncError,
  SeriesSchema,
  StorageError,
  SyncRunSchema,
  TitleSchema,
  TrackerBookSchema,
  type BatchOperation,
  type StoragePort,
} from '@sagasync/core';
import { parseOperation, parseOwnerId } from '@sagasync/storage';
import { createBatchWriter } from './batch-writer.js';
import { openDatabase, readSchemaVersion } from './open-database.js';
import { prepareQueries } from './read-queries.js';
import { rowDecoder } from './row-decoder.js';
import { RowDigest } from './row-digest.js';
import { toStoreError } from './sqlite-errors.js';

export interface SqliteStorageOptions {
  /** The store file; created (mode 0600, parent directories 0700) when missing. */
  path: string;
  /**
   * How long a write waits for another process's write lock before failing with `store_locked`.
   * @default 5000
   */
  busyTimeoutMs?: number;
  /** Open without write access: no migrations, and `applyBatch` fails. */
  readonly?: boolean;
  /**
   * Check rows read against core's zod schemas, so that a damaged or hand-edited file fails with a
   * clear error. A row whose digest shows it is exactly as this adapter validated and wrote it is
   * not checked again (see `RowDigest`); the others cost ~10 µs per title.
   * @default true
   */
  validateRows?: boolean;
}

export type SqliteStorage = StoragePort & {
  readonly path: string;
  /** The schema version of the open file (`PRAGMA user_version`). */
  schemaVersion(): number;
};

/**
 * The embedded store of the CLI: one SQLite file in WAL mode. Each batch is one IMMEDIATE
 * transaction, so a second process waits for the write lock (up to `busyTimeoutMs`) instead of
 * interleaving, and fails with `store_locked` if it cannot get it.
 */
export function openSqliteStorage(options: SqliteStorageOptions): SqliteStorage {
  const { path } = options;
  const validate = options.validateRows ?? true;
  const db = openDatabase({ path, busyTimeoutMs: options.busyTimeoutMs ?? 5000, readonly: options.readonly ?? false });

  const digests = {
    titles: new RowDigest(TitleSchema),
    series: new RowDigest(SeriesSchema),
    progress: new RowDigest(ProgressSchema),
    history: new RowDigest(ProgressHistoryEntrySchema),
    trackerBooks: new RowDigest(TrackerBookSchema),
    links: new RowDigest(LinkSchema),
    conflicts: new RowDigest(ConflictSchema),
    decisions: new RowDigest(MatchDecisionSchema),
    syncRuns: new RowDigest(SyncRunSchema),
    credentials: new RowDigest(CredentialBlobSchema),
  };
  const decode = {
    title: rowDecoder(TitleSchema, 'titles', path, validate, digests.titles),
    series: rowDecoder(SeriesSchema, 'series', path, validate, digests.series),
    progress: rowDecoder(ProgressSchema, 'progress', path, validate, digests.progress),
    history: rowDecoder(ProgressHistoryEntrySchema, 'history', path, validate, digests.history),
    trackerBook: rowDecoder(TrackerBookSchema, 'tracker_books', path, validate, digests.trackerBooks),
    link: rowDecoder(LinkSchema, 'links', path, validate, digests.links),
    conflict: rowDecoder(ConflictSchema, 'conflicts', path, validate, digests.conflicts),
    decision: rowDecoder(MatchDecisionSchema, 'decisions', path, validate, digests.decisions),
    syncRun: rowDecoder(SyncRunSchema, 'sync_runs', path, validate, digests.syncRuns),
    credential: rowDecoder(CredentialBlobSchema, 'credentials', path, validate, digests.credentials),
  };

  const queries = prepareQueries(db);

  const writer = options.readonly ? null : createBatchWriter(db, digests);
  // Each operation is validated right before it is written and then dropped, so a batch of
  // 100,000 titles is not held twice; an invalid one still rolls back everything before it.
  const applyInTransaction = db.transaction((owner: string, operations: readonly BatchOperation[]) => {
    for (let i = 0; i < operations.length; i++) writer!.apply(owner, parseOperation(operations[i]!, i));
  });

  /** Runs one port call: checks the store is open and the owner valid, and maps SQLite errors. */
  function withStore<T>(operation: string, ownerId: string, run: (owner: string) => T): Promise<T> {
    try {
      if (!db.open) throw new StorageError(operation, new Error(`the SagaSync store ${path} is closed`));
      return Promise.resolve(run(parseOwnerId(ownerId)));
    } catch (error) {
      return Promise.reject(toStoreError(error, path, operation));
    }
  }

  return {
    path,
    schemaVersion: () => readSchemaVersion(db),

    getTitle: (ownerId, asin) =>
      withStore('getTitle', ownerId, (owner) => one(queries.title.get(owner, asin), (row) => decode.title(owner, row.data, row.version, row.digest))),
    getTitles: (ownerId, asins) =>
      withStore('getTitles', ownerId, (owner) =>
        asins.length === 0 ? [] : queries.titlesIn.all(owner, JSON.stringify(asins)).map((row) => decode.title(owner, row.data, row.version, row.digest)),
      ),
    listTitles: (ownerId, filter = {}) =>
      withStore('listTitles', ownerId, (owner) => {
        const rows = filter.owned === undefined ? queries.titles.iterate(owner) : queries.titlesOwned.iterate(owner, filter.owned ? 1 : 0);
        // Decode while iterating, so 100,000 raw rows and their records are never held together.
        const titles = [];
        for (const row of rows) titles.push(decode.title(owner, row.data, row.version, row.digest));
        return titles;
      }),
    countTitles: (ownerId, filter = {}) =>
      withStore('countTitles', ownerId, (owner) =>
        filter.owned === undefined ? queries.countTitles.get(owner)! : queries.countTitlesOwned.get(owner, filter.owned ? 1 : 0)!,
      ),

    getSeries: (ownerId, key) =>
      withStore('getSeries', ownerId, (owner) => one(queries.series.get(owner, key), (row) => decode.series(owner, row.data, row.version, row.digest))),
    listSeries: (ownerId) =>
      withStore('listSeries', ownerId, (owner) => queries.allSeries.all(owner).map((row) => decode.series(owner, row.data, row.version, row.digest))),

    getProgress: (ownerId, asin) =>
      withStore('getProgress', ownerId, (owner) => one(queries.progress.get(owner, asin), (row) => decode.progress(owner, row.data, row.version, row.digest))),
    listProgress: (ownerId) =>
      withStore('listProgress', ownerId, (owner) => queries.allProgress.all(owner).map((row) => decode.progress(owner, row.data, row.version, row.digest))),
    listHistory: (ownerId, asin) =>
      withStore('listHistory', ownerId, (owner) => queries.history.all(owner, asin).map((row) => decode.history(owner, row.data, undefined, row.digest))),

    getTrackerBook: (ownerId, source, trackerId) =>
      withStore('getTrackerBook', ownerId, (owner) => one(queries.trackerBook.get(owner, source, trackerId), (row) => decode.trackerBook(owner, row.data, undefined, row.digest))),
    listTrackerBooks: (ownerId, source) =>
      withStore('listTrackerBooks', ownerId, (owner) =>
        queries.trackerBooks.all({ owner, source: source ?? null }).map((row) => decode.trackerBook(owner, row.data, undefined, row.digest)),
      ),

    listLinks: (ownerId, filter = {}) =>
      withStore('listLinks', ownerId, (owner) =>
        queries.links
          .all({ owner, asin: filter.asin ?? null, source: filter.source ?? null, trackerId: filter.trackerId ?? null })
          .map((row) => decode.link(owner, row.data, undefined, row.digest)),
      ),

    getConflict: (ownerId, id) =>
      withStore('getConflict', ownerId, (owner) => one(queries.conflict.get(owner, id), (row) => decode.conflict(owner, row.data, row.version, row.digest))),
    listConflicts: (ownerId, filter = {}) =>
      withStore('listConflicts', ownerId, (owner) =>
        queries.conflicts.all({ owner, status: filter.status ?? null }).map((row) => decode.conflict(owner, row.data, row.version, row.digest)),
      ),
    listDecisions: (ownerId, filter = {}) =>
      withStore('listDecisions', ownerId, (owner) =>
        queries.decisions.all({ owner, source: filter.source ?? null, trackerId: filter.trackerId ?? null }).map((row) => decode.decision(owner, row.data, undefined, row.digest)),
      ),

    listSyncRuns: (ownerId, filter = {}) =>
      withStore('listSyncRuns', ownerId, (owner) => {
        const limit = filter.limit;
        if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
          throw new SagaSyncError('invalid_input', 'listSyncRuns limit must be a non-negative integer', { details: { location: 'filter.limit' } });
        }
        // LIMIT -1 is SQLite for "no limit".
        return queries.syncRuns.all({ owner, kind: filter.kind ?? null, limit: limit ?? -1 }).map((row) => decode.syncRun(owner, row.data, undefined, row.digest));
      }),

    getSetting: (ownerId, key) =>
      withStore('getSetting', ownerId, (owner) => {
        const data = queries.setting.get(owner, key);
        return data === undefined ? null : (JSON.parse(data) as unknown);
      }),

    getCredential: (ownerId, name) =>
      withStore('getCredential', ownerId, (owner) => one(queries.credential.get(owner, name), (row) => decode.credential(owner, row.data, undefined, row.digest))),
    listCredentialNames: (ownerId) => withStore('listCredentialNames', ownerId, (owner) => queries.credentialNames.all(owner)),

    async applyBatch(ownerId, operations) {
      return withStore('applyBatch', ownerId, (owner) => {
        if (!writer) throw new SagaSyncError('storage_failure', `the SagaSync store ${path} was opened read-only`, { details: { location: path } });
        if (!Array.isArray(operations)) throw new SagaSyncError('invalid_input', 'applyBatch expects an array of operations');
        if (operations.length > 0) applyInTransaction.immediate(owner, operations);
        return { applied: operations.length };
      });
    },

    async close() {
      if (db.open) db.close();
    },
  };
}

function one<R, T>(row: R | undefined, decode: (row: R) => T): T | null {
  return row === undefined ? null : decode(row);
}
