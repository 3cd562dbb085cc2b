import {
  normaliseSeriesTitle,
  SagaSyncError,
  type Conflict,
  type CredentialBlob,
  type Link,
  type ListeningStatus,
  type MatchDecision,
  type MirrorRecord,
  type MirrorTableName,
  type Page,
  type PageRequest,
  type Progress,
  type ProgressHistoryEntry,
  type Series,
  type SeriesAlias,
  type SeriesNameQuery,
  type Setting,
  type SourceBaseline,
  type SyncKind,
  type SyncRun,
  type TrackerBook,
  type TrackerSource,
} from '@sagasync/core';
import { compareKeys, instantMs, pageFrom, parsePageRequest, type CursorKey } from '@sagasync/storage';
import type { Decoders } from './decoders.js';
import { ATTR, decodeSetting, keys, runKindKey, runTimeKey, seriesNameKey } from './items.js';
import { partition, sortKey, sortKeyPrefix, TAGS, type ItemKey } from './keys.js';
import { listPage, type Filter } from './list-page.js';
import { names, type Item, type TableClient } from './table-client.js';

/** A cursor part that must be a number (an instant); anything else is not one of ours. */
function cursorInstant(part: string | number | undefined): number {
  if (typeof part === 'number' && Number.isSafeInteger(part)) return part;
  throw new SagaSyncError('invalid_input', 'the page cursor is not valid for this list', { details: { location: 'cursor' } });
}

/** Where a table Query continues after the item at `key`. */
const after = (key: ItemKey) => ({ key: { ...key }, sortValue: key.sk });

/** `attribute = value` filters for the ones that are set. */
function equalities(values: Record<string, string | undefined>): Filter | undefined {
  const set = Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (set.length === 0) return undefined;
  return {
    expression: set.map(([attribute]) => `#${attribute} = :${attribute}`).join(' AND '),
    names: names(...set.map(([attribute]) => attribute)),
    values: Object.fromEntries(set.map(([attribute, value]) => [`:${attribute}`, value])),
  };
}

/**
 * Reads of every record kind but titles (title-reads.ts), leases and expiring records. Gets are
 * strongly consistent GetItem; lists are Queries on the kind's partition in its key order,
 * strongly consistent, except the three orders that differ from a record's key (series by name,
 * runs by time, one source's baselines), which are on a GSI and so eventually consistent.
 */
export function createRecordReads(table: TableClient, decode: Decoders) {
  async function one<T>(method: string, key: ItemKey, decodeItem: (item: Item) => T): Promise<T | null> {
    const item = await table.get(method, key);
    return item && decodeItem(item);
  }

  /** Every item of a Query (lists the port returns whole, which stay small: one title's baselines or history). */
  async function all(method: string, pk: string, prefix: string): Promise<Item[]> {
    const found: Item[] = [];
    for await (const page of table.query(method, {
      ConsistentRead: true,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: names('pk', 'sk'),
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
    })) {
      found.push(...page);
    }
    return found;
  }

  return {
    getSeries: (owner: string, key: string): Promise<Series | null> => one('getSeries', keys.series(owner, key), (item) => decode.series(owner, item)),

    listSeries: (owner: string, query?: PageRequest): Promise<Page<Series>> =>
      listPage(
        table,
        {
          method: 'listSeries',
          partition: partition(owner, TAGS.series),
          arity: 1,
          decode: (item) => decode.series(owner, item),
          cursorOf: (series) => [series.key],
          startAfter: ([key]) => after(keys.series(owner, String(key))),
        },
        query,
      ),

    findSeriesByName: (owner: string, name: string, query: SeriesNameQuery = {}): Promise<Page<Series>> => {
      if (typeof name !== 'string') throw new SagaSyncError('invalid_input', 'a series name must be a string', { details: { location: 'name' } });
      const wanted = normaliseSeriesTitle(name);
      const indexPartition = partition(owner, TAGS.seriesByName);
      return listPage(
        table,
        {
          method: 'findSeriesByName',
          index: 'gsi1',
          partition: indexPartition,
          // Exact: the whole first part; prefix: the first part starts with it.
          prefix: query.prefix ? sortKey(wanted) : sortKeyPrefix(wanted),
          arity: 2,
          decode: (item) => decode.series(owner, item),
          cursorOf: (series) => [normaliseSeriesTitle(series.title), series.key],
          startAfter: ([normalised, key]) => {
            const sortValue = seriesNameKey(String(normalised), String(key));
            return { key: { ...keys.series(owner, String(key)), gsi1pk: indexPartition, gsi1sk: sortValue }, sortValue };
          },
        },
        query,
      );
    },

    getProgress: (owner: string, asin: string): Promise<Progress | null> => one('getProgress', keys.progress(owner, asin), (item) => decode.progress(owner, item)),

    getProgresses: async (owner: string, asins: readonly string[]): Promise<Progress[]> => {
      const items = await table.batchGet('getProgresses', asins.map((asin) => keys.progress(owner, asin)));
      return items.map((item) => decode.progress(owner, item));
    },

    listProgress: (owner: string, query: { status?: ListeningStatus } & PageRequest = {}): Promise<Page<Progress>> =>
      listPage(
        table,
        {
          method: 'listProgress',
          partition: partition(owner, TAGS.progress),
          filter: equalities({ [ATTR.status]: query.status }),
          arity: 1,
          decode: (item) => decode.progress(owner, item),
          cursorOf: (progress) => [progress.asin],
          startAfter: ([asin]) => after(keys.progress(owner, String(asin))),
        },
        query,
      ),

    /** One title's whole history, sorted here by (instant, id): history keys are (asin, id), which keeps appends idempotent. */
    listHistory: async (owner: string, asin: string, query?: PageRequest): Promise<Page<ProgressHistoryEntry>> => {
      const { limit, after: start } = parsePageRequest(query, 2);
      const sortKeyOf = (entry: ProgressHistoryEntry): CursorKey => [instantMs(entry.at), entry.id];
      const entries = (await all('listHistory', partition(owner, TAGS.history), sortKeyPrefix(asin)))
        .map((item) => decode.history(owner, item))
        .filter((entry) => start === null || compareKeys(sortKeyOf(entry), start) > 0)
        .sort((a, b) => compareKeys(sortKeyOf(a), sortKeyOf(b)));
      return pageFrom(limit === undefined ? entries : entries.slice(0, limit + 1), limit, sortKeyOf);
    },

    getTrackerBook: (owner: string, source: TrackerSource, trackerId: string): Promise<TrackerBook | null> =>
      one('getTrackerBook', keys.trackerBook(owner, source, trackerId), (item) => decode.trackerBook(owner, item)),

    listTrackerBooks: (owner: string, query: { source?: TrackerSource } & PageRequest = {}): Promise<Page<TrackerBook>> =>
      listPage(
        table,
        {
          method: 'listTrackerBooks',
          partition: partition(owner, TAGS.trackerBook),
          ...(query.source !== undefined ? { prefix: sortKeyPrefix(query.source) } : {}),
          arity: 2,
          decode: (item) => decode.trackerBook(owner, item),
          cursorOf: (book) => [book.source, book.trackerId],
          startAfter: ([source, trackerId]) => after(keys.trackerBook(owner, String(source), String(trackerId))),
        },
        query,
      ),

    listLinks: (owner: string, query: { asin?: string; source?: TrackerSource; trackerId?: string } & PageRequest = {}): Promise<Page<Link>> =>
      listPage(
        table,
        {
          method: 'listLinks',
          partition: partition(owner, TAGS.link),
          ...(query.asin !== undefined ? { prefix: sortKeyPrefix(query.asin) } : {}),
          filter: equalities({ [ATTR.source]: query.source, [ATTR.trackerId]: query.trackerId }),
          arity: 2,
          decode: (item) => decode.link(owner, item),
          cursorOf: (link) => [link.asin, link.source],
          startAfter: ([asin, source]) => after(keys.link(owner, String(asin), String(source))),
        },
        query,
      ),

    getConflict: (owner: string, id: string): Promise<Conflict | null> => one('getConflict', keys.conflict(owner, id), (item) => decode.conflict(owner, item)),

    listConflicts: (owner: string, query: { status?: Conflict['status'] } & PageRequest = {}): Promise<Page<Conflict>> =>
      listPage(
        table,
        {
          method: 'listConflicts',
          partition: partition(owner, TAGS.conflict),
          filter: equalities({ [ATTR.status]: query.status }),
          arity: 1,
          decode: (item) => decode.conflict(owner, item),
          cursorOf: (conflict) => [conflict.id],
          startAfter: ([id]) => after(keys.conflict(owner, String(id))),
        },
        query,
      ),

    listDecisions: (owner: string, query: { source?: TrackerSource; trackerId?: string } & PageRequest = {}): Promise<Page<MatchDecision>> => {
      const { source, trackerId } = query;
      // A tracker id with its source is a key prefix; without one, a filter.
      const prefix = source === undefined ? undefined : trackerId === undefined ? sortKeyPrefix(source) : sortKeyPrefix(source, trackerId);
      return listPage(
        table,
        {
          method: 'listDecisions',
          partition: partition(owner, TAGS.decision),
          ...(prefix !== undefined ? { prefix } : {}),
          filter: source === undefined ? equalities({ [ATTR.trackerId]: trackerId }) : undefined,
          arity: 3,
          decode: (item) => decode.decision(owner, item),
          cursorOf: (decision) => [decision.source, decision.trackerId, decision.asin ?? ''],
          startAfter: ([s, t, asin]) => after(keys.decision(owner, String(s), String(t), String(asin))),
        },
        query,
      );
    },

    listSyncRuns: (owner: string, query: { kind?: SyncKind } & PageRequest = {}): Promise<Page<SyncRun>> => {
      const { kind } = query;
      const index = kind === undefined ? 'gsi1' : 'gsi2';
      const indexPartition = partition(owner, kind === undefined ? TAGS.runsByTime : TAGS.runsByKind);
      return listPage(
        table,
        {
          method: 'listSyncRuns',
          index,
          partition: indexPartition,
          ...(kind !== undefined ? { prefix: sortKeyPrefix(kind) } : {}),
          descending: true,
          arity: 2,
          decode: (item) => decode.syncRun(owner, item),
          cursorOf: (run) => [instantMs(run.startedAt), run.id],
          startAfter: ([startedMs, id]) => {
            const ms = cursorInstant(startedMs);
            const sortValue = kind === undefined ? runTimeKey(ms, String(id)) : runKindKey(kind, ms, String(id));
            return { key: { ...keys.syncRun(owner, String(id)), [`${index}pk`]: indexPartition, [`${index}sk`]: sortValue }, sortValue };
          },
        },
        query,
      );
    },

    getSetting: async (owner: string, key: string): Promise<unknown> => {
      const item = await table.get('getSetting', keys.setting(owner, key));
      return item ? decodeSetting(table.tableName, item).value : null;
    },

    listSettings: (owner: string, query?: PageRequest): Promise<Page<Setting>> =>
      listPage(
        table,
        {
          method: 'listSettings',
          partition: partition(owner, TAGS.setting),
          arity: 1,
          decode: (item) => decodeSetting(table.tableName, item),
          cursorOf: (setting) => [setting.key],
          startAfter: ([key]) => after(keys.setting(owner, String(key))),
        },
        query,
      ),

    getCredential: (owner: string, name: string): Promise<CredentialBlob | null> =>
      one('getCredential', keys.credential(owner, name), (item) => decode.credential(owner, item)),

    listCredentialNames: async (owner: string, query?: PageRequest): Promise<Page<string>> => {
      const page = await listPage(
        table,
        {
          method: 'listCredentialNames',
          partition: partition(owner, TAGS.credential),
          arity: 1,
          decode: (item) => decode.credential(owner, item),
          cursorOf: (credential) => [credential.name],
          startAfter: ([name]) => after(keys.credential(owner, String(name))),
        },
        query,
      );
      return { items: page.items.map((credential) => credential.name), nextCursor: page.nextCursor };
    },

    getMirrorRecord: (owner: string, mirrorTable: MirrorTableName, key: string): Promise<MirrorRecord | null> =>
      one('getMirrorRecord', keys.mirrorRecord(owner, mirrorTable, key), (item) => decode.mirrorRecord(owner, item)),

    listMirrorRecords: (owner: string, query: { table?: MirrorTableName } & PageRequest = {}): Promise<Page<MirrorRecord>> =>
      listPage(
        table,
        {
          method: 'listMirrorRecords',
          partition: partition(owner, TAGS.mirrorRecord),
          ...(query.table !== undefined ? { prefix: sortKeyPrefix(query.table) } : {}),
          arity: 2,
          decode: (item) => decode.mirrorRecord(owner, item),
          cursorOf: (record) => [record.table, record.key],
          startAfter: ([mirrorTable, key]) => after(keys.mirrorRecord(owner, String(mirrorTable), String(key))),
        },
        query,
      ),

    /** Keys are (asin, source), so one title's baselines come in source order. */
    listBaselines: async (owner: string, asin: string): Promise<SourceBaseline[]> =>
      (await all('listBaselines', partition(owner, TAGS.baseline), sortKeyPrefix(asin))).map((item) => decode.baseline(owner, item)),

    listSourceBaselines: (owner: string, source: string, query?: PageRequest): Promise<Page<SourceBaseline>> => {
      const indexPartition = partition(owner, TAGS.baselinesBySource);
      return listPage(
        table,
        {
          method: 'listSourceBaselines',
          index: 'gsi1',
          partition: indexPartition,
          prefix: sortKeyPrefix(source),
          arity: 1,
          decode: (item) => decode.baseline(owner, item),
          cursorOf: (baseline) => [baseline.asin],
          startAfter: ([asin]) => {
            const sortValue = sortKey(source, String(asin));
            return { key: { ...keys.baseline(owner, String(asin), source), gsi1pk: indexPartition, gsi1sk: sortValue }, sortValue };
          },
        },
        query,
      );
    },

    getSeriesAlias: (owner: string, alias: string): Promise<SeriesAlias | null> =>
      one('getSeriesAlias', keys.seriesAlias(owner, alias), (item) => decode.seriesAlias(owner, item)),

    listSeriesAliases: (owner: string, query: { seriesKey?: string } & PageRequest = {}): Promise<Page<SeriesAlias>> =>
      listPage(
        table,
        {
          method: 'listSeriesAliases',
          partition: partition(owner, TAGS.seriesAlias),
          filter: equalities({ [ATTR.seriesKey]: query.seriesKey }),
          arity: 1,
          decode: (item) => decode.seriesAlias(owner, item),
          cursorOf: (alias) => [alias.alias],
          startAfter: ([alias]) => after(keys.seriesAlias(owner, String(alias))),
        },
        query,
      ),
  };
}
