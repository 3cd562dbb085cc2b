import type { SeriesRuleOptions, SeriesView } from '../series/derive-series-status.js';
import { deriveSeriesViews } from '../series/series-views.js';
import { nowIso, readRuleSettings, type UseCaseDeps } from './deps.js';

export interface SeriesReportOptions {
  novellasRequired?: boolean;
  inferGaps?: boolean;
}

/** Explicit options win; what they leave out comes from the owner's `rules` setting. */
export async function resolveRuleOptions(deps: UseCaseDeps, options: SeriesReportOptions = {}): Promise<SeriesRuleOptions> {
  const needSettings = options.novellasRequired === undefined || options.inferGaps === undefined;
  const settings = needSettings ? await readRuleSettings(deps) : null;
  return {
    novellasRequired: options.novellasRequired ?? settings!.novellasRequired,
    inferGaps: options.inferGaps ?? settings!.inferGaps,
    now: nowIso(deps),
  };
}

/**
 * Views of the series `keys` (all series when omitted), read from the store. For given keys only
 * their titles, series and progress are read (indexed reads), so a listening event costs the same
 * in a library of 100 titles or 100,000.
 */
export async function loadSeriesViews(deps: UseCaseDeps, rules: SeriesRuleOptions, keys?: ReadonlySet<string>): Promise<SeriesView[]> {
  const { storage, ownerId } = deps;
  if (keys && keys.size === 0) return [];
  if (!keys) {
    const [titles, series, progress] = await Promise.all([storage.listTitles(ownerId), storage.listSeries(ownerId), storage.listProgress(ownerId)]);
    return deriveSeriesViews(titles.items, series.items, new Map(progress.items.map((p) => [p.asin, p])), rules);
  }
  const slice = await storage.getSeriesSlice(ownerId, [...keys]);
  return deriveSeriesViews(slice.titles, slice.series, new Map(slice.progress.map((p) => [p.asin, p])), rules, keys);
}
