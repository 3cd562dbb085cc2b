import type { BatchOperation } from '../ports/storage.port.js';
import { applyInChunks } from './apply-in-chunks.js';
import { statusInvalidations } from './series-status-cache.js';
import { syncRunOperation } from './sync-run-log.js';
import { nowIso, retryOnConflict, type UseCaseDeps } from './deps.js';

export interface CleanupResult {
  /** ASINs of the synthetic titles removed (or, in a dry run, that would be), sorted. */
  removed: string[];
  dryRun: boolean;
}

/**
 * Deletes synthetic volumes (owned = false) that no longer share a series with any owned title and
 * that nothing else refers to (no progress, no tracker link), in one batch with a `cleanup`
 * sync-run row. They were only kept to show what is missing from series the user collects. A dry
 * run writes nothing. Series rows left without titles are `recomputeSeries`'s business.
 */
export async function cleanupSynthetic(deps: UseCaseDeps, options: { dryRun: boolean }): Promise<CleanupResult> {
  const { storage, ownerId } = deps;
  return retryOnConflict(async () => {
    const startedAt = nowIso(deps);
    const [titles, progress, links] = await Promise.all([storage.listTitles(ownerId).then((page) => page.items), storage.listProgress(ownerId).then((page) => page.items), storage.listLinks(ownerId).then((page) => page.items)]);
    const ownedKeys = new Set<string>();
    for (const t of titles) if (t.owned) for (const m of t.series) ownedKeys.add(m.seriesKey);
    const referenced = new Set<string>([...progress.map((p) => p.asin), ...links.map((l) => l.asin)]);
    const doomed = titles.filter((t) => !t.owned && !referenced.has(t.asin) && !t.series.some((m) => ownedKeys.has(m.seriesKey)));
    const removed = doomed.map((t) => t.asin).sort();
    if (options.dryRun) return { removed, dryRun: true };

    const operations: BatchOperation[] = doomed.map((t) => ({ op: 'deleteTitle', asin: t.asin, expectedVersion: t.version }));
    // The counts have no "deleted" column: removals count as updates of the library.
    const counts = { created: 0, updated: removed.length, unchanged: titles.length - removed.length, failed: 0 };
    const invalidations = statusInvalidations(doomed.flatMap((t) => t.series.map((m) => m.seriesKey))).map((op) => [op]);
    await applyInChunks(storage, ownerId, [...invalidations, ...operations.map((operation) => [operation])], [syncRunOperation(deps, { kind: 'cleanup', startedAt, counts })]);
    return { removed, dryRun: false };
  });
}
