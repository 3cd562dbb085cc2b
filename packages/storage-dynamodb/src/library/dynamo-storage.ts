import { StorageError, type BatchOperation, type StorageLimits, type StoragePort } from '@sagasync/core';
import { checkBatchSize, composeSeriesSlice, parseOperations, parseOwnerId } from '@sagasync/storage';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RetryOptions } from '../client/retry.js';
import { applyOperations } from './apply-batch.js';
import { createDecoders } from './decoders.js';
import { toStoreError } from './dynamo-errors.js';
import { createExpiring } from './expiring.js';
import { createLeases } from './leases.js';
import { createRecordReads } from './record-reads.js';
import { SeriesHints } from './series-hints.js';
import { purgeSyncRuns } from './sync-run-purge.js';
import { TableClient, type ConsumedCapacity } from './table-client.js';
import { TitleReads } from './title-reads.js';

export interface DynamoStorageOptions {
  /** A document client as `createDocumentClient` / `documentClientFor` make it (undefined fields removed). The caller's: `close()` leaves it open. */
  documentClient: DynamoDBDocumentClient;
  /** The table, made with `createTable` (or the CDK stack, from `tableDefinition`). */
  tableName: string;
  /**
   * Called with the capacity every request consumed (`ReturnConsumedCapacity: TOTAL` is sent only
   * when this is given). Requests that fail (a condition, a cancelled transaction) report nothing.
   */
  onConsumedCapacity?: (capacity: ConsumedCapacity) => void;
  /** Throttling retries and backoff (also between re-plans of a batch that met concurrent writers). */
  retry?: RetryOptions;
}

/** A TransactWriteItems takes at most 100 actions, and a batch is one transaction of one action per item. */
export const DYNAMO_MAX_OPERATIONS_PER_BATCH = 100;

/**
 * The library port on DynamoDB, on the table both ports share (single-table design; library
 * items are keyed `O#<owner>#<kind>`, see keys.ts and docs/library-access-patterns.md). Reads are
 * Query, GetItem and BatchGetItem on the owner's partitions, never a Scan; each `applyBatch` is one
 * TransactWriteItems with optimistic versions as conditions (apply-batch.ts).
 */
export function createDynamoStorage(options: DynamoStorageOptions): StoragePort {
  const { tableName } = options;
  const table = new TableClient(options);
  const decode = createDecoders(tableName);
  const hints = new SeriesHints(table);
  const titles = new TitleReads(table, hints, decode.title);
  const reads = createRecordReads(table, decode);
  const leases = createLeases(table, decode);
  const expiring = createExpiring(table, decode);
  const limits: StorageLimits = { maxOperationsPerBatch: DYNAMO_MAX_OPERATIONS_PER_BATCH };
  let closed = false;

  /** Runs one port call: checks the store is open and the owner valid, and maps the SDK's errors. */
  async function withStore<T>(operation: string, ownerId: string, run: (owner: string) => Promise<T>): Promise<T> {
    try {
      if (closed) throw new StorageError(operation, new Error(`the SagaSync store on DynamoDB table ${tableName} is closed`));
      return await run(parseOwnerId(ownerId));
    } catch (error) {
      throw toStoreError(error, operation, tableName);
    }
  }

  return {
    limits,

    getTitle: (ownerId, asin) => withStore('getTitle', ownerId, (owner) => titles.get(owner, asin)),
    getTitles: (ownerId, asins) => withStore('getTitles', ownerId, (owner) => titles.getMany('getTitles', owner, asins)),
    listTitles: (ownerId, query) => withStore('listTitles', ownerId, (owner) => titles.list(owner, query)),
    countTitles: (ownerId, filter) => withStore('countTitles', ownerId, (owner) => titles.count(owner, filter)),
    countTitlesByStatus: (ownerId, filter) => withStore('countTitlesByStatus', ownerId, (owner) => titles.countByStatus(owner, filter)),

    getSeries: (ownerId, key) => withStore('getSeries', ownerId, (owner) => reads.getSeries(owner, key)),
    listSeries: (ownerId, query) => withStore('listSeries', ownerId, (owner) => reads.listSeries(owner, query)),
    findSeriesByName: (ownerId, name, query) => withStore('findSeriesByName', ownerId, (owner) => reads.findSeriesByName(owner, name, query)),

    getProgress: (ownerId, asin) => withStore('getProgress', ownerId, (owner) => reads.getProgress(owner, asin)),
    getProgresses: (ownerId, asins) => withStore('getProgresses', ownerId, (owner) => reads.getProgresses(owner, asins)),
    // Series, member titles and progress are separate partitions: the slice is the three reads.
    getSeriesSlice: (ownerId, seriesKeys) =>
      withStore('getSeriesSlice', ownerId, (owner) =>
        composeSeriesSlice(
          { getSeries: (_, key) => reads.getSeries(owner, key), listTitles: (_, query) => titles.list(owner, query), getProgresses: (_, asins) => reads.getProgresses(owner, asins) },
          owner,
          seriesKeys,
        ),
      ),
    listProgress: (ownerId, query) => withStore('listProgress', ownerId, (owner) => reads.listProgress(owner, query)),
    listHistory: (ownerId, asin, query) => withStore('listHistory', ownerId, (owner) => reads.listHistory(owner, asin, query)),

    getTrackerBook: (ownerId, source, trackerId) => withStore('getTrackerBook', ownerId, (owner) => reads.getTrackerBook(owner, source, trackerId)),
    listTrackerBooks: (ownerId, query) => withStore('listTrackerBooks', ownerId, (owner) => reads.listTrackerBooks(owner, query)),
    listLinks: (ownerId, query) => withStore('listLinks', ownerId, (owner) => reads.listLinks(owner, query)),
    getConflict: (ownerId, id) => withStore('getConflict', ownerId, (owner) => reads.getConflict(owner, id)),
    listConflicts: (ownerId, query) => withStore('listConflicts', ownerId, (owner) => reads.listConflicts(owner, query)),
    listDecisions: (ownerId, query) => withStore('listDecisions', ownerId, (owner) => reads.listDecisions(owner, query)),
    listSyncRuns: (ownerId, query) => withStore('listSyncRuns', ownerId, (owner) => reads.listSyncRuns(owner, query)),
    purgeSyncRuns: (ownerId, startedBefore) => withStore('purgeSyncRuns', ownerId, (owner) => purgeSyncRuns(table, owner, startedBefore)),

    getSetting: (ownerId, key) => withStore('getSetting', ownerId, (owner) => reads.getSetting(owner, key)),
    listSettings: (ownerId, query) => withStore('listSettings', ownerId, (owner) => reads.listSettings(owner, query)),
    getCredential: (ownerId, name) => withStore('getCredential', ownerId, (owner) => reads.getCredential(owner, name)),
    listCredentialNames: (ownerId, query) => withStore('listCredentialNames', ownerId, (owner) => reads.listCredentialNames(owner, query)),
    getMirrorRecord: (ownerId, mirrorTable, key) => withStore('getMirrorRecord', ownerId, (owner) => reads.getMirrorRecord(owner, mirrorTable, key)),
    listMirrorRecords: (ownerId, query) => withStore('listMirrorRecords', ownerId, (owner) => reads.listMirrorRecords(owner, query)),
    listBaselines: (ownerId, asin) => withStore('listBaselines', ownerId, (owner) => reads.listBaselines(owner, asin)),
    listSourceBaselines: (ownerId, source, query) => withStore('listSourceBaselines', ownerId, (owner) => reads.listSourceBaselines(owner, source, query)),
    getSeriesAlias: (ownerId, alias) => withStore('getSeriesAlias', ownerId, (owner) => reads.getSeriesAlias(owner, alias)),
    listSeriesAliases: (ownerId, query) => withStore('listSeriesAliases', ownerId, (owner) => reads.listSeriesAliases(owner, query)),

    acquireLease: (ownerId, request) => withStore('acquireLease', ownerId, (owner) => leases.acquire(owner, request)),
    renewLease: (ownerId, request) => withStore('renewLease', ownerId, (owner) => leases.renew(owner, request)),
    releaseLease: (ownerId, name, holder) => withStore('releaseLease', ownerId, (owner) => leases.release(owner, name, holder)),
    getLease: (ownerId, name) => withStore('getLease', ownerId, (owner) => leases.get(owner, name)),

    getExpiring: (ownerId, kind, key, now) => withStore('getExpiring', ownerId, (owner) => expiring.get(owner, kind, key, now)),
    putExpiring: (ownerId, record, putOptions) => withStore('putExpiring', ownerId, (owner) => expiring.put(owner, record, putOptions)),
    listExpiring: (ownerId, kind, now, query) => withStore('listExpiring', ownerId, (owner) => expiring.list(owner, kind, now, query)),
    purgeExpired: (ownerId, now) => withStore('purgeExpired', ownerId, (owner) => expiring.purge(owner, now)),

    applyBatch: (ownerId, operations: readonly BatchOperation[]) =>
      withStore('applyBatch', ownerId, async (owner) => {
        checkBatchSize(operations, limits);
        // Validated before anything is read or written, so an invalid operation costs no request.
        const parsed = parseOperations(operations);
        if (parsed.length > 0) await applyOperations({ table, hints, ...(options.retry ? { retry: options.retry } : {}) }, owner, parsed);
        return { applied: parsed.length };
      }),

    async close() {
      closed = true;
    },
  };
}
