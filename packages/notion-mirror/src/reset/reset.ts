import { applyInChunks, logOf, SagaSyncError, type MirrorTableName } from '@sagasync/core';
import { createNotionGateway } from '../client/notion-gateway.js';
import { trashPage } from '../client/pages.js';
import type { NotionDeps } from '../context.js';
import { deleteRecordOperation, loadMirror, migrateMirrorSettings } from '../state/mirror-records.js';
import { requireDatabases, SETTINGS_KEYS } from '../state/settings.js';

export type ResetDeps = NotionDeps & {
  onProgress?: (progress: { done: number; total: number }) => void;
};

export interface ResetOptions {
  /** Only the pages of synthetic volumes (series volumes not owned). */
  syntheticOnly?: boolean;
  /** Say what would be trashed and released (`pages`), change nothing: no Notion request, no store write. */
  dryRun?: boolean;
}

/** A page a reset moves to the trash (or, on a dry run, would). */
export interface ResetPage {
  table: MirrorTableName;
  /** ASIN or series key. */
  key: string;
  /** The store's title for it, when the store still has one. */
  title: string | null;
  pageId: string;
}

export interface ResetResult {
  dryRun: boolean;
  /** Pages moved to the trash; on a dry run, those that would be. */
  trashed: { books: number; series: number };
  /** Pages adopted from the user's own tracker: forgotten, never trashed. */
  released: number;
  /** On a dry run: every page that would go to the trash. Empty otherwise. */
  pages: ResetPage[];
  requests: number;
}

interface Work {
  table: MirrorTableName;
  key: string;
  pageId: string;
}

/**
 * Moves the pages SagaSync created to the Notion trash (restorable there), one at a time under
 * the rate limiter (pass a low `notion.requestsPerSecond` to go slowly), deleting each page's
 * mirror record right after, so an interrupted reset picks up where it stopped. Pages adopted from
 * the user's own tracker are released (their records deleted), not trashed.
 */
export async function resetNotion(deps: ResetDeps, options: ResetOptions = {}): Promise<ResetResult> {
  const { storage, ownerId } = deps;
  await requireDatabases(storage, ownerId);
  // A dry run reads the records (and settings of an earlier version) without migrating them.
  if (!options.dryRun) await migrateMirrorSettings(deps);
  const mirror = await loadMirror(storage, ownerId);
  const titles = (await storage.listTitles(ownerId)).items;
  const owned = new Map(titles.map((t) => [t.asin, t.owned]));
  const byKey = (keys: [string, { pageId: string; origin: string; synthetic: boolean }][]) => [...keys].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const work: Work[] = [];
  const released: Work[] = [];
  for (const [key, entry] of byKey(Object.entries(mirror.books))) {
    const synthetic = owned.has(key) ? !owned.get(key) : entry.synthetic;
    if (options.syntheticOnly && !synthetic) continue;
    if (entry.origin === 'adopted') {
      if (!options.syntheticOnly) released.push({ table: 'books', key, pageId: entry.pageId });
      continue;
    }
    work.push({ table: 'books', key, pageId: entry.pageId });
  }
  if (!options.syntheticOnly) for (const [key, entry] of byKey(Object.entries(mirror.series))) work.push({ table: 'series', key, pageId: entry.pageId });

  if (options.dryRun) {
    const bookTitles = new Map(titles.map((t) => [t.asin, t.title]));
    const seriesTitles = new Map((await storage.listSeries(ownerId)).items.map((s) => [s.key, s.title]));
    const pages = work.map((w) => ({ ...w, title: (w.table === 'books' ? bookTitles.get(w.key) : seriesTitles.get(w.key)) ?? null }));
    const count = (table: MirrorTableName) => work.filter((w) => w.table === table).length;
    return { dryRun: true, trashed: { books: count('books'), series: count('series') }, released: released.length, pages, requests: 0 };
  }

  await applyInChunks(
    storage,
    ownerId,
    released.map((r) => [deleteRecordOperation('books', r.key)]),
  );

  const gateway = createNotionGateway(deps.notion);
  const result: ResetResult = { dryRun: false, trashed: { books: 0, series: 0 }, released: released.length, pages: [], requests: 0 };
  deps.onProgress?.({ done: 0, total: work.length });
  try {
    for (const [i, record] of work.entries()) {
      try {
        await trashPage(gateway, record.pageId);
      } catch (error) {
        // Already deleted for good: nothing left to trash.
        if (!(SagaSyncError.isInstance(error) && error.code === 'not_found')) throw error;
      }
      await storage.applyBatch(ownerId, [deleteRecordOperation(record.table, record.key)]);
      result.trashed[record.table] += 1;
      deps.onProgress?.({ done: i + 1, total: work.length });
    }
    // A push that stopped early continues from a full scan after a reset.
    await storage.applyBatch(ownerId, [{ op: 'deleteSetting', key: SETTINGS_KEYS.push }]);
  } finally {
    result.requests = gateway.stats.requests;
  }
  logOf(deps).info('notion reset', { trashed: result.trashed, released: result.released });
  return result;
}
