import type { Progress } from '../model/progress.js';
import type { Series } from '../model/series.js';
import type { Title } from '../model/title.js';
import { deriveSeriesView, type SeriesLike, type SeriesRuleOptions, type SeriesView, type SeriesVolumeInput } from './derive-series-status.js';

/**
 * Views of every series the titles refer to (or only of `keys`), sorted by series title then key.
 * A series no stored row describes is described by its first membership, catalogue incomplete.
 */
export function deriveSeriesViews(
  titles: Iterable<Title>,
  series: Iterable<Series>,
  progress: ReadonlyMap<string, Progress>,
  options: SeriesRuleOptions = {},
  keys?: ReadonlySet<string>,
): SeriesView[] {
  const rows = new Map<string, SeriesLike>();
  for (const s of series) if (!keys || keys.has(s.key)) rows.set(s.key, s);
  const volumes = new Map<string, SeriesVolumeInput[]>();
  for (const title of titles) {
    for (const membership of title.series) {
      const key = membership.seriesKey;
      if (keys && !keys.has(key)) continue;
      let list = volumes.get(key);
      if (!list) {
        list = [];
        volumes.set(key, list);
        if (!rows.has(key)) rows.set(key, { key, title: membership.seriesTitle, asin: membership.seriesAsin, catalogueComplete: false });
      }
      list.push({ title, membership, progress: progress.get(title.asin) ?? null });
    }
  }
  const views: SeriesView[] = [];
  for (const [key, list] of volumes) views.push(deriveSeriesView(rows.get(key)!, list, options));
  return views.sort((a, b) => compare(a.title.toLowerCase(), b.title.toLowerCase()) || compare(a.key, b.key));
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
