import { applyInChunks, logOf, nowIso, readAll, type BatchOperation, type MirrorRecord, type MirrorTableName, type StoragePort, type UseCaseContext } from '@sagasync/core';
import { MirrorTableSchema, parseSetting, SETTINGS_KEYS, type MirrorEntry, type MirrorState, type MirrorTable } from './settings.js';

/**
 * The mirror's state in the store: one mirror record per Notion page, keyed (table, ASIN or
 * series key), written as each page is created, updated or adopted. No stored value grows with
 * the library. Earlier versions kept two whole-table settings; `migrateMirrorSettings` turns
 * those into records once.
 */
export const MIRROR_TABLES = ['series', 'books'] as const satisfies readonly MirrorTableName[];

/** Records are read this many at a time. */
const PAGE_SIZE = 500;

export function entryOf(record: MirrorRecord): MirrorEntry {
  return { pageId: record.pageId, origin: record.origin, synthetic: record.synthetic, hashes: { ...record.hashes } };
}

/** The batch operation that stores `entry` as the record of (table, key). */
export function putRecordOperation(table: MirrorTableName, key: string, entry: MirrorEntry, now: string): BatchOperation {
  return { op: 'putMirrorRecord', value: { table, key, pageId: entry.pageId, origin: entry.origin, synthetic: entry.synthetic, hashes: { ...entry.hashes }, updatedAt: now } };
}

export function deleteRecordOperation(table: MirrorTableName, key: string): BatchOperation {
  return { op: 'deleteMirrorRecord', table, key };
}

/** Every record of one table, read page by page. */
export async function listRecords(storage: StoragePort, ownerId: string, table: MirrorTableName): Promise<MirrorRecord[]> {
  return readAll((cursor) => storage.listMirrorRecords(ownerId, { table, limit: PAGE_SIZE, cursor }));
}

interface LegacyMirror {
  present: boolean;
  books: MirrorTable;
  series: MirrorTable;
}

/** The whole-table settings of earlier versions, if any are left. */
export async function readLegacyMirror(storage: StoragePort, ownerId: string): Promise<LegacyMirror> {
  const [books, series] = await Promise.all([storage.getSetting(ownerId, SETTINGS_KEYS.books), storage.getSetting(ownerId, SETTINGS_KEYS.series)]);
  return {
    present: books != null || series != null,
    books: books == null ? {} : parseSetting(MirrorTableSchema, books, SETTINGS_KEYS.books),
    series: series == null ? {} : parseSetting(MirrorTableSchema, series, SETTINGS_KEYS.series),
  };
}

/**
 * Every mirrored page, from the records. Reading never writes: settings of an earlier version
 * that were not migrated yet (a dry run does not migrate) are read too, a record winning over them.
 */
export async function loadMirror(storage: StoragePort, ownerId: string): Promise<MirrorState> {
  const [books, series, legacy] = await Promise.all([listRecords(storage, ownerId, 'books'), listRecords(storage, ownerId, 'series'), readLegacyMirror(storage, ownerId)]);
  const state: MirrorState = {
    books: Object.fromEntries(books.map((r) => [r.key, entryOf(r)])),
    series: Object.fromEntries(series.map((r) => [r.key, entryOf(r)])),
  };
  for (const table of MIRROR_TABLES) {
    for (const [key, entry] of Object.entries(legacy[table])) state[table][key] ??= entry;
  }
  return state;
}

/**
 * Turns the whole-table settings of earlier versions into mirror records, once: the records are
 * written in chunks within the store's batch limit and the old settings deleted in the last one.
 * A crash in between leaves the settings, and the next call writes the rest. A record already in
 * the store wins over the old value. Returns the number of records written (0 when nothing was
 * left to migrate).
 */
export async function migrateMirrorSettings(ctx: UseCaseContext): Promise<number> {
  const { storage, ownerId } = ctx;
  const legacy = await readLegacyMirror(storage, ownerId);
  if (!legacy.present) return 0;
  const now = nowIso(ctx);
  const groups: BatchOperation[][] = [];
  for (const table of MIRROR_TABLES) {
    const existing = new Set((await listRecords(storage, ownerId, table)).map((r) => r.key));
    for (const [key, entry] of Object.entries(legacy[table])) if (!existing.has(key)) groups.push([putRecordOperation(table, key, entry, now)]);
  }
  await applyInChunks(storage, ownerId, groups, [
    { op: 'deleteSetting', key: SETTINGS_KEYS.books },
    { op: 'deleteSetting', key: SETTINGS_KEYS.series },
  ]);
  logOf(ctx).info('notion mirror: migrated the mirror settings into records', { records: groups.length });
  return groups.length;
}

/** Forgets every mirrored page (after the databases change): records page by page, then the settings. */
export async function clearMirror(storage: StoragePort, ownerId: string): Promise<void> {
  let cursor: string | null = null;
  do {
    const page = await storage.listMirrorRecords(ownerId, { limit: PAGE_SIZE, cursor });
    await applyInChunks(
      storage,
      ownerId,
      page.items.map((r) => [deleteRecordOperation(r.table, r.key)]),
    );
    cursor = page.nextCursor;
  } while (cursor !== null);
  await storage.applyBatch(ownerId, [
    { op: 'deleteSetting', key: SETTINGS_KEYS.books },
    { op: 'deleteSetting', key: SETTINGS_KEYS.series },
    { op: 'deleteSetting', key: SETTINGS_KEYS.pull },
    { op: 'deleteSetting', key: SETTINGS_KEYS.push },
  ]);
}

/** A copy of the state's entries as text per `table:key`, to find what changed since. */
export function snapshotOf(mirror: MirrorState): Map<string, string> {
  const out = new Map<string, string>();
  for (const table of MIRROR_TABLES) for (const [key, entry] of Object.entries(mirror[table])) out.set(`${table}:${key}`, JSON.stringify(entry));
  return out;
}

/** One group per record that differs from `before`: a put for a new or changed entry, a delete for one gone. */
export function changedRecordGroups(before: ReadonlyMap<string, string>, mirror: MirrorState, now: string, except: ReadonlySet<string> = new Set()): BatchOperation[][] {
  const groups: BatchOperation[][] = [];
  for (const table of MIRROR_TABLES) {
    for (const [key, entry] of Object.entries(mirror[table])) {
      const id = `${table}:${key}`;
      if (!except.has(id) && before.get(id) !== JSON.stringify(entry)) groups.push([putRecordOperation(table, key, entry, now)]);
    }
  }
  for (const id of before.keys()) {
    if (except.has(id)) continue;
    const [table, ...rest] = id.split(':') as [MirrorTableName, ...string[]];
    const key = rest.join(':');
    if (!mirror[table][key]) groups.push([deleteRecordOperation(table, key)]);
  }
  return groups;
}
