import type { Progress } from '../model/progress.js';
import type { Series } from '../model/series.js';
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
  const [members, series] = await Promise.all([
    storage.listTitles(ownerId, { seriesKeys: [...keys] }).then((page) => page.items),
    Promise.all([...keys].map((key) => storage.getSeries(ownerId, key))).then((rows) => rows.filter((s): s is Series => s !== null)),
  ]);
  return deriveSeriesViews(members, series, await progressOf(deps, members), rules, keys);
}

async function progressOf(deps: UseCaseDeps, titles: readonly Title[]): Promise<Map<string, Progress>> {
  if (titles.length === 0) return new Map();
  const rows = await deps.storage.getProgresses(deps.ownerId, titles.map((t) => t.asin));
  return new Map(rows.map((p) => [p.asin, p]));
}
