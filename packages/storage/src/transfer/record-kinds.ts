import { readAll, type BatchOperation, type StoragePort } from '@sagasync/core';

/**
 * Every kind of record an owner's store holds that a copy carries over, in the order a copy writes
 * them and a dump prints them. Leases and expiring records (idempotency keys, nonces, caches) are
 * left out: they belong to the store they were taken in and expire by themselves.
 *
 * A record here is the port's record without its volatile fields: `ownerId` (a copy may change
 * owner) and `version` (each store counts its own). What is left is what two stores compare.
 */
export type PlainRecord = Record<string, unknown>;

export interface StoredRecord {
  /** The record without owner and version. */
  data: PlainRecord;
  /** The store's version, for records that have one. */
  version: number | null;
}

export interface RecordKind {
  /** Plural, as a dump names it. */
  name: string;
  /** The record's natural key within its owner and kind. */
  key(data: PlainRecord): string;
  /** When the record last changed, where it says so (ISO); what `store copy` compares to refuse overwriting newer data. */
  changedAt(data: PlainRecord): string | null;
  put(data: PlainRecord): BatchOperation;
  /** Null when the port cannot delete this kind (history is append-only, progress and runs go with their title). */
  remove(data: PlainRecord): BatchOperation | null;
}

const str = (value: unknown) => (value === null || value === undefined ? '' : String(value));
const at = (...fields: string[]) => (data: PlainRecord) => {
  for (const field of fields) if (typeof data[field] === 'string') return data[field];
  return null;
};
// The port's put operations take the record data; the casts are checked by the port's own validation.
const put = (op: string) => (data: PlainRecord) => ({ op, value: data }) as unknown as BatchOperation;

export const RECORD_KINDS: readonly RecordKind[] = [
  {
    name: 'series',
    key: (d) => str(d.key),
    changedAt: at('updatedAt'),
    put: put('putSeries'),
    remove: (d) => ({ op: 'deleteSeries', key: str(d.key) }),
  },
  {
    name: 'titles',
    key: (d) => str(d.asin),
    changedAt: at('updatedAt'),
    put: put('putTitle'),
    remove: (d) => ({ op: 'deleteTitle', asin: str(d.asin) }),
  },
  { name: 'progress', key: (d) => str(d.asin), changedAt: at('updatedAt'), put: put('putProgress'), remove: () => null },
  { name: 'history', key: (d) => `${str(d.asin)} ${str(d.id)}`, changedAt: at('at'), put: put('appendHistory'), remove: () => null },
  {
    name: 'baselines',
    key: (d) => `${str(d.asin)} ${str(d.source)}`,
    changedAt: at('observedAt'),
    put: put('putBaseline'),
    remove: (d) => ({ op: 'deleteBaseline', asin: str(d.asin), source: str(d.source) }),
  },
  {
    name: 'seriesAliases',
    key: (d) => str(d.alias),
    changedAt: at('createdAt'),
    put: put('putSeriesAlias'),
    remove: (d) => ({ op: 'deleteSeriesAlias', alias: str(d.alias) }),
  },
  {
    name: 'trackerBooks',
    key: (d) => `${str(d.source)} ${str(d.trackerId)}`,
    changedAt: at('updatedAt'),
    put: put('putTrackerBook'),
    remove: (d) => ({ op: 'deleteTrackerBook', source: d.source, trackerId: str(d.trackerId) }) as BatchOperation,
  },
  {
    name: 'links',
    key: (d) => `${str(d.asin)} ${str(d.source)}`,
    changedAt: at('updatedAt', 'createdAt'),
    put: put('putLink'),
    remove: (d) => ({ op: 'deleteLink', asin: str(d.asin), source: d.source }) as BatchOperation,
  },
  {
    name: 'conflicts',
    key: (d) => str(d.id),
    changedAt: at('resolvedAt', 'createdAt'),
    put: put('putConflict'),
    remove: (d) => ({ op: 'deleteConflict', id: str(d.id) }),
  },
  {
    name: 'decisions',
    key: (d) => `${str(d.source)} ${str(d.trackerId)} ${str(d.asin)}`,
    changedAt: at('decidedAt'),
    put: put('putDecision'),
    remove: (d) => ({ op: 'deleteDecision', source: d.source, trackerId: str(d.trackerId), asin: (d.asin as string | null) ?? null }) as BatchOperation,
  },
  { name: 'syncRuns', key: (d) => str(d.id), changedAt: at('finishedAt', 'startedAt'), put: put('putSyncRun'), remove: () => null },
  {
    name: 'settings',
    key: (d) => str(d.key),
    changedAt: () => null,
    put: (d) => ({ op: 'putSetting', key: str(d.key), value: d.value }),
    remove: (d) => ({ op: 'deleteSetting', key: str(d.key) }),
  },
  {
    name: 'credentials',
    key: (d) => str(d.name),
    changedAt: at('updatedAt'),
    put: put('putCredential'),
    remove: (d) => ({ op: 'deleteCredential', name: str(d.name) }),
  },
  {
    name: 'mirrorRecords',
    key: (d) => `${str(d.table)} ${str(d.key)}`,
    changedAt: at('updatedAt'),
    put: put('putMirrorRecord'),
    remove: (d) => ({ op: 'deleteMirrorRecord', table: d.table, key: str(d.key) }) as BatchOperation,
  },
];

/** An owner's whole store, kind by kind, each list in key order. */
export type OwnerSnapshot = Map<string, StoredRecord[]>;

/** Drops what is the store's own (owner, version) and fields left undefined, keeping the rest as stored. */
function stored(record: object): StoredRecord {
  const { ownerId: _owner, version, ...data } = record as PlainRecord & { version?: unknown };
  return { data: dropUndefined(data) as PlainRecord, version: typeof version === 'number' ? version : null };
}

function dropUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropUndefined);
  if (value === null || typeof value !== 'object') return value;
  const out: PlainRecord = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = dropUndefined(field);
  return out;
}

/**
 * Reads every record of `ownerId` through the port's lists, page by page. History and baselines are
 * read per title, for every ASIN that has a title, progress or a baseline source's word on it.
 */
export async function readOwnerSnapshot(store: StoragePort, ownerId: string): Promise<OwnerSnapshot> {
  const all = <T>(list: (cursor: string | null) => Promise<{ items: T[]; nextCursor: string | null }>) => readAll(list);
  const titles = await all((cursor) => store.listTitles(ownerId, { cursor }));
  const progress = await all((cursor) => store.listProgress(ownerId, { cursor }));
  const asins = [...new Set([...titles.map((t) => t.asin), ...progress.map((p) => p.asin)])].sort();
  const history = [];
  const baselines = [];
  for (const asin of asins) {
    history.push(...(await all((cursor) => store.listHistory(ownerId, asin, { cursor }))));
    baselines.push(...(await store.listBaselines(ownerId, asin)));
  }
  const credentialNames = await all((cursor) => store.listCredentialNames(ownerId, { cursor }));
  const credentials = [];
  for (const name of credentialNames) {
    const credential = await store.getCredential(ownerId, name);
    if (credential) credentials.push(credential);
  }
  const lists: Record<string, object[]> = {
    series: await all((cursor) => store.listSeries(ownerId, { cursor })),
    titles,
    progress,
    history,
    baselines,
    seriesAliases: await all((cursor) => store.listSeriesAliases(ownerId, { cursor })),
    trackerBooks: await all((cursor) => store.listTrackerBooks(ownerId, { cursor })),
    links: await all((cursor) => store.listLinks(ownerId, { cursor })),
    conflicts: await all((cursor) => store.listConflicts(ownerId, { cursor })),
    decisions: await all((cursor) => store.listDecisions(ownerId, { cursor })),
    syncRuns: await all((cursor) => store.listSyncRuns(ownerId, { cursor })),
    settings: await all((cursor) => store.listSettings(ownerId, { cursor })),
    credentials,
    mirrorRecords: await all((cursor) => store.listMirrorRecords(ownerId, { cursor })),
  };
  const snapshot: OwnerSnapshot = new Map();
  for (const kind of RECORD_KINDS) {
    const records = (lists[kind.name] ?? []).map(stored);
    records.sort((a, b) => (kind.key(a.data) < kind.key(b.data) ? -1 : kind.key(a.data) > kind.key(b.data) ? 1 : 0));
    snapshot.set(kind.name, records);
  }
  return snapshot;
}

/** JSON with object keys sorted at every depth: two stores holding the same record print the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: PlainRecord = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as PlainRecord)[key]);
  return out;
}
