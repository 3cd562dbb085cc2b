import { SagaSyncError, StorageError, type BatchOperation, type BatchResult, type StoragePort, type SyncKind, type TrackerSource } from '@sagasync/core';
import { compareKeys, instantMs } from '../batch/ordering.js';
import { parseOperations, parseOwnerId } from '../batch/parse-operations.js';
import { applyOperation } from './apply-operation.js';
import { emptyTables, keyOf, StagedTables, type OwnerTables, type TableName, type TableRows } from './owner-tables.js';

/**
 * The reference adapter: every guarantee of the port, in process memory. Tests and the demo use
 * it; the conformance suite holds it to the same rules as the real backends.
 *
 * Values are copied on the way in (batch parsing) and on the way out (`structuredClone`), so no
 * caller can change stored state by mutating an object it passed or received.
 */
export function createMemoryStorage(): StoragePort {
  const owners = new Map<string, OwnerTables>();
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

  /** Rows matching `keep`, sorted by `sortKey`, copied out. */
  function list<T extends TableName>(
    operation: string,
    ownerId: string,
    table: T,
    keep: (row: TableRows[T]) => boolean,
    sortKey: (row: TableRows[T]) => (string | number)[],
  ): TableRows[T][] {
    const rows = [...tablesFor(operation, ownerId)[table].values()].filter(keep);
    const keyed = rows.map((row) => ({ row, key: sortKey(row) }));
    keyed.sort((a, b) => compareKeys(a.key, b.key));
    return keyed.map(({ row }) => structuredClone(row));
  }

  return {
    async getTitle(ownerId, asin) {
      return get('getTitle', ownerId, 'titles', asin);
    },
    async getTitles(ownerId, asins) {
      const titles = tablesFor('getTitles', ownerId).titles;
      const found = new Set<string>();
      for (const asin of asins) if (titles.has(asin)) found.add(asin);
      return [...found].map((asin) => structuredClone(titles.get(asin)!));
    },
    async listTitles(ownerId, filter = {}) {
      return list(
        'listTitles',
        ownerId,
        'titles',
        (title) => filter.owned === undefined || title.owned === filter.owned,
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

    async getSeries(ownerId, key) {
      return get('getSeries', ownerId, 'series', key);
    },
    async listSeries(ownerId) {
      return list(
        'listSeries',
        ownerId,
        'series',
        () => true,
        (series) => [series.key],
      );
    },

    async getProgress(ownerId, asin) {
      return get('getProgress', ownerId, 'progress', asin);
    },
    async listProgress(ownerId) {
      return list(
        'listProgress',
        ownerId,
        'progress',
        () => true,
        (progress) => [progress.asin],
      );
    },
    async listHistory(ownerId, asin) {
      return list(
        'listHistory',
        ownerId,
        'history',
        (entry) => entry.asin === asin,
        (entry) => [instantMs(entry.at), entry.id],
      );
    },

    async getTrackerBook(ownerId, source, trackerId) {
      return get('getTrackerBook', ownerId, 'trackerBooks', keyOf(source, trackerId));
    },
    async listTrackerBooks(ownerId, source?: TrackerSource) {
      return list(
        'listTrackerBooks',
        ownerId,
        'trackerBooks',
        (book) => source === undefined || book.source === source,
        (book) => [book.source, book.trackerId],
      );
    },

    async listLinks(ownerId, filter = {}) {
      return list(
        'listLinks',
        ownerId,
        'links',
        (link) =>
          (filter.asin === undefined || link.asin === filter.asin) &&
          (filter.source === undefined || link.source === filter.source) &&
          (filter.trackerId === undefined || link.trackerId === filter.trackerId),
        (link) => [link.asin, link.source],
      );
    },

    async getConflict(ownerId, id) {
      return get('getConflict', ownerId, 'conflicts', id);
    },
    async listConflicts(ownerId, filter = {}) {
      return list(
        'listConflicts',
        ownerId,
        'conflicts',
        (conflict) => filter.status === undefined || conflict.status === filter.status,
        (conflict) => [conflict.id],
      );
    },
    async listDecisions(ownerId, filter = {}) {
      return list(
        'listDecisions',
        ownerId,
        'decisions',
        (decision) =>
          (filter.source === undefined || decision.source === filter.source) && (filter.trackerId === undefined || decision.trackerId === filter.trackerId),
        // A null asin ("none of these") sorts first, as the empty string.
        (decision) => [decision.source, decision.trackerId, decision.asin ?? ''],
      );
    },

    async listSyncRuns(ownerId, filter: { kind?: SyncKind; limit?: number } = {}) {
      const limit = parseLimit(filter.limit);
      const runs = list(
        'listSyncRuns',
        ownerId,
        'syncRuns',
        (run) => filter.kind === undefined || run.kind === filter.kind,
        (run) => [instantMs(run.startedAt), run.id],
      );
      runs.reverse();
      return limit === undefined ? runs : runs.slice(0, limit);
    },

    async getSetting(ownerId, key) {
      return get('getSetting', ownerId, 'settings', key)?.value ?? null;
    },

    async getCredential(ownerId, name) {
      return get('getCredential', ownerId, 'credentials', name);
    },
    async listCredentialNames(ownerId) {
      return list(
        'listCredentialNames',
        ownerId,
        'credentials',
        () => true,
        (credential) => [credential.name],
      ).map((credential) => credential.name);
    },

    async applyBatch(ownerId, operations: readonly BatchOperation[]): Promise<BatchResult> {
      const tables = tablesFor('applyBatch', ownerId, true);
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
}

function parseLimit(limit: number | undefined): number | undefined {
  if (limit === undefined) return undefined;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new SagaSyncError('invalid_input', 'listSyncRuns limit must be a non-negative integer', { details: { location: 'filter.limit' } });
  }
  return limit;
}
