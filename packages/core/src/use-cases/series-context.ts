import type { Progress } from '../model/progress.js';
import type { Title } from '../model/title.js';
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
 * Views of the series `keys` (all series when omitted), read from the store. The port has no
 * "titles of a series" query, so this lists the titles once and filters in memory.
 */
export async function loadSeriesViews(deps: UseCaseDeps, rules: SeriesRuleOptions, keys?: ReadonlySet<string>): Promise<SeriesView[]> {
  const { storage, ownerId } = deps;
  if (keys && keys.size === 0) return [];
  const [titles, series] = await Promise.all([storage.listTitles(ownerId), storage.listSeries(ownerId)]);
  const members: Title[] = keys ? titles.filter((t) => t.series.some((m) => keys.has(m.seriesKey))) : titles;
  const progress = keys ? await progressOf(deps, members) : new Map((await storage.listProgress(ownerId)).map((p) => [p.asin, p]));
  return deriveSeriesViews(members, series, progress, rules, keys);
}

async function progressOf(deps: UseCaseDeps, titles: readonly Title[]): Promise<Map<string, Progress>> {
  const rows = await Promise.all(titles.map((t) => deps.storage.getProgress(deps.ownerId, t.asin)));
  return new Map(rows.filter((p): p is Progress => p !== null).map((p) => [p.asin, p]));
}
