import {
  normaliseSeriesTitle,
  SagaSyncError,
  type BaselineData,
  type ConflictData,
  type CredentialData,
  type DecisionData,
  type ExpiringData,
  type HistoryData,
  type Lease,
  type LinkData,
  type MirrorRecordData,
  type ProgressData,
  type SeriesAliasData,
  type SeriesData,
  type Setting,
  type SyncRunData,
  type TitleData,
  type TrackerBookData,
} from '@sagasync/core';
import { instantMs } from '@sagasync/storage';
import { instantPart, partition, sortKey, TAGS, type ItemKey } from './keys.js';
import type { Item } from './table-client.js';

/**
 * One item per record. A record's fields are stored as JSON text in `d` (without the owner, which
 * is in the key, and the version, which is `v`): it round-trips exactly what was validated, and
 * the few fields a read filters on are copied to attributes of their own (`own`, `st`, ...),
 * since DynamoDB cannot filter on a key attribute or inside JSON text.
 */
export const ATTR = {
  version: 'v',
  data: 'd',
  owned: 'own',
  /** A title's series keys (for the batch writer's membership hints). */
  memberships: 'ms',
  status: 'st',
  source: 'src',
  trackerId: 'tid',
  seriesKey: 'sek',
  /** Expiry in epoch milliseconds, for filters and conditions. */
  expiresMs: 'exp',
  /** Expiry in epoch seconds: the table's time-to-live attribute. */
  ttl: 'ttl',
  holder: 'h',
} as const;

export const keys = {
  title: (owner: string, asin: string): ItemKey => ({ pk: partition(owner, TAGS.title), sk: sortKey(asin) }),
  series: (owner: string, key: string): ItemKey => ({ pk: partition(owner, TAGS.series), sk: sortKey(key) }),
  progress: (owner: string, asin: string): ItemKey => ({ pk: partition(owner, TAGS.progress), sk: sortKey(asin) }),
  history: (owner: string, asin: string, id: string): ItemKey => ({ pk: partition(owner, TAGS.history), sk: sortKey(asin, id) }),
  trackerBook: (owner: string, source: string, trackerId: string): ItemKey => ({ pk: partition(owner, TAGS.trackerBook), sk: sortKey(source, trackerId) }),
  link: (owner: string, asin: string, source: string): ItemKey => ({ pk: partition(owner, TAGS.link), sk: sortKey(asin, source) }),
  conflict: (owner: string, id: string): ItemKey => ({ pk: partition(owner, TAGS.conflict), sk: sortKey(id) }),
  // A null ASIN ("none of these") is the empty part, which sorts first, as in the other adapters.
  decision: (owner: string, source: string, trackerId: string, asin: string | null): ItemKey => ({
    pk: partition(owner, TAGS.decision),
    sk: sortKey(source, trackerId, asin ?? ''),
  }),
  syncRun: (owner: string, id: string): ItemKey => ({ pk: partition(owner, TAGS.syncRun), sk: sortKey(id) }),
  setting: (owner: string, key: string): ItemKey => ({ pk: partition(owner, TAGS.setting), sk: sortKey(key) }),
  credential: (owner: string, name: string): ItemKey => ({ pk: partition(owner, TAGS.credential), sk: sortKey(name) }),
  mirrorRecord: (owner: string, table: string, key: string): ItemKey => ({ pk: partition(owner, TAGS.mirrorRecord), sk: sortKey(table, key) }),
  baseline: (owner: string, asin: string, source: string): ItemKey => ({ pk: partition(owner, TAGS.baseline), sk: sortKey(asin, source) }),
  seriesAlias: (owner: string, alias: string): ItemKey => ({ pk: partition(owner, TAGS.seriesAlias), sk: sortKey(alias) }),
  lease: (owner: string, name: string): ItemKey => ({ pk: partition(owner, TAGS.lease), sk: sortKey(name) }),
  expiring: (owner: string, kind: string, key: string): ItemKey => ({ pk: partition(owner, TAGS.expiring), sk: sortKey(kind, key) }),
};

const json = (value: unknown): string => JSON.stringify(value);

/** A title's series keys, once each. */
function membershipKeys(title: Pick<TitleData, 'series'>): string[] {
  return [...new Set(title.series.map((membership) => membership.seriesKey))];
}

/** The series-by-name index key: (normalised title, key), so one name's series sort by key. */
export function seriesNameKey(normalisedTitle: string, key: string): string {
  return sortKey(normalisedTitle, key);
}

/** The sync-run index keys: newest first over all runs (gsi1) and within a kind (gsi2). */
export function runTimeKey(startedAtMs: number, id: string): string {
  return sortKey(instantPart(startedAtMs), id);
}

export function runKindKey(kind: string, startedAtMs: number, id: string): string {
  return sortKey(kind, instantPart(startedAtMs), id);
}

export const items = {
  title: (owner: string, value: TitleData, version: number): Item => ({
    ...keys.title(owner, value.asin),
    [ATTR.version]: version,
    [ATTR.data]: json(value),
    [ATTR.owned]: value.owned,
    [ATTR.memberships]: membershipKeys(value),
  }),
  series: (owner: string, value: SeriesData, version: number): Item => ({
    ...keys.series(owner, value.key),
    [ATTR.version]: version,
    [ATTR.data]: json(value),
    gsi1pk: partition(owner, TAGS.seriesByName),
    gsi1sk: seriesNameKey(normaliseSeriesTitle(value.title), value.key),
  }),
  progress: (owner: string, value: ProgressData, version: number): Item => ({
    ...keys.progress(owner, value.asin),
    [ATTR.version]: version,
    [ATTR.data]: json(value),
    [ATTR.status]: value.status,
  }),
  conflict: (owner: string, value: ConflictData, version: number): Item => ({
    ...keys.conflict(owner, value.id),
    [ATTR.version]: version,
    [ATTR.data]: json(value),
    [ATTR.status]: value.status,
  }),
  history: (owner: string, value: HistoryData): Item => ({ ...keys.history(owner, value.asin, value.id), [ATTR.data]: json(value) }),
  trackerBook: (owner: string, value: TrackerBookData): Item => ({ ...keys.trackerBook(owner, value.source, value.trackerId), [ATTR.data]: json(value) }),
  link: (owner: string, value: LinkData): Item => ({
    ...keys.link(owner, value.asin, value.source),
    [ATTR.data]: json(value),
    [ATTR.source]: value.source,
    [ATTR.trackerId]: value.trackerId,
  }),
  decision: (owner: string, value: DecisionData): Item => ({
    ...keys.decision(owner, value.source, value.trackerId, value.asin),
    [ATTR.data]: json(value),
    [ATTR.trackerId]: value.trackerId,
  }),
  syncRun: (owner: string, value: SyncRunData): Item => {
    const startedMs = instantMs(value.startedAt);
    return {
      ...keys.syncRun(owner, value.id),
      [ATTR.data]: json(value),
      gsi1pk: partition(owner, TAGS.runsByTime),
      gsi1sk: runTimeKey(startedMs, value.id),
      gsi2pk: partition(owner, TAGS.runsByKind),
      gsi2sk: runKindKey(value.kind, startedMs, value.id),
    };
  },
  setting: (owner: string, key: string, value: unknown): Item => ({ ...keys.setting(owner, key), [ATTR.data]: json({ key, value }) }),
  credential: (owner: string, value: CredentialData): Item => ({ ...keys.credential(owner, value.name), [ATTR.data]: json(value) }),
  mirrorRecord: (owner: string, value: MirrorRecordData): Item => ({ ...keys.mirrorRecord(owner, value.table, value.key), [ATTR.data]: json(value) }),
  baseline: (owner: string, value: BaselineData): Item => ({
    ...keys.baseline(owner, value.asin, value.source),
    [ATTR.data]: json(value),
    gsi1pk: partition(owner, TAGS.baselinesBySource),
    gsi1sk: sortKey(value.source, value.asin),
  }),
  seriesAlias: (owner: string, value: SeriesAliasData): Item => ({
    ...keys.seriesAlias(owner, value.alias),
    [ATTR.data]: json(value),
    [ATTR.seriesKey]: value.seriesKey,
  }),
  expiring: (owner: string, value: ExpiringData): Item => {
    const expiresMs = instantMs(value.expiresAt);
    return {
      ...keys.expiring(owner, value.kind, value.key),
      [ATTR.data]: json(value),
      [ATTR.expiresMs]: expiresMs,
      // Rounded up: DynamoDB may delete an item any time after its ttl, never before the record expires.
      [ATTR.ttl]: Math.ceil(expiresMs / 1000),
    };
  },
  /** No ttl: an expired lease must stay readable, and its fence must keep counting up. */
  lease: (lease: Lease): Item => {
    const { ownerId, ...data } = lease;
    return { ...keys.lease(ownerId, lease.name), [ATTR.data]: json(data), [ATTR.holder]: lease.holder };
  },
};

/** The part of a zod schema a decoder needs; core's schemas fit it. */
interface RecordSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/**
 * Builds a record from an item: `d` plus the owner (and `v` when `versioned`), checked against
 * core's schema, so an item edited by hand fails with its kind and key instead of leaking bad data
 * into the rules.
 */
export function decoder<T>(schema: RecordSchema<T>, kind: string, tableName: string, versioned = false): (owner: string, item: Item) => T {
  return (owner, item) => {
    let data: unknown;
    try {
      data = JSON.parse(String(item[ATTR.data]));
    } catch {
      data = null;
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalidItem(tableName, kind, item, 'd is not a JSON object');
    const record: Record<string, unknown> = { ...(data as Record<string, unknown>), ownerId: owner };
    if (versioned) record.version = item[ATTR.version];
    const parsed = schema.safeParse(record);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw invalidItem(tableName, kind, item, `${issue?.path.map(String).join('.') || 'record'}: ${issue?.message ?? 'invalid'}`);
  };
}

/** A setting: its key and JSON value (`d` holds both, as the key in `sk` is escaped). */
export function decodeSetting(tableName: string, item: Item): Setting {
  let setting: unknown;
  try {
    setting = JSON.parse(String(item[ATTR.data]));
  } catch {
    setting = null;
  }
  const { key, value } = (setting ?? {}) as Partial<Setting>;
  if (typeof key !== 'string' || value === undefined) throw invalidItem(tableName, 'setting', item, 'd is not a {key, value} object');
  return { key, value };
}

export function invalidItem(tableName: string, kind: string, item: Item, problem: string): SagaSyncError {
  return new SagaSyncError('storage_failure', `the DynamoDB table ${tableName} holds an invalid ${kind} item (sk ${JSON.stringify(item.sk)}: ${problem})`, {
    details: { location: `dynamodb table ${tableName}: ${kind}` },
  });
}
