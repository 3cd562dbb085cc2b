import {
  ConflictSchema,
  CredentialBlobSchema,
  ExpiringRecordSchema,
  LeaseSchema,
  LinkSchema,
  MatchDecisionSchema,
  MirrorRecordSchema,
  normaliseSeriesTitle,
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
  type SeriesSlice,
  type StatusCounts,
  type StorageLimits,
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
  parseExpiringData,
  parseLeaseRequest,
  parseNow,
  parseOperation,
  parseOwnerId,
  parseStartedBefore,
  sortSlice,
} from '@sagasync/storage';
import type { Pool, PoolClient } from 'pg';
import { applyGroups, planBatch } from './batch/apply-writes.js';
import { BATCH_CONFLICT_STATE, singleStatementOf } from './batch/single-statement.js';
import { describeTarget, isRetryable, sqlState, toPostgresError } from './postgres-errors.js';
import { rowDecoder } from './row-decoder.js';
import { sideWrites } from './side-writes.js';
import { listPage, Params, type Queryable } from './sql.js';
import { withTransaction } from './transaction.js';

export interface PostgresStorageOptions {
  /** The caller's pool; the schema must be migrated first (`migratePostgres`). */
  pool: Pool;
  /**
   * End the pool on `close()`. Off by default: the pool is the caller's, often shared with the directory.
   * @default false
   */
  endPoolOnClose?: boolean;
}

/**
 * Operations one `applyBatch` applies atomically. Finite on purpose: one batch is one transaction
 * holding row locks until it commits, so a bound keeps lock time short for concurrent writers and
 * a failed batch cheap to retry; use cases split larger change sets (`applyInChunks`), as they must
 * for DynamoDB's 100. 1000 keeps a 10,000-title import to ten transactions.
 */
export const POSTGRES_MAX_OPERATIONS_PER_BATCH = 1000;

interface VersionedRow {
  version: number;
  data: unknown;
}
interface DataRow {
  data: unknown;
}

/** A title's listening status: its progress row's, `not_started` without one. */
const TITLE_STATUS = "coalesce(p.status, 'not_started')";
/** Sets the row-level-security owner: `$2` true for the transaction only (SET LOCAL), false for the session. */
const SET_OWNER = "SELECT set_config('sagasync.owner_id', $1, $2)";

/** `getSeriesSlice`: the series among `$2`, the titles in any of them, and those titles' progress, tagged by kind. */
const SERIES_SLICE = `WITH members AS (SELECT DISTINCT asin FROM title_series WHERE owner_id = $1 AND series_key = ANY($2::text[]))
  SELECT 's' AS kind, version, data FROM series WHERE owner_id = $1 AND key = ANY($2::text[])
  UNION ALL SELECT 't', version, data FROM titles WHERE owner_id = $1 AND asin IN (SELECT asin FROM members)
  UNION ALL SELECT 'p', version, data FROM progress WHERE owner_id = $1 AND asin IN (SELECT asin FROM members)`;

/** The owner a pooled connection's session is set to (see `withOwner`); pg gives each connection one client object. */
const sessionOwner = new WeakMap<object, string>();

/** Titles with their status, joined at read time rather than copied, so no write can leave the copy stale. */
const TITLES_WITH_STATUS = 'FROM titles t LEFT JOIN progress p ON p.owner_id = t.owner_id AND p.asin = t.asin';

/**
 * The library port on PostgreSQL. Every statement names the owner, and every table leads its keys
 * with it. Each `applyBatch` is one READ COMMITTED transaction whose versioned writes are
 * conditional statements, a few per batch (see batch/apply-writes.ts), retried whole on a deadlock.
 */
export function createPostgresStorage(options: PostgresStorageOptions): StoragePort {
  const { pool } = options;
  const target = describeTarget(pool);
  const limits: StorageLimits = { maxOperationsPerBatch: POSTGRES_MAX_OPERATIONS_PER_BATCH };
  let closed = false;

  const decode = {
    title: rowDecoder(TitleSchema, 'titles', target),
    series: rowDecoder(SeriesSchema, 'series', target),
    progress: rowDecoder(ProgressSchema, 'progress', target),
    history: rowDecoder(ProgressHistoryEntrySchema, 'history', target),
    trackerBook: rowDecoder(TrackerBookSchema, 'tracker_books', target),
    link: rowDecoder(LinkSchema, 'links', target),
    conflict: rowDecoder(ConflictSchema, 'conflicts', target),
    decision: rowDecoder(MatchDecisionSchema, 'decisions', target),
    syncRun: rowDecoder(SyncRunSchema, 'sync_runs', target),
    credential: rowDecoder(CredentialBlobSchema, 'credentials', target),
    mirrorRecord: rowDecoder(MirrorRecordSchema, 'mirror_records', target),
    baseline: rowDecoder(SourceBaselineSchema, 'baselines', target),
    seriesAlias: rowDecoder(SeriesAliasSchema, 'series_aliases', target),
    lease: rowDecoder(LeaseSchema, 'leases', target),
    expiring: rowDecoder(ExpiringRecordSchema, 'expiring', target),
  };

  /** Runs one port call: checks the store is open and the owner valid, and maps pg's errors. */
  async function withStore<T>(operation: string, ownerId: string, run: (owner: string) => Promise<T>): Promise<T> {
    try {
      if (closed) throw new StorageError(operation, new Error(`the SagaSync store ${target} is closed`));
      return await run(parseOwnerId(ownerId));
    } catch (error) {
      throw toPostgresError(error, pool, operation);
    }
  }

  /**
   * One port call that reads (or makes one single-statement write) on a client of its own whose
   * session names the owner for the row-level-security policy (`sagasync.owner_id`): one round trip
   * more than a bare `pool.query`. The setting is the session's, not a transaction's, so a read
   * needs no BEGIN and COMMIT; every call sets it again before its first statement, so a
   * connection's previous owner never carries over into a call of the adapter.
   */
  function withOwner<T>(operation: string, ownerId: string, run: (db: PoolClient, owner: string) => Promise<T>): Promise<T> {
    return withStore(operation, ownerId, (owner) => asOwner(owner, (db) => run(db, owner)));
  }

  /** `withOwner`'s client, without its error mapping: runs `run` on a pooled client whose session names `owner`. */
  async function asOwner<T>(owner: string, run: (db: PoolClient) => Promise<T>): Promise<T> {
    const db = await pool.connect();
    let failure: Error | undefined;
    try {
      // A pooled connection keeps its session setting: set it only when it is another owner's,
      // which halves the round trips of a request's reads (a server reads one owner at a time).
      if (sessionOwner.get(db) !== owner) {
        sessionOwner.delete(db);
        await db.query(SET_OWNER, [owner, false]);
        sessionOwner.set(db, owner);
      }
      return await run(db);
    } catch (error) {
      // As pool.query does, a client whose statement failed is not handed back (it may be broken);
      // one that only saw our own validation or decoding fail, or a batch's conflict signal, is.
      if (!SagaSyncError.isInstance(error) && sqlState(error) !== BATCH_CONFLICT_STATE) failure = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      db.release(failure);
    }
  }

  /**
   * A transaction for the owner: its first statement sets `sagasync.owner_id` for the transaction
   * only (`set_config(..., true)`, which is SET LOCAL), together with `first` when given, so the
   * setting costs no round trip of its own there.
   */
  function ownerTransaction<T>(owner: string, body: (db: PoolClient) => Promise<T>, first?: { sql: string; params: unknown[] }): Promise<T> {
    return withTransaction(pool, async (db) => {
      if (first) await db.query(`SELECT set_config('sagasync.owner_id', $1, true), ${first.sql}`, [owner, ...first.params]);
      // A connection whose session is this owner's already needs no setting for the transaction.
      else if (sessionOwner.get(db) !== owner) await db.query(SET_OWNER, [owner, true]);
      return body(db);
    });
  }

  /**
   * A read-modify-write of one side record (a lease, an expiring record) in a transaction holding an
   * advisory lock on its key, so two callers racing on it run one after the other.
   */
  function withKeyLock<T>(operation: string, ownerId: string, key: readonly string[], run: (db: PoolClient, owner: string) => Promise<T>): Promise<T> {
    return withStore(operation, ownerId, (owner) =>
      ownerTransaction(owner, (db) => run(db, owner), {
        sql: 'pg_advisory_xact_lock(hashtextextended($2, 0))',
        params: [JSON.stringify([owner, ...key])],
      }),
    );
  }

  async function one<R extends object, T>(db: PoolClient, sql: string, params: unknown[], decodeRow: (row: R) => T): Promise<T | null> {
    const { rows } = await db.query<R & object>(sql, params);
    return rows[0] === undefined ? null : decodeRow(rows[0]);
  }

  async function readLease(db: Queryable, owner: string, name: string): Promise<Lease | null> {
    const { rows } = await db.query<DataRow>('SELECT data FROM leases WHERE owner_id = $1 AND name = $2', [owner, name]);
    return rows[0] === undefined ? null : decode.lease(owner, rows[0].data);
  }

  async function readExpiring(db: Queryable, owner: string, kind: string, key: string): Promise<ExpiringRecord | null> {
    const { rows } = await db.query<DataRow>('SELECT data FROM expiring WHERE owner_id = $1 AND kind = $2 AND key = $3', [owner, kind, key]);
    return rows[0] === undefined ? null : decode.expiring(owner, rows[0].data);
  }

  /** `owner_id = $1` plus the optional equality filters that are set. */
  function filters(owner: string, optional: Record<string, unknown>, alias = ''): { params: Params; where: string[] } {
    const params = new Params();
    const where = [`${alias}owner_id = ${params.add(owner)}`];
    for (const [column, value] of Object.entries(optional)) if (value !== undefined) where.push(`${column} = ${params.add(value)}`);
    return { params, where };
  }

  return {
    limits,

    getTitle: (ownerId, asin) =>
      withOwner('getTitle', ownerId, (db, owner) =>
        one<VersionedRow, ReturnType<typeof decode.title>>(db, 'SELECT version, data FROM titles WHERE owner_id = $1 AND asin = $2', [owner, asin], (row) =>
          decode.title(owner, row.data, row.version),
        ),
      ),
    getTitles: (ownerId, asins) =>
      withOwner('getTitles', ownerId, async (db, owner) => {
        if (asins.length === 0) return [];
        const { rows } = await db.query<VersionedRow>('SELECT version, data FROM titles WHERE owner_id = $1 AND asin = ANY($2::text[])', [owner, [...asins]]);
        return rows.map((row) => decode.title(owner, row.data, row.version));
      }),
    listTitles: (ownerId, query = {}) =>
      withOwner('listTitles', ownerId, (db, owner) => {
        const { params, where } = filters(owner, { 't.owned': query.owned }, 't.');
        if (query.seriesKeys !== undefined) {
          where.push(`t.asin IN (SELECT asin FROM title_series WHERE owner_id = $1 AND series_key = ANY(${params.add([...query.seriesKeys])}::text[]))`);
        }
        if (query.status !== undefined) where.push(`${TITLE_STATUS} = ${params.add(query.status)}`);
        return listPage<VersionedRow, ReturnType<typeof decode.title>>(
          db,
          { select: `SELECT t.version, t.data ${TITLES_WITH_STATUS}`, where, params, order: ['t.asin'] },
          query,
          (row) => decode.title(owner, row.data, row.version),
          (title) => [title.asin],
        );
      }),
    countTitles: (ownerId, filter = {}) =>
      withOwner('countTitles', ownerId, async (db, owner) => {
        const { params, where } = filters(owner, { owned: filter.owned });
        const { rows } = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM titles WHERE ${where.join(' AND ')}`, params.values);
        return rows[0]!.count;
      }),
    countTitlesByStatus: (ownerId, filter = {}) =>
      withOwner('countTitlesByStatus', ownerId, async (db, owner) => {
        const { params, where } = filters(owner, { 't.owned': filter.owned }, 't.');
        const { rows } = await db.query<{ status: keyof StatusCounts; count: number }>(
          `SELECT ${TITLE_STATUS} AS status, count(*)::int AS count ${TITLES_WITH_STATUS} WHERE ${where.join(' AND ')} GROUP BY 1`,
          params.values,
        );
        const counts: StatusCounts = { not_started: 0, in_progress: 0, finished: 0 };
        for (const row of rows) counts[row.status] += row.count;
        return counts;
      }),

    getSeries: (ownerId, key) =>
      withOwner('getSeries', ownerId, (db, owner) =>
        one<VersionedRow, ReturnType<typeof decode.series>>(db, 'SELECT version, data FROM series WHERE owner_id = $1 AND key = $2', [owner, key], (row) =>
          decode.series(owner, row.data, row.version),
        ),
      ),
    listSeries: (ownerId, query) =>
      withOwner('listSeries', ownerId, (db, owner) => {
        const { params, where } = filters(owner, {});
        return listPage<VersionedRow, ReturnType<typeof decode.series>>(
          db,
          { select: 'SELECT version, data FROM series', where, params, order: ['key'] },
          query,
          (row) => decode.series(owner, row.data, row.version),
          (series) => [series.key],
        );
      }),
    findSeriesByName: (ownerId, name, query = {}) =>
      withOwner('findSeriesByName', ownerId, (db, owner) => {
        if (typeof name !== 'string') throw new SagaSyncError('invalid_input', 'a series name must be a string', { details: { location: 'name' } });
        const { params, where } = filters(owner, {});
        const wanted = params.add(normaliseSeriesTitle(name));
        // A prefix as a range on the index: every key that starts with it sorts below it || U+10FFFF.
        where.push(query.prefix ? `name_key >= ${wanted} AND name_key < ${wanted} || chr(1114111)` : `name_key = ${wanted}`);
        return listPage<VersionedRow, ReturnType<typeof decode.series>>(
          db,
          { select: 'SELECT version, data FROM series', where, params, order: ['name_key', 'key'] },
          query,
          (row) => decode.series(owner, row.data, row.version),
          (series) => [normaliseSeriesTitle(series.title), series.key],
        );
      }),

    getProgress: (ownerId, asin) =>
      withOwner('getProgress', ownerId, (db, owner) =>
        one<VersionedRow, ReturnType<typeof decode.progress>>(db, 'SELECT version, data FROM progress WHERE owner_id = $1 AND asin = $2', [owner, asin], (row) =>
          decode.progress(owner, row.data, row.version),
        ),
      ),
    getProgresses: (ownerId, asins) =>
      withOwner('getProgresses', ownerId, async (db, owner) => {
        if (asins.length === 0) return [];
        const { rows } = await db.query<VersionedRow>('SELECT version, data FROM progress WHERE owner_id = $1 AND asin = ANY($2::text[])', [owner, [...asins]]);
        return rows.map((row) => decode.progress(owner, row.data, row.version));
      }),
    getSeriesSlice: (ownerId, seriesKeys) =>
      withOwner('getSeriesSlice', ownerId, async (db, owner) => {
        const slice: SeriesSlice = { series: [], titles: [], progress: [] };
        if (seriesKeys.length === 0) return slice;
        // One statement, so one snapshot and one round trip for the three reads of a cascade.
        const { rows } = await db.query<VersionedRow & { kind: 's' | 't' | 'p' }>(SERIES_SLICE, [owner, [...new Set(seriesKeys)]]);
        for (const row of rows) {
          if (row.kind === 's') slice.series.push(decode.series(owner, row.data, row.version));
          else if (row.kind === 't') slice.titles.push(decode.title(owner, row.data, row.version));
          else slice.progress.push(decode.progress(owner, row.data, row.version));
        }
        return sortSlice(slice);
      }),
    listProgress: (ownerId, query = {}) =>
      withOwner('listProgress', ownerId, (db, owner) => {
        const { params, where } = filters(owner, { status: query.status });
        return listPage<VersionedRow, ReturnType<typeof decode.progress>>(
          db,
          { select: 'SELECT version, data FROM progress', where, params, order: ['asin'] },
          query,
          (row) => decode.progress(owner, row.data, row.version),
          (p) => [p.asin],
        );
      }),
    listHistory: (ownerId, asin, query) =>
      withOwner('listHistory', ownerId, (db, owner) => {
        const { params, where } = filters(owner, { asin });
        return listPage<DataRow, ReturnType<typeof decode.history>>(
          db,
          { select: 'SELECT data FROM history', where, params, order: ['at_ms', 'id'] },
          query,
          (row) => decode.history(owner, row.data),
          (entry) => [instantMs(entry.at), entry.id],
        );
      }),

    getTrackerBook: (ownerId, source, trackerId) =>
      withOwner('getTrackerBook', ownerId, (db, owner) =>
        one<DataRow, ReturnType<typeof decode.trackerBook>>(
          db,
          'SELECT data FROM tracker_books WHERE owner_id = $1 AND source = $2 AND tracker_id = $3',
          [owner, source, trackerId],
          (row) => decode.trackerBook(owner, row.data),
        ),
      ),
    listTrackerBooks: (ownerId, query = {}) =>
      withOwner('listTrackerBooks', ownerId, (db, owner) => {
        const { params, where } = filters(owner, { source: query.source });
        return listPage<DataRow, ReturnType<typeof decode.trackerBook>>(
          db,
          { select: 'SELECT data FROM tracker_books', where, params, order: ['source', 'tracker_id'] },
          query,
          (row) => decode.trackerBook(owner, row.data),
          (book) => [book.source, book.trackerId],
        );
      }),

    listLinks: (ownerId, query = {}) =>
      withOwner('listLinks', ownerId, (db, owner) => {
        const { params, where } = filters(owner, { asin: query.asin, source: query.source, tracker_id: query.trackerId });
        return listPage<DataRow, ReturnType<typeof decode.link>>(
          db,
          { select: 'SELECT data FROM links', where, params, order: ['asin', 'source'] },
          query,
          (row) => decode.link(owner, row.data),
          (link) => [link.asin, link.source],
        );
      }),

    getConflict: (ownerId, id) =>
      withOwner('getConflict', ownerId, (db, owner) =>
        one<VersionedRow, ReturnType<typeof decode.conflict>>(db, 'SELECT version, data FROM conflicts WHERE owner_id = $1 AND id = $2', [owner, id], (row) =>
          decode.conflict(owner, row.data, row.version),
        ),
      ),
    listConflicts: (ownerId, query = {}) =>
      withOwner('listConflicts', ownerId, (db, owner) => {
        const { params, where } = filters(owner, { status: query.status });
        return listPage<VersionedRow, ReturnType<typeof decode.conflict>>(
          db,
          { select: 'SELECT version, data FROM conflicts', where, params, order: ['id'] },
          query,
          (row) => decode.conflict(owner, row.data, row.version),
          (c) => [c.id],
        );
      }),
    listDecisions: (ownerId, query = {}) =>
      withOwner('listDecisions', ownerId, (db, owner) => {
        const { params, where } = filters(owner, { source: query.source, tracker_id: query.trackerId });
        return listPage<DataRow, ReturnType<typeof decode.decision>>(
          db,
          { select: 'SELECT data FROM decisions', where, params, order: ['source', 'tracker_id', 'asin_key'] },
          query,
          (row) => decode.decision(owner, row.data),
          (decision) => [decision.source, decision.trackerId, decision.asin ?? ''],
        );
      }),

    listSyncRuns: (ownerId, query = {}) =>
      withOwner('listSyncRuns', ownerId, (db, owner) => {
        const { params, where } = filters(owner, { kind: query.kind });
        return listPage<DataRow, ReturnType<typeof decode.syncRun>>(
          db,
          { select: 'SELECT data FROM sync_runs', where, params, order: ['started_ms', 'id'], descending: true },
          query,
          (row) => decode.syncRun(owner, row.data),
          (run) => [instantMs(run.startedAt), run.id],
        );
      }),

    getSetting: (ownerId, key) =>
      withOwner('getSetting', ownerId, async (db, owner) => {
        const { rows } = await db.query<DataRow>('SELECT data FROM settings WHERE owner_id = $1 AND key = $2', [owner, key]);
        return rows[0] === undefined ? null : rows[0].data;
      }),
    listSettings: (ownerId, query) =>
      withOwner('listSettings', ownerId, (db, owner) => {
        const { params, where } = filters(owner, {});
        return listPage<{ key: string; data: unknown }, { key: string; value: unknown }>(
          db,
          { select: 'SELECT key, data FROM settings', where, params, order: ['key'] },
          query,
          (row) => ({ key: row.key, value: row.data }),
          (setting) => [setting.key],
        );
      }),

    getCredential: (ownerId, name) =>
      withOwner('getCredential', ownerId, (db, owner) =>
        one<DataRow, ReturnType<typeof decode.credential>>(db, 'SELECT data FROM credentials WHERE owner_id = $1 AND name = $2', [owner, name], (row) =>
          decode.credential(owner, row.data),
        ),
      ),
    listCredentialNames: (ownerId, query) =>
      withOwner('listCredentialNames', ownerId, (db, owner) => {
        const { params, where } = filters(owner, {});
        return listPage<{ name: string }, string>(db, { select: 'SELECT name FROM credentials', where, params, order: ['name'] }, query, (row) => row.name, (name) => [name]);
      }),

    getMirrorRecord: (ownerId, table, key) =>
      withOwner('getMirrorRecord', ownerId, (db, owner) =>
        one<DataRow, ReturnType<typeof decode.mirrorRecord>>(
          db,
          'SELECT data FROM mirror_records WHERE owner_id = $1 AND mirror_table = $2 AND key = $3',
          [owner, table, key],
          (row) => decode.mirrorRecord(owner, row.data),
        ),
      ),
    listMirrorRecords: (ownerId, query = {}) =>
      withOwner('listMirrorRecords', ownerId, (db, owner) => {
        const { params, where } = filters(owner, { mirror_table: query.table });
        return listPage<DataRow, ReturnType<typeof decode.mirrorRecord>>(
          db,
          { select: 'SELECT data FROM mirror_records', where, params, order: ['mirror_table', 'key'] },
          query,
          (row) => decode.mirrorRecord(owner, row.data),
          (record) => [record.table, record.key],
        );
      }),

    listBaselines: (ownerId, asin) =>
      withOwner('listBaselines', ownerId, async (db, owner) => {
        const { rows } = await db.query<DataRow>('SELECT data FROM baselines WHERE owner_id = $1 AND asin = $2 ORDER BY source', [owner, asin]);
        return rows.map((row) => decode.baseline(owner, row.data));
      }),
    listSourceBaselines: (ownerId, source, query = {}) =>
      withOwner('listSourceBaselines', ownerId, (db, owner) => {
        const { params, where } = filters(owner, { source });
        return listPage<DataRow, ReturnType<typeof decode.baseline>>(
          db,
          { select: 'SELECT data FROM baselines', where, params, order: ['asin'] },
          query,
          (row) => decode.baseline(owner, row.data),
          (baseline) => [baseline.asin],
        );
      }),

    getSeriesAlias: (ownerId, alias) =>
      withOwner('getSeriesAlias', ownerId, (db, owner) =>
        one<DataRow, ReturnType<typeof decode.seriesAlias>>(db, 'SELECT data FROM series_aliases WHERE owner_id = $1 AND alias = $2', [owner, alias], (row) =>
          decode.seriesAlias(owner, row.data),
        ),
      ),
    listSeriesAliases: (ownerId, query = {}) =>
      withOwner('listSeriesAliases', ownerId, (db, owner) => {
        const { params, where } = filters(owner, { series_key: query.seriesKey });
        return listPage<DataRow, ReturnType<typeof decode.seriesAlias>>(
          db,
          { select: 'SELECT data FROM series_aliases', where, params, order: ['alias'] },
          query,
          (row) => decode.seriesAlias(owner, row.data),
          (alias) => [alias.alias],
        );
      }),

    acquireLease: async (ownerId, request) => {
      const parsed = parseLeaseRequest(request);
      return withKeyLock('acquireLease', ownerId, ['lease', parsed.name], async (db, owner) => {
        const next = decideAcquire(owner, await readLease(db, owner, parsed.name), parsed);
        if (next) await db.query(sideWrites.putLease, [owner, next.name, leaseData(next)]);
        return next;
      });
    },
    renewLease: async (ownerId, request) => {
      const parsed = parseLeaseRequest(request);
      return withKeyLock('renewLease', ownerId, ['lease', parsed.name], async (db, owner) => {
        const next = decideRenew(await readLease(db, owner, parsed.name), parsed);
        if (next) await db.query(sideWrites.putLease, [owner, next.name, leaseData(next)]);
        return next;
      });
    },
    releaseLease: async (ownerId, name, holder) => {
      checkName(name, 'name');
      checkName(holder, 'holder');
      return withKeyLock('releaseLease', ownerId, ['lease', name], async (db, owner) => {
        if ((await readLease(db, owner, name))?.holder !== holder) return false;
        await db.query(sideWrites.deleteLease, [owner, name]);
        return true;
      });
    },
    getLease: (ownerId, name) => withOwner('getLease', ownerId, (db, owner) => readLease(db, owner, name)),

    getExpiring: (ownerId, kind, key, now) =>
      withOwner('getExpiring', ownerId, async (db, owner) => {
        checkKindAndKey(kind, key);
        const nowMs = parseNow(now);
        const record = await readExpiring(db, owner, kind, key);
        return record && isUnexpired(record, nowMs) ? record : null;
      }),
    putExpiring: async (ownerId, record, options) => {
      const value = parseExpiringData(record);
      const nowMs = parseNow(options?.now);
      const row = (owner: string) => [owner, value.kind, value.key, instantMs(value.expiresAt), JSON.stringify(value)];
      if (!options.ifAbsent) {
        return withOwner('putExpiring', ownerId, async (db, owner) => {
          await db.query(sideWrites.putExpiring, row(owner));
          return { stored: true, current: { ...value, ownerId: owner } };
        });
      }
      // First writer wins in one statement (every webhook and idempotency key takes this path): an
      // insert that replaces only an expired record. A concurrent insert of the key waits for the
      // first to commit and then finds it unexpired, so exactly one of them stores.
      return withOwner('putExpiring', ownerId, async (db, owner) => {
        for (;;) {
          if (((await db.query(sideWrites.putExpiringIfAbsent, [...row(owner), nowMs])).rowCount ?? 0) > 0) return { stored: true, current: { ...value, ownerId: owner } };
          const existing = await readExpiring(db, owner, value.kind, value.key);
          if (existing && isUnexpired(existing, nowMs)) return { stored: false, current: existing };
          // Purged or replaced between the two statements: try again.
        }
      });
    },
    listExpiring: (ownerId, kind, now, query) =>
      withOwner('listExpiring', ownerId, (db, owner) => {
        checkName(kind, 'kind');
        const { params, where } = filters(owner, { kind });
        where.push(`expires_ms > ${params.add(parseNow(now))}`);
        return listPage<DataRow, ExpiringRecord>(
          db,
          { select: 'SELECT data FROM expiring', where, params, order: ['key'] },
          query,
          (row) => decode.expiring(owner, row.data),
          (r) => [r.key],
        );
      }),
    purgeSyncRuns: (ownerId, startedBefore) =>
      withOwner('purgeSyncRuns', ownerId, async (db, owner) => {
        const beforeMs = parseStartedBefore(startedBefore);
        return (await db.query('DELETE FROM sync_runs WHERE owner_id = $1 AND started_ms < $2', [owner, beforeMs])).rowCount ?? 0;
      }),
    purgeExpired: (ownerId, now) =>
      withOwner('purgeExpired', ownerId, async (db, owner) => (await db.query(sideWrites.purgeExpired, [owner, parseNow(now)])).rowCount ?? 0),

    applyBatch: (ownerId, operations: readonly BatchOperation[]) =>
      withStore('applyBatch', ownerId, async (owner) => {
        if (!Array.isArray(operations)) throw new SagaSyncError('invalid_input', 'applyBatch expects an array of operations');
        checkBatchSize(operations, limits);
        // Validated before the transaction opens, so an invalid operation costs no round trip and no lock.
        const parsed = operations.map((operation, i) => parseOperation(operation, i));
        if (parsed.length === 0) return { applied: 0 };
        const groups = planBatch(parsed);
        // Most small batches (a listening event's) fit in one statement: one round trip, no BEGIN
        // and COMMIT. A conflict or a deadlock undid all of it; the transaction below then runs the
        // batch group by group, reporting the conflict as it always has, or applying the batch if
        // the other writer is gone.
        const single = singleStatementOf(owner, groups);
        if (single) {
          try {
            await asOwner(owner, (db) => db.query(single.sql, single.params));
            return { applied: parsed.length };
          } catch (error) {
            if (sqlState(error) !== BATCH_CONFLICT_STATE && !isRetryable(error)) throw error;
          }
        }
        await ownerTransaction(owner, (db) => applyGroups(db, owner, groups));
        return { applied: parsed.length };
      }),

    async close() {
      if (closed) return;
      closed = true;
      if (options.endPoolOnClose) await pool.end();
    },
  };
}

/** Stored without the owner, which is a column. */
function leaseData(lease: Lease): string {
  const { ownerId: _owner, ...data } = lease;
  return JSON.stringify(data);
}
