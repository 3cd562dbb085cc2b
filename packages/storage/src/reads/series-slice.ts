import { readAll, type Series, type SeriesSlice, type StoragePort } from '@sagasync/core';
import { compareText } from '../batch/ordering.js';

/**
 * `getSeriesSlice` from the port's other reads, for stores without a single read of their own
 * (memory, DynamoDB): the series by key, their titles page by page, then those titles' progress.
 */
export async function composeSeriesSlice(store: Pick<StoragePort, 'getSeries' | 'listTitles' | 'getProgresses'>, ownerId: string, seriesKeys: readonly string[]): Promise<SeriesSlice> {
  const keys = [...new Set(seriesKeys)];
  if (keys.length === 0) return { series: [], titles: [], progress: [] };
  const [series, titles] = await Promise.all([
    Promise.all(keys.map((key) => store.getSeries(ownerId, key))).then((rows) => rows.filter((row): row is Series => row !== null)),
    readAll((cursor) => store.listTitles(ownerId, { seriesKeys: keys, cursor })),
  ]);
  const progress = titles.length === 0 ? [] : await store.getProgresses(ownerId, titles.map((title) => title.asin));
  return sortSlice({ series, titles, progress });
}

/** The slice's order: series by key, titles and progress by ASIN. */
export function sortSlice(slice: SeriesSlice): SeriesSlice {
  slice.series.sort((a, b) => compareText(a.key, b.key));
  slice.titles.sort((a, b) => compareText(a.asin, b.asin));
  slice.progress.sort((a, b) => compareText(a.asin, b.asin));
  return slice;
}
