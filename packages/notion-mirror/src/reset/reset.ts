import { SagaSyncError, type StoragePort } from '@sagasync/core';
import { createNotionGateway, type NotionConnectionOptions } from '../client/notion-gateway.js';
import { trashPage } from '../client/pages.js';
import { loadMirror, requireDatabases, saveMirror, type MirrorTable } from '../state/settings.js';

export interface ResetDeps {
  storage: StoragePort;
  ownerId: string;
  /** Pass a low requestsPerSecond to go slowly (default 3, as for every call). */
  notion: NotionConnectionOptions;
  onProgress?: (progress: { done: number; total: number }) => void;
}

export interface ResetOptions {
  /** Only the pages of synthetic volumes (series volumes not owned). */
  syntheticOnly?: boolean;
  /** Progress is saved after this many pages, so a stopped reset resumes. Default 10. */
  checkpointEvery?: number;
}

export interface ResetResult {
  trashed: { books: number; series: number };
  /** Pages adopted from the user's own tracker: forgotten, never trashed. */
  released: number;
  requests: number;
}

/**
 * Moves the pages SagaSync created to the Notion trash (restorable there), one at a time under
 * the rate limiter, forgetting each as it goes so an interrupted reset picks up where it stopped.
 * Pages adopted from the user's own tracker are released, not trashed.
 */
export async function resetNotion(deps: ResetDeps, options: ResetOptions = {}): Promise<ResetResult> {
  await requireDatabases(deps.storage, deps.ownerId);
  const mirror = await loadMirror(deps.storage, deps.ownerId);
  const owned = new Map((await deps.storage.listTitles(deps.ownerId)).map((t) => [t.asin, t.owned]));
  const isSynthetic = (asin: string) => (owned.has(asin) ? !owned.get(asin) : mirror.books[asin]!.synthetic);
  const work: { table: 'books' | 'series'; key: string }[] = [];
  let released = 0;
  for (const [asin, entry] of Object.entries(mirror.books)) {
    if (options.syntheticOnly && !isSynthetic(asin)) continue;
    if (entry.origin === 'adopted') {
      if (!options.syntheticOnly) {
        delete mirror.books[asin];
        released += 1;
      }
      continue;
    }
    work.push({ table: 'books', key: asin });
  }
  if (!options.syntheticOnly) for (const key of Object.keys(mirror.series)) work.push({ table: 'series', key });

  const gateway = createNotionGateway(deps.notion);
  const result: ResetResult = { trashed: { books: 0, series: 0 }, released, requests: 0 };
  const every = options.checkpointEvery ?? 10;
  deps.onProgress?.({ done: 0, total: work.length });
  try {
    for (const [i, item] of work.entries()) {
      const table: MirrorTable = mirror[item.table];
      try {
        await trashPage(gateway, table[item.key]!.pageId);
      } catch (error) {
        // Already deleted for good: nothing left to trash.
        if (!(SagaSyncError.isInstance(error) && error.code === 'not_found')) throw error;
      }
      delete table[item.key];
      result.trashed[item.table] += 1;
      deps.onProgress?.({ done: i + 1, total: work.length });
      if ((i + 1) % every === 0) await saveMirror(deps.storage, deps.ownerId, mirror);
    }
  } finally {
    await saveMirror(deps.storage, deps.ownerId, mirror);
    result.requests = gateway.stats.requests;
  }
  return result;
}
