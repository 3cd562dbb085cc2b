import { applyInChunks, nowIso, type MirrorTableName, type UseCaseContext } from '@sagasync/core';
import { changedRecordGroups, loadMirror, snapshotOf } from '../state/mirror-records.js';
import type { MirrorState, NotionDatabases } from '../state/settings.js';
import { BOOKS_PROPERTIES, SERIES_PROPERTIES } from './definitions.js';
import { propertyIds, statusPropertyNames, type DataSourceSchema } from './check-databases.js';

const TABLES: readonly MirrorTableName[] = ['books', 'series'];

/** The stored description of the two databases, from their data sources as just read. */
export function describeDatabases(ids: Pick<NotionDatabases, 'books' | 'series'>, books: DataSourceSchema, series: DataSourceSchema): NotionDatabases {
  return {
    books: ids.books,
    series: ids.series,
    propertyIds: { books: propertyIds(books), series: propertyIds(series) },
    statusProperties: { books: statusPropertyNames(BOOKS_PROPERTIES, books), series: statusPropertyNames(SERIES_PROPERTIES, series) },
  };
}

/**
 * Properties whose id changed since `before` was read: deleted and added again (by hand, or by
 * `checkNotion({ repair })`), so every page holds an empty value there whatever the mirror records
 * say. Only for the same data sources, and only when `before` knew the table's property ids.
 */
export function replacedProperties(before: NotionDatabases | null, after: NotionDatabases): Record<MirrorTableName, string[]> {
  const out: Record<MirrorTableName, string[]> = { books: [], series: [] };
  if (!before?.propertyIds || !after.propertyIds) return out;
  for (const table of TABLES) {
    if (before[table].dataSourceId !== after[table].dataSourceId) continue;
    const old = before.propertyIds[table];
    for (const [name, id] of Object.entries(after.propertyIds[table])) if (old[name] !== id) out[table].push(name);
  }
  return out;
}

/** Forgets what the records say the `replaced` properties hold, so the next push writes them on every page. */
export function forgetProperties(mirror: MirrorState, replaced: Record<MirrorTableName, readonly string[]>): void {
  for (const table of TABLES) {
    if (replaced[table].length === 0) continue;
    for (const entry of Object.values(mirror[table])) for (const name of replaced[table]) delete entry.hashes[name];
  }
}

/** `forgetProperties` on the stored records, in chunks within the store's batch limit. Returns the records changed. */
export async function forgetStoredProperties(ctx: UseCaseContext, replaced: Record<MirrorTableName, readonly string[]>): Promise<number> {
  if (replaced.books.length === 0 && replaced.series.length === 0) return 0;
  const mirror = await loadMirror(ctx.storage, ctx.ownerId);
  const before = snapshotOf(mirror);
  forgetProperties(mirror, replaced);
  const groups = changedRecordGroups(before, mirror, nowIso(ctx));
  await applyInChunks(ctx.storage, ctx.ownerId, groups);
  return groups.length;
}
