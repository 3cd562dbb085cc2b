import type { Progress } from '../model/progress.js';
import type { Series } from '../model/series.js';
import type { SeriesMembership } from '../model/title.js';
import type { BatchOperation, SeriesData } from '../ports/storage.port.js';
import type { SeriesView } from '../series/derive-series-status.js';
import { deriveSeriesViews } from '../series/series-views.js';
import { applyInChunks } from './apply-in-chunks.js';
import { convergeSeries } from './import-library.js';
import { nowIso, retryOnConflict, type UseCaseDeps } from './deps.js';
import { refreshStatuses, statusInvalidations } from './series-status-cache.js';
import { resolveRuleOptions, type SeriesReportOptions } from './series-context.js';

export interface RecomputeSeriesResult {
  created: number;
  updated: number;
  removed: number;
  /** Series named only by title that joined the ASIN-keyed series they are (counted in `removed` too). */
  merged: number;
  /** Every series after the rebuild, as `buildSeriesReport` shows them. */
  series: SeriesView[];
}

/** The most used value, ties broken by first appearance; null when there is none. */
function mostCommon(values: readonly (string | null)[]): string | null {
  const counts = new Map<string, number>();
  let best: string | null = null;
  for (const v of values) {
    if (v === null) continue;
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (best === null || n > counts.get(best)!) best = v;
  }
  return best;
}

/**
 * What the memberships say a series row should be. A stored row keeps its title while any title
 * still calls the series by it (a catalogue's name beats a file's); otherwise it takes the name most
 * memberships use. A missing series ASIN is filled in when memberships know it.
 */
function seriesFromMemberships(key: string, memberships: readonly SeriesMembership[], stored: Series | undefined, now: string): SeriesData {
  const titles = memberships.map((m) => m.seriesTitle);
  const title = stored && titles.includes(stored.title) ? stored.title : (mostCommon(titles) ?? stored?.title ?? key);
  const asin = stored?.asin ?? mostCommon(memberships.map((m) => m.seriesAsin));
  return {
    key,
    title,
    asin,
    catalogueComplete: stored?.catalogueComplete ?? false,
    createdAt: stored?.createdAt ?? now,
    updatedAt: stored?.updatedAt ?? now,
  };
}

/**
 * Rebuilds the series rows from the titles' memberships (in batches within the store's limit: a
 * rerun after a crash finishes the job): creates rows for series
 * only memberships name, fixes rows whose name or ASIN the titles no longer support, and deletes
 * rows no title refers to. Retried on a concurrent write.
 */
export async function recomputeSeries(deps: UseCaseDeps, options: SeriesReportOptions = {}): Promise<RecomputeSeriesResult> {
  const { storage, ownerId } = deps;
  const rules = await resolveRuleOptions(deps, options);
  const converged = await convergeSeries(deps);
  return retryOnConflict(async () => {
    const [titles, storedSeries, progressRows] = await Promise.all([storage.listTitles(ownerId).then((page) => page.items), storage.listSeries(ownerId).then((page) => page.items), storage.listProgress(ownerId).then((page) => page.items)]);
    const now = nowIso(deps);
    const memberships = new Map<string, SeriesMembership[]>();
    for (const title of titles) {
      for (const m of title.series) {
        const list = memberships.get(m.seriesKey);
        if (list) list.push(m);
        else memberships.set(m.seriesKey, [m]);
      }
    }
    const stored = new Map(storedSeries.map((s) => [s.key, s]));
    const operations: BatchOperation[] = [];
    const after: Series[] = [];
    let created = 0;
    let updated = 0;
    let removed = 0;
    for (const key of [...memberships.keys()].sort()) {
      const row = stored.get(key);
      const value = seriesFromMemberships(key, memberships.get(key)!, row, now);
      if (!row) {
        created++;
        operations.push({ op: 'putSeries', value, expectedVersion: null });
        after.push({ ...value, ownerId, version: 1 });
      } else if (row.title !== value.title || row.asin !== value.asin) {
        updated++;
        const next = { ...value, updatedAt: now };
        operations.push({ op: 'putSeries', value: next, expectedVersion: row.version });
        after.push({ ...next, ownerId, version: row.version + 1 });
      } else {
        after.push(row);
      }
    }
    for (const row of storedSeries) {
      if (memberships.has(row.key)) continue;
      removed++;
      operations.push({ op: 'deleteSeries', key: row.key, expectedVersion: row.version });
    }
    // Every change in its own group, within the store's batch limit; the rebuilt series' cached
    // statuses go with them, and are written fresh once the views are derived.
    await applyInChunks(storage, ownerId, [...operations.map((operation) => [operation]), ...statusInvalidations(storedSeries.map((s) => s.key)).map((op) => [op])]);
    const progress = new Map<string, Progress>(progressRows.map((p) => [p.asin, p]));
    const views = deriveSeriesViews(titles, after, progress, rules);
    await refreshStatuses(deps, views, rules);
    return { created, updated, removed: removed + converged.merged, merged: converged.merged, series: views };
  });
}
