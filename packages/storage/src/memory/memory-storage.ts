import {
  normaliseSeriesTitle,
  SagaSyncError,
  StorageError,
  type BatchOperation,
  type BatchResult,
  type ListeningStatus,
  type Page,
  type PageRequest,
  type StatusCounts,
  type StorageLimits,
  type StoragePort,
  type Title,
} from '@sagasync/core';
import { compareKeys, instantMs } from '../batch/ordering.js';
import { parseOperations, parseOwnerId } from '../batch/parse-operations.js';
import { checkBatchSize } from '../batch/limits.js';
import { composeSeriesSlice } from '../reads/series-slice.js';
import { parseStartedBefore } from '../records/sync-run-rules.js';
import { parsePageRequest, pageFrom, type CursorKey } from '../paging/cursor.js';
import { checkKindAndKey, isUnexpired, parseExpiringData, parseNow } from '../records/expiring-rules.js';
import { decideAcquire, decideRenew, parseLeaseRequest, checkName } from '../records/lease-rules.js';
import { applyOperation } from './apply-operation.js';
import { emptyTables, keyOf, StagedTables, type OwnerTables, type TableName, type TableRows } from './owner-tables.js';

/** Each memory store's tables, for `memoryRawRows`; weak, so a dropped store is collected. */
const tablesOfStore = new WeakMap<StoragePort, Map<string, OwnerTables>>();

/** Every row an owner has in a memory store, as stored: the conformance suite's raw-row hook. */
export async function memoryRawRows(store: StoragePort, ownerId: string): Promise<unknown[]> {
  const tables = tablesOfStore.get(store)?.get(ownerId);
  if (!tables) return [];
  return Object.entries(tables).flatMap(([table, rows]) => [...(rows as Map<string, unknown>).values()].map((row) => ({ table, row: structuredClone(row) })));
}

export interface MemoryStorageOptions {
  /** Declared limits; a batch over `maxOperationsPerBatch` is refused as DynamoDB's would be. Default: unbounded. */
  limits?: Partial<StorageLimits>;
}

/**
 * The reference adapter: every guarantee of the port, in process memory. Tests and the demo use
 * it; the conformance suite holds it to the same rules as the real backends.
 *
 * Values are copied on the way in (batch parsing) and on the way out (`structuredClone`), so no
 * caller can change stored state by mutating an object it passed or received. Lists sort and
 * filter in full on every call: the reference is about being right, not fast.
 */
export function createMemoryStorage(options: MemoryStorageOptions = {}): StoragePort {
  const owners = new Map<string, OwnerTables>();
  const limits: StorageLimits = { maxOperationsPerBatch: options.limits?.maxOperationsPerBatch ?? Number.POSITIVE_INFINITY };
  let closed = false;

  const nothing = emptyTables();

  /** An owner's tables; reads of an unknown owner see empty tables without creating any. */
  function tablesFor(operation: string, ownerId: string, forWrite = false): OwnerTables {
    if (closed) throw new StorageError(operation, new Error('the store is closed'));
    const owner = parseOwnerId(ownerId);
    let tables = owners.get(owner);
    if (!tables && !forWrite) return nothing;
    if (!tables) {
      tables = emptyTables();
      owners.set(owner, tables);
    }
    return tables;
  }

  function get<T extends TableName>(operation: string, ownerId: string, table: T, key: string): TableRows[T] | null {
    const row = tablesFor(operation, ownerId)[table].get(key);
    return row === undefined ? null : structuredClone(row);
  }

  /**
   * A page of the rows matching `keep`, sorted by `sortKey` (of `arity` parts; descending with
   * `descending`), after the request's cursor, copied out.
   */
  function list<T extends TableName>(
    operation: string,
    ownerId: string,
    table: T,
    request: PageRequest | undefined,
    keep: (row: TableRows[T]) => boolean,
    sortKey: (row: TableRows[T]) => CursorKey,
    arity = 1,
    descending = false,
  ): Page<TableRows[T]> {
    const rows = tablesFor(operation, ownerId)[table];
    const { limit, after } = parsePageRequest(request, arity);
    const direction = descending ? -1 : 1;
    const keyed: { row: TableRows[T]; key: CursorKey }[] = [];
    for (const row of rows.values()) {
      if (!keep(row)) continue;
      const key = sortKey(row);
      if (after && compareKeys(key, after) * direction <= 0) continue;
      keyed.push({ row, key });
    }
    keyed.sort((a, b) => compareKeys(a.key, b.key) * direction);
    const taken = limit === undefined ? keyed : keyed.slice(0, limit + 1);
    return pageFrom(
      taken.map(({ row }) => structuredClone(row)),
      limit,
      sortKey,
    );
  }

  function statusOf(tables: OwnerTables, title: Title): ListeningStatus {
    return tables.progress.get(title.asin)?.status ?? 'not_started';
  }

  const store: StoragePort = {
    limits,

    async getTitle(ownerId, asin) {
      return get('getTitle', ownerId, 'titles', asin);
    },
    async getTitles(ownerId, asins) {
      const titles = tablesFor('getTitles', ownerId).titles;
      const found = new Set<string>();
      for (const asin of asins) if (titles.has(asin)) found.add(asin);
      return [...found].map((asin) => structuredClone(titles.get(asin)!));
    },
    async listTitles(ownerId, query = {}) {
      const tables = tablesFor('listTitles', ownerId);
      const seriesKeys = query.seriesKeys ? new Set(query.seriesKeys) : null;
      return list(
        'listTitles',
        ownerId,
        'titles',
        query,
        (title) =>
          (query.owned === undefined || title.owned === query.owned) &&
          (seriesKeys === null || title.series.some((m) => seriesKeys.has(m.seriesKey))) &&
          (query.status === undefined || statusOf(tables, title) === query.status),
        (title) => [title.asin],
      );
    },
    async countTitles(ownerId, filter = {}) {
      const titles = tablesFor('countTitles', ownerId).titles;
      if (filter.owned === undefined) return titles.size;
      let count = 0;
      for (const title of titles.values()) if (title.owned === filter.owned) count++;
      return count;
    },
    async countTitlesByStatus(ownerId, filter = {}) {
      const tables = tablesFor('countTitlesByStatus', ownerId);
      const counts: StatusCounts = { not_started: 0, in_progress: 0, finished: 0 };
      for (const title of tables.titles.values()) if (filter.owned === undefined || title.owned === filter.owned) counts[statusOf(tables, title)]++;
      return counts;
    },

    async getSeries(ownerId, key) {
      return get('getSeries', ownerId, 'series', key);
    },
    async listSeries(ownerId, query) {
      return list('listSeries', ownerId, 'series', query, () => true, (series) => [series.key]);
    },
    async findSeriesByName(ownerId, name, query = {}) {
      if (typeof name !== 'string') throw new SagaSyncError('invalid_input', 'a series name must be a string', { details: { location: 'name' } });
      const wanted = normaliseSeriesTitle(name);
      return list(
        'findSeriesByName',
        ownerId,
        'series',
        query,
        (series) => {
          const normalised = normaliseSeriesTitle(series.title);
          return query.prefix ? normalised.startsWith(wanted) : normalised === wanted;
        },
        (series) => [normaliseSeriesTitle(series.title), series.key],
        2,
      );
    },

    async getProgress(ownerId, asin) {
      return get('getProgress', ownerId, 'progress', asin);
    },
    async getProgresses(ownerId, asins) {
      const progress = tablesFor('getProgresses', ownerId).progress;
      return [...new Set(asins)].filter((asin) => progress.has(asin)).map((asin) => structuredClone(progress.get(asin)!));
    },
    async getSeriesSlice(ownerId, seriesKeys) {
      tablesFor('getSeriesSlice', ownerId);
      return composeSeriesSlice(store, ownerId, seriesKeys);
    },
    async listProgress(ownerId, query = {}) {
      return list('listProgress', ownerId, 'progress', query, (p) => query.status === undefined || p.status === query.status, (p) => [p.asin]);
    },
    async listHistory(ownerId, asin, query) {
      return list(
        'listHistory',
        ownerId,
        'history',
        query,
        (entry) => entry.asin === asin,
        (entry) => [instantMs(entry.at), entry.id],
        2,
      );
    },

    async getTrackerBook(ownerId, source, trackerId) {
      return get('getTrackerBook', ownerId, 'trackerBooks', keyOf(source, trackerId));
    },
    async listTrackerBooks(ownerId, query = {}) {
      return list(
        'listTrackerBooks',
        ownerId,
        'trackerBooks',
        query,
        (book) => query.source === undefined || book.source === query.source,
        (book) => [book.source, book.trackerId],
        2,
      );
    },

    async listLinks(ownerId, query = {}) {
      return list(
        'listLinks',
        ownerId,
        'links',
        query,
        (link) =>
          (query.asin === undefined || link.asin === query.asin) &&
          (query.source === undefined || link.source === query.source) &&
          (query.trackerId === undefined || link.trackerId === query.trackerId),
        (link) => [link.asin, link.source],
        2,
      );
    },

    async getConflict(ownerId, id) {
      return get('getConflict', ownerId, 'conflicts', id);
    },
    async listConflicts(ownerId, query = {}) {
      return list('listConflicts', ownerId, 'conflicts', query, (c) => query.status === undefined || c.status === query.status, (c) => [c.id]);
    },
    async listDecisions(ownerId, query = {}) {
      return list(
        'listDecisions',
        ownerId,
        'decisions',
        query,
        (decision) => (query.source === undefined || decision.source === query.source) && (query.trackerId === undefined || decision.trackerId === query.trackerId),
        // A null asin ("none of these") sorts first, as the empty string.
        (decision) => [decision.source, decision.trackerId, decision.asin ?? ''],
        3,
      );
    },

    async listSyncRuns(ownerId, query = {}) {
      return list(
        'listSyncRuns',
        ownerId,
        'syncRuns',
        query,
        (run) => query.kind === undefined || run.kind === query.kind,
        (run) => [instantMs(run.startedAt), run.id],
        2,
        true,
      );
    },

    async purgeSyncRuns(ownerId, startedBefore) {
      const beforeMs = parseStartedBefore(startedBefore);
      const runs = tablesFor('purgeSyncRuns', ownerId).syncRuns;
      let purged = 0;
      for (const [key, run] of runs) {
        if (instantMs(run.startedAt) < beforeMs) {
          runs.delete(key);
          purged++;
        }
      }
      return purged;
    },

    async getSetting(ownerId, key) {
      return get('getSetting', ownerId, 'settings', key)?.value ?? null;
    },
    async listSettings(ownerId, query) {
      const page = list('listSettings', ownerId, 'settings', query, () => true, (setting) => [setting.key]);
      return { items: page.items.map(({ key, value }) => ({ key, value })), nextCursor: page.nextCursor };
    },

    async getCredential(ownerId, name) {
      return get('getCredential', ownerId, 'credentials', name);
    },
    async listCredentialNames(ownerId, query) {
      const page = list('listCredentialNames', ownerId, 'credentials', query, () => true, (credential) => [credential.name]);
      return { items: page.items.map((credential) => credential.name), nextCursor: page.nextCursor };
    },

    async getMirrorRecord(ownerId, table, key) {
      return get('getMirrorRecord', ownerId, 'mirrorRecords', keyOf(table, key));
    },
    async listMirrorRecords(ownerId, query = {}) {
      return list('listMirrorRecords', ownerId, 'mirrorRecords', query, (r) => query.table === undefined || r.table === query.table, (r) => [r.table, r.key], 2);
    },

    async listBaselines(ownerId, asin) {
      return list('listBaselines', ownerId, 'baselines', undefined, (b) => b.asin === asin, (b) => [b.source]).items;
    },
    async listSourceBaselines(ownerId, source, query = {}) {
      return list('listSourceBaselines', ownerId, 'baselines', query, (b) => b.source === source, (b) => [b.asin]);
    },

    async getSeriesAlias(ownerId, alias) {
      return get('getSeriesAlias', ownerId, 'seriesAliases', alias);
    },
    async listSeriesAliases(ownerId, query = {}) {
      return list('listSeriesAliases', ownerId, 'seriesAliases', query, (a) => query.seriesKey === undefined || a.seriesKey === query.seriesKey, (a) => [a.alias]);
    },

    async acquireLease(ownerId, request) {
      const parsed = parseLeaseRequest(request);
      const leases = tablesFor('acquireLease', ownerId, true).leases;
      const next = decideAcquire(ownerId, leases.get(parsed.name) ?? null, parsed);
      if (next) leases.set(parsed.name, next);
      return next && structuredClone(next);
    },
    async renewLease(ownerId, request) {
      const parsed = parseLeaseRequest(request);
      const leases = tablesFor('renewLease', ownerId).leases;
      const next = decideRenew(leases.get(parsed.name) ?? null, parsed);
      if (next) leases.set(parsed.name, next);
      return next && structuredClone(next);
    },
    async releaseLease(ownerId, name, holder) {
      checkName(name, 'name');
      checkName(holder, 'holder');
      const leases = tablesFor('releaseLease', ownerId).leases;
      if (leases.get(name)?.holder !== holder) return false;
      leases.delete(name);
      return true;
    },
    async getLease(ownerId, name) {
      return get('getLease', ownerId, 'leases', name);
    },

    async getExpiring(ownerId, kind, key, now) {
      checkKindAndKey(kind, key);
      const nowMs = parseNow(now);
      const record = get('getExpiring', ownerId, 'expiring', keyOf(kind, key));
      return record && isUnexpired(record, nowMs) ? record : null;
    },
    async putExpiring(ownerId, record, options) {
      const value = parseExpiringData(record);
      const nowMs = parseNow(options?.now);
      const table = tablesFor('putExpiring', ownerId, true).expiring;
      const key = keyOf(value.kind, value.key);
      const existing = table.get(key);
      if (options.ifAbsent && existing && isUnexpired(existing, nowMs)) return { stored: false, current: structuredClone(existing) };
      const stored = { ...value, ownerId: parseOwnerId(ownerId) };
      table.set(key, stored);
      return { stored: true, current: structuredClone(stored) };
    },
    async listExpiring(ownerId, kind, now, query) {
      checkName(kind, 'kind');
      const nowMs = parseNow(now);
      return list('listExpiring', ownerId, 'expiring', query, (r) => r.kind === kind && isUnexpired(r, nowMs), (r) => [r.key]);
    },
    async purgeExpired(ownerId, now) {
      const nowMs = parseNow(now);
      const table = tablesFor('purgeExpired', ownerId).expiring;
      let purged = 0;
      for (const [key, record] of table) {
        if (!isUnexpired(record, nowMs)) {
          table.delete(key);
          purged++;
        }
      }
      return purged;
    },

    async applyBatch(ownerId, operations: readonly BatchOperation[]): Promise<BatchResult> {
      const tables = tablesFor('applyBatch', ownerId, true);
      checkBatchSize(operations, limits);
      const parsed = parseOperations(operations);
      const staged = new StagedTables(tables);
      // No await between the first check and the commit: the batch is atomic for other callers.
      for (const operation of parsed) applyOperation(staged, ownerId, operation);
      staged.commit();
      return { applied: parsed.length };
    },

    async close() {
      closed = true;
      owners.clear();
    },
  };
  tablesOfStore.set(store, owners);
  return store;
}

