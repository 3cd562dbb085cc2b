import {
  ConflictSchema,
  CredentialBlobSchema,
  ExpiringRecordSchema,
  LeaseSchema,
  LinkSchema,
  MatchDecisionSchema,
  MirrorRecordSchema,
  ProgressHistoryEntrySchema,
  ProgressSchema,
  SagaSyncError,
  SeriesAliasSchema,
  SeriesSchema,
  SourceBaselineSchema,
  StorageError,
  SyncRunSchema,
  TitleSchema,
  TrackerBookSchema,
  type BatchOperation,
  type ExpiringRecord,
  type Lease,
  type Page,
  type PageRequest,
  type StatusCounts,
  type StoragePort,
} from '@sagasync/core';
import {
  checkBatchSize,
  checkKindAndKey,
  checkName,
  decideAcquire,
  decideRenew,
  instantMs,
  isUnexpired,
  pageFrom,
  parseExpiringData,
  parseLeaseRequest,
  parseNow,
  parseOperation,
  parseOwnerId,
  parsePageRequest,
  parseStartedBefore,
  sortSlice,
  type CursorKey,
} from '@sagasync/storage';
import { createBatchWriter } from './batch-writer.js';
import { openDatabase, readSchemaVersion, seriesNameKey } from './open-database.js';
import type { PagedQuery } from './paged-query.js';
import { prepareQueries } from './read-queries.js';
import { rowDecoder } from './row-decoder.js';
import { RowDigest } from './row-digest.js';
import { toStoreError } from './sqlite-errors.js';
import { makeStoreFilesPrivate } from './store-files.js';

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
 * interleaving, and fails with `store_locked` if it cannot get it. Batches have no size limit.
 */
export function openSqliteStorage(options: SqliteStorageOptions): SqliteStorage {
  const { path } = options;
  const validate = options.validateRows ?? true;
  const db = openDatabase({ path, busyTimeoutMs: options.busyTimeoutMs ?? 5000, readonly: options.readonly ?? false });
  const limits = { maxOperationsPerBatch: Number.POSITIVE_INFINITY };

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
    mirrorRecords: new RowDigest(MirrorRecordSchema),
    baselines: new RowDigest(SourceBaselineSchema),
    seriesAliases: new RowDigest(SeriesAliasSchema),
  };
  // Leases and expiring records carry no digest column: their rows are always checked.
  const noDigest = new RowDigest(LeaseSchema);
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
    mirrorRecord: rowDecoder(MirrorRecordSchema, 'mirror_records', path, validate, digests.mirrorRecords),
    baseline: rowDecoder(SourceBaselineSchema, 'baselines', path, validate, digests.baselines),
    seriesAlias: rowDecoder(SeriesAliasSchema, 'series_aliases', path, validate, digests.seriesAliases),
    lease: rowDecoder(LeaseSchema, 'leases', path, true, noDigest),
    expiring: rowDecoder(ExpiringRecordSchema, 'expiring', path, true, noDigest),
  };

  const queries = prepareQueries(db);

  const writer = options.readonly ? null : createBatchWriter(db, digests);
  // Each operation is validated right before it is written and then dropped, so a batch of
  // 100,000 titles is not held twice; an invalid one still rolls back everything before it.
  const applyInTransaction = db.transaction((owner: string, operations: readonly BatchOperation[]) => {
    for (let i = 0; i < operations.length; i++) writer!.apply(owner, parseOperation(operations[i]!, i));
  });

  const putLease = db.prepare<[string, string, string]>(
    'INSERT INTO leases (owner_id, name, data) VALUES (?, ?, ?) ON CONFLICT (owner_id, name) DO UPDATE SET data = excluded.data',
  );
  const deleteLease = db.prepare<[string, string]>('DELETE FROM leases WHERE owner_id = ? AND name = ?');
  const putExpiringRow = db.prepare<[string, string, string, number, string]>(
    `INSERT INTO expiring (owner_id, kind, key, expires_ms, data) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (owner_id, kind, key) DO UPDATE SET expires_ms = excluded.expires_ms, data = excluded.data`,
  );
  const purgeExpiredRows = db.prepare<[string, number]>('DELETE FROM expiring WHERE owner_id = ? AND expires_ms <= ?');
  const purgeSyncRunRows = db.prepare<[string, number]>('DELETE FROM sync_runs WHERE owner_id = ? AND started_ms < ?');

  /** Runs one port call: checks the store is open and the owner valid, and maps SQLite errors. */
  function withStore<T>(operation: string, ownerId: string, run: (owner: string) => T): Promise<T> {
    try {
      if (!db.open) throw new StorageError(operation, new Error(`the SagaSync store ${path} is closed`));
      return Promise.resolve(run(parseOwnerId(ownerId)));
    } catch (error) {
      return Promise.reject(toStoreError(error, path, operation));
    }
  }

  /** Like `withStore`, for a read-modify-write that must not interleave with another process's. */
  function withWrite<T>(operation: string, ownerId: string, run: (owner: string) => T): Promise<T> {
    return withStore(operation, ownerId, (owner) => {
      if (!writer) throw new SagaSyncError('storage_failure', `the SagaSync store ${path} was opened read-only`, { details: { location: path } });
      return db.transaction(() => run(owner)).immediate();
    });
  }

  /** A page of a list: rows after the cursor, decoded while iterating, one past the limit to know if more follow. */
  function page<R, T>(query: PagedQuery<R>, params: Record<string, unknown>, request: PageRequest | undefined, decodeRow: (row: R) => T, keyOf: (item: T) => CursorKey): Page<T> {
    const { limit, after } = parsePageRequest(request, query.arity);
    const items: T[] = [];
    for (const row of query.iterate(params, after, limit === undefined ? -1 : limit + 1)) items.push(decodeRow(row));
    return pageFrom(items, limit, keyOf);
  }

  const owned = (value: boolean | undefined) => (value === undefined ? null : value ? 1 : 0);

  return {
    path,
    limits,
    schemaVersion: () => readSchemaVersion(db),

    getTitle: (ownerId, asin) =>
      withStore('getTitle', ownerId, (owner) => one(queries.title.get(owner, asin), (row) => decode.title(owner, row.data, row.version, row.digest))),
    getTitles: (ownerId, asins) =>
      withStore('getTitles', ownerId, (owner) =>
        asins.length === 0 ? [] : queries.titlesIn.all(owner, JSON.stringify(asins)).map((row) => decode.title(owner, row.data, row.version, row.digest)),
      ),
    listTitles: (ownerId, query = {}) =>
      withStore('listTitles', ownerId, (owner) => {
        const seriesKeys = query.seriesKeys === undefined ? null : JSON.stringify([...query.seriesKeys]);
        const params = { owner, owned: owned(query.owned) };
        const statement =
          query.status !== undefined ? queries.titlesByStatus : seriesKeys !== null ? queries.titlesInSeries : queries.titles;
        const bound =
          query.status !== undefined ? { ...params, status: query.status, seriesKeys } : seriesKeys !== null ? { ...params, seriesKeys } : params;
        return page(statement, bound, query, (row) => decode.title(owner, row.data, row.version, row.digest), (title) => [title.asin]);
      }),
    countTitles: (ownerId, filter = {}) =>
      withStore('countTitles', ownerId, (owner) =>
        filter.owned === undefined ? queries.countTitles.get(owner)! : queries.countTitlesOwned.get(owner, filter.owned ? 1 : 0)!,
      ),
    countTitlesByStatus: (ownerId, filter = {}) =>
      withStore('countTitlesByStatus', ownerId, (owner) => {
        const counts: StatusCounts = { not_started: 0, in_progress: 0, finished: 0 };
        const rows = filter.owned === undefined ? queries.countByStatus.all(owner) : queries.countByStatusOwned.all(owner, filter.owned ? 1 : 0);
        for (const row of rows) counts[row.status as keyof StatusCounts] += row.count;
        return counts;
      }),

    getSeries: (ownerId, key) =>
      withStore('getSeries', ownerId, (owner) => one(queries.series.get(owner, key), (row) => decode.series(owner, row.data, row.version, row.digest))),
    listSeries: (ownerId, query) =>
      withStore('listSeries', ownerId, (owner) =>
        page(queries.allSeries, { owner }, query, (row) => decode.series(owner, row.data, row.version, row.digest), (series) => [series.key]),
      ),
    findSeriesByName: (ownerId, name, query = {}) =>
      withStore('findSeriesByName', ownerId, (owner) => {
        if (typeof name !== 'string') throw new SagaSyncError('invalid_input', 'a series name must be a string', { details: { location: 'name' } });
        return page(
          query.prefix ? queries.seriesByNamePrefix : queries.seriesByName,
          { owner, name: seriesNameKey(name) },
          query,
          (row) => decode.series(owner, row.data, row.version, row.digest),
          (series) => [seriesNameKey(series.title), series.key],
        );
      }),

    getProgress: (ownerId, asin) =>
      withStore('getProgress', ownerId, (owner) => one(queries.progress.get(owner, asin), (row) => decode.progress(owner, row.data, row.version, row.digest))),
    getProgresses: (ownerId, asins) =>
      withStore('getProgresses', ownerId, (owner) =>
        asins.length === 0 ? [] : queries.progressIn.all(owner, JSON.stringify(asins)).map((row) => decode.progress(owner, row.data, row.version, row.digest)),
      ),
    getSeriesSlice: (ownerId, seriesKeys) =>
      withStore('getSeriesSlice', ownerId, (owner) => {
        if (seriesKeys.length === 0) return { series: [], titles: [], progress: [] };
        const keys = JSON.stringify([...new Set(seriesKeys)]);
        // One read transaction: another process's commit between the three reads cannot split them.
        return db.transaction(() =>
          sortSlice({
            series: queries.sliceSeries.all(owner, keys).map((row) => decode.series(owner, row.data, row.version, row.digest)),
            titles: queries.sliceTitles.all(owner, owner, keys).map((row) => decode.title(owner, row.data, row.version, row.digest)),
            progress: queries.sliceProgress.all(owner, owner, keys).map((row) => decode.progress(owner, row.data, row.version, row.digest)),
          }),
        )();
      }),
    listProgress: (ownerId, query = {}) =>
      withStore('listProgress', ownerId, (owner) =>
        page(queries.allProgress, { owner, status: query.status ?? null }, query, (row) => decode.progress(owner, row.data, row.version, row.digest), (p) => [p.asin]),
      ),
    listHistory: (ownerId, asin, query) =>
      withStore('listHistory', ownerId, (owner) =>
        page(queries.history, { owner, asin }, query, (row) => decode.history(owner, row.data, undefined, row.digest), (entry) => [instantMs(entry.at), entry.id]),
      ),

    getTrackerBook: (ownerId, source, trackerId) =>
      withStore('getTrackerBook', ownerId, (owner) => one(queries.trackerBook.get(owner, source, trackerId), (row) => decode.trackerBook(owner, row.data, undefined, row.digest))),
    listTrackerBooks: (ownerId, query = {}) =>
      withStore('listTrackerBooks', ownerId, (owner) =>
        page(
          queries.trackerBooks,
          { owner, source: query.source ?? null },
          query,
          (row) => decode.trackerBook(owner, row.data, undefined, row.digest),
          (book) => [book.source, book.trackerId],
        ),
      ),

    listLinks: (ownerId, query = {}) =>
      withStore('listLinks', ownerId, (owner) =>
        page(
          queries.links,
          { owner, asin: query.asin ?? null, source: query.source ?? null, trackerId: query.trackerId ?? null },
          query,
          (row) => decode.link(owner, row.data, undefined, row.digest),
          (link) => [link.asin, link.source],
        ),
      ),

    getConflict: (ownerId, id) =>
      withStore('getConflict', ownerId, (owner) => one(queries.conflict.get(owner, id), (row) => decode.conflict(owner, row.data, row.version, row.digest))),
    listConflicts: (ownerId, query = {}) =>
      withStore('listConflicts', ownerId, (owner) =>
        page(queries.conflicts, { owner, status: query.status ?? null }, query, (row) => decode.conflict(owner, row.data, row.version, row.digest), (c) => [c.id]),
      ),
    listDecisions: (ownerId, query = {}) =>
      withStore('listDecisions', ownerId, (owner) =>
        page(
          queries.decisions,
          { owner, source: query.source ?? null, trackerId: query.trackerId ?? null },
          query,
          (row) => decode.decision(owner, row.data, undefined, row.digest),
          (decision) => [decision.source, decision.trackerId, decision.asin ?? ''],
        ),
      ),

    listSyncRuns: (ownerId, query = {}) =>
      withStore('listSyncRuns', ownerId, (owner) =>
        page(
          queries.syncRuns,
          { owner, kind: query.kind ?? null },
          query,
          (row) => decode.syncRun(owner, row.data, undefined, row.digest),
          (run) => [instantMs(run.startedAt), run.id],
        ),
      ),

    getSetting: (ownerId, key) =>
      withStore('getSetting', ownerId, (owner) => {
        const data = queries.setting.get(owner, key);
        return data === undefined ? null : (JSON.parse(data) as unknown);
      }),
    listSettings: (ownerId, query) =>
      withStore('listSettings', ownerId, (owner) =>
        page(queries.settings, { owner }, query, (row) => ({ key: row.key, value: JSON.parse(row.data) as unknown }), (setting) => [setting.key]),
      ),

    getCredential: (ownerId, name) =>
      withStore('getCredential', ownerId, (owner) => one(queries.credential.get(owner, name), (row) => decode.credential(owner, row.data, undefined, row.digest))),
    listCredentialNames: (ownerId, query) =>
      withStore('listCredentialNames', ownerId, (owner) => page(queries.credentialNames, { owner }, query, (row) => row.name, (name) => [name])),

    getMirrorRecord: (ownerId, table, key) =>
      withStore('getMirrorRecord', ownerId, (owner) => one(queries.mirrorRecord.get(owner, table, key), (row) => decode.mirrorRecord(owner, row.data, undefined, row.digest))),
    listMirrorRecords: (ownerId, query = {}) =>
      withStore('listMirrorRecords', ownerId, (owner) =>
        page(
          queries.mirrorRecords,
          { owner, table: query.table ?? null },
          query,
          (row) => decode.mirrorRecord(owner, row.data, undefined, row.digest),
          (record) => [record.table, record.key],
        ),
      ),

    listBaselines: (ownerId, asin) =>
      withStore('listBaselines', ownerId, (owner) => queries.baselines.all(owner, asin).map((row) => decode.baseline(owner, row.data, undefined, row.digest))),
    listSourceBaselines: (ownerId, source, query = {}) =>
      withStore('listSourceBaselines', ownerId, (owner) =>
        page(queries.sourceBaselines, { owner, source }, query, (row) => decode.baseline(owner, row.data, undefined, row.digest), (baseline) => [baseline.asin]),
      ),

    getSeriesAlias: (ownerId, alias) =>
      withStore('getSeriesAlias', ownerId, (owner) => one(queries.seriesAlias.get(owner, alias), (row) => decode.seriesAlias(owner, row.data, undefined, row.digest))),
    listSeriesAliases: (ownerId, query = {}) =>
      withStore('listSeriesAliases', ownerId, (owner) =>
        page(
          queries.seriesAliases,
          { owner, seriesKey: query.seriesKey ?? null },
          query,
          (row) => decode.seriesAlias(owner, row.data, undefined, row.digest),
          (alias) => [alias.alias],
        ),
      ),

    acquireLease: (ownerId, request) =>
      withWrite('acquireLease', ownerId, (owner) => {
        const parsed = parseLeaseRequest(request);
        const next = decideAcquire(owner, readLease(owner, parsed.name), parsed);
        if (next) putLease.run(owner, next.name, leaseData(next));
        return next;
      }),
    renewLease: (ownerId, request) =>
      withWrite('renewLease', ownerId, (owner) => {
        const parsed = parseLeaseRequest(request);
        const next = decideRenew(readLease(owner, parsed.name), parsed);
        if (next) putLease.run(owner, next.name, leaseData(next));
        return next;
      }),
    releaseLease: (ownerId, name, holder) =>
      withWrite('releaseLease', ownerId, (owner) => {
        checkName(name, 'name');
        checkName(holder, 'holder');
        if (readLease(owner, name)?.holder !== holder) return false;
        deleteLease.run(owner, name);
        return true;
      }),
    getLease: (ownerId, name) => withStore('getLease', ownerId, (owner) => readLease(owner, name)),

    getExpiring: (ownerId, kind, key, now) =>
      withStore('getExpiring', ownerId, (owner) => {
        checkKindAndKey(kind, key);
        const nowMs = parseNow(now);
        const record = readExpiring(owner, kind, key);
        return record && isUnexpired(record, nowMs) ? record : null;
      }),
    putExpiring: (ownerId, record, options) =>
      withWrite('putExpiring', ownerId, (owner) => {
        const value = parseExpiringData(record);
        const nowMs = parseNow(options?.now);
        if (options.ifAbsent) {
          const existing = readExpiring(owner, value.kind, value.key);
          if (existing && isUnexpired(existing, nowMs)) return { stored: false, current: existing };
        }
        putExpiringRow.run(owner, value.kind, value.key, instantMs(value.expiresAt), JSON.stringify(value));
        return { stored: true, current: { ...value, ownerId: owner } };
      }),
    listExpiring: (ownerId, kind, now, query) =>
      withStore('listExpiring', ownerId, (owner) => {
        checkName(kind, 'kind');
        return page(queries.expiringOfKind, { owner, kind, now: parseNow(now) }, query, (row) => decode.expiring(owner, row.data, undefined, null), (r) => [r.key]);
      }),
    purgeExpired: (ownerId, now) => withWrite('purgeExpired', ownerId, (owner) => purgeExpiredRows.run(owner, parseNow(now)).changes),
    purgeSyncRuns: (ownerId, startedBefore) => withWrite('purgeSyncRuns', ownerId, (owner) => purgeSyncRunRows.run(owner, parseStartedBefore(startedBefore)).changes),

    async applyBatch(ownerId, operations) {
      return withStore('applyBatch', ownerId, (owner) => {
        if (!writer) throw new SagaSyncError('storage_failure', `the SagaSync store ${path} was opened read-only`, { details: { location: path } });
        if (!Array.isArray(operations)) throw new SagaSyncError('invalid_input', 'applyBatch expects an array of operations');
        checkBatchSize(operations, limits);
        // Secrets go only into files nobody else can read, whatever mode an older store had.
        if (operations.some((operation) => (operation as { op?: unknown } | null)?.op === 'putCredential')) makeStoreFilesPrivate(path);
        if (operations.length > 0) applyInTransaction.immediate(owner, operations);
        return { applied: operations.length };
      });
    },

    async close() {
      if (db.open) db.close();
    },
  };

  function readLease(owner: string, name: string): Lease | null {
    const data = queries.lease.get(owner, name);
    return data === undefined ? null : decode.lease(owner, data, undefined, null);
  }

  function readExpiring(owner: string, kind: string, key: string): ExpiringRecord | null {
    const row = queries.expiring.get(owner, kind, key);
    return row === undefined ? null : decode.expiring(owner, row.data, undefined, null);
  }
}

/** Stored without the owner, which is a column. */
function leaseData(lease: Lease): string {
  const { ownerId: _owner, ...data } = lease;
  return JSON.stringify(data);
}

function one<R, T>(row: R | undefined, decode: (row: R) => T): T | null {
  return row === undefined ? null : decode(row);
}
