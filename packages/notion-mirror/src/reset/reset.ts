import { applyInChunks, logOf, SagaSyncError, type MirrorRecord } from '@sagasync/core';
import { createNotionGateway } from '../client/notion-gateway.js';
import { trashPage } from '../client/pages.js';
import type { NotionDeps } from '../context.js';
import { deleteRecordOperation, listRecords, migrateMirrorSettings } from '../state/mirror-records.js';
import { requireDatabases, SETTINGS_KEYS } from '../state/settings.js';

export type ResetDeps = NotionDeps & {
  onProgress?: (progress: { done: number; total: number }) => void;
};

export interface ResetOptions {
  /** Only the pages of synthetic volumes (series volumes not owned). */
  syntheticOnly?: boolean;
}

export interface ResetResult {
  trashed: { books: number; series: number };
  /** Pages adopted from the user's own tracker: forgotten, never trashed. */
  released: number;
  requests: number;
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
  await migrateMirrorSettings(deps);
  const owned = new Map((await storage.listTitles(ownerId)).items.map((t) => [t.asin, t.owned]));
  const isSynthetic = (record: MirrorRecord) => (owned.has(record.key) ? !owned.get(record.key) : record.synthetic);
  const work: MirrorRecord[] = [];
  const released: MirrorRecord[] = [];
  for (const record of await listRecords(storage, ownerId, 'books')) {
    if (options.syntheticOnly && !isSynthetic(record)) continue;
    if (record.origin === 'adopted') {
      if (!options.syntheticOnly) released.push(record);
      continue;
    }
    work.push(record);
  }
  if (!options.syntheticOnly) work.push(...(await listRecords(storage, ownerId, 'series')));
  await applyInChunks(
    storage,
    ownerId,
    released.map((r) => [deleteRecordOperation('books', r.key)]),
  );

  const gateway = createNotionGateway(deps.notion);
  const result: ResetResult = { trashed: { books: 0, series: 0 }, released: released.length, requests: 0 };
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
