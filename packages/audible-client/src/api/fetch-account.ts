import { podcastFlag, type AudibleLibraryItem, type AudibleProduct } from '@sagasync/audible-parser';
import type { AudibleClient } from '../client.js';
import { fetchLibrary, type FetchLibraryOptions, type RejectedLibraryItem } from './library.js';
import { fetchFinishedStates, fetchLastPositions, type FinishedState, type LastPosition } from './progress.js';
import { hydrateSeries, type SeriesCatalogue } from './series.js';
import type { SeriesCache } from './series-cache.js';
import type { FetchWarning, OnFetchWarning } from './warnings.js';

/** Everything sync and export need from one account, fetched once. */
export interface AccountSnapshot {
  marketplace: string;
  fetchedAt: string;
  items: AudibleLibraryItem[];
  /** Items left out because they do not fit the item schema (reported, not fatal). */
  rejectedItems: RejectedLibraryItem[];
  /**
   * What else was left out and gone on without: catalogue products, last positions or finished
   * events that could not be read, finish dates that could not be fetched.
   */
  warnings: FetchWarning[];
  catalogues: SeriesCatalogue[];
  lastPositions: Map<string, LastPosition>;
  finished: Map<string, FinishedState>;
  stats: {
    libraryItems: number;
    series: number;
    seriesFromCache: number;
    seriesFetched: number;
    missingSeries: string[];
    missingVolumes: string[];
    reRequested: number;
    podcasts: number;
  };
}

export interface FetchAccountOptions {
  library?: FetchLibraryOptions;
  seriesCache?: SeriesCache;
  /** Skip the progress calls (export does not need last positions). Default true. */
  progress?: boolean;
  concurrency?: number;
  onStage?: (stage: 'library' | 'series' | 'progress', detail: string) => void;
  /** Called for each warning as it happens (they are also in the snapshot's `warnings`). */
  onWarning?: OnFetchWarning;
}

/** The series ASINs a library names, from `series[]` and `series` parent relationships. */
export function seriesAsinsOf(items: readonly AudibleLibraryItem[]): string[] {
  const out = new Set<string>();
  for (const item of items) {
    for (const ref of item.series ?? []) if (ref.asin) out.add(ref.asin);
    for (const rel of item.relationships ?? []) {
      if (rel.relationship_type === 'series' && rel.relationship_to_product === 'parent' && rel.asin) out.add(rel.asin);
    }
  }
  return [...out].sort();
}

/** Library (all pages), every series' full catalogue, last positions and finished events. */
export async function fetchAccountSnapshot(client: AudibleClient, options: FetchAccountOptions = {}): Promise<AccountSnapshot> {
  const fetchedAt = new Date(client.now()).toISOString();
  options.onStage?.('library', 'fetching library pages');
  const rejectedItems: RejectedLibraryItem[] = [];
  const warnings: FetchWarning[] = [];
  const onWarning: OnFetchWarning = (warning) => {
    warnings.push(warning);
    options.onWarning?.(warning);
  };
  const onRejectedItem = options.library?.onRejectedItem;
  const items = await fetchLibrary(client, {
    concurrency: options.concurrency,
    ...options.library,
    onRejectedItem: (item) => {
      rejectedItems.push(item);
      onRejectedItem?.(item);
    },
  });
  const known = new Map<string, AudibleProduct>(items.map((item) => [item.asin, item]));
  const seriesAsins = seriesAsinsOf(items);
  options.onStage?.('series', `${seriesAsins.length} series`);
  const series = await hydrateSeries(client, seriesAsins, { cache: options.seriesCache, known, concurrency: options.concurrency, onWarning });
  let lastPositions = new Map<string, LastPosition>();
  let finished = new Map<string, FinishedState>();
  if (options.progress ?? true) {
    options.onStage?.('progress', 'last positions and finished dates');
    [lastPositions, finished] = await Promise.all([
      fetchLastPositions(client, items.map((i) => i.asin), { concurrency: options.concurrency, onWarning }),
      fetchFinishedStates(client, { onWarning }),
    ]);
  }
  return {
    marketplace: client.marketplace.countryCode,
    fetchedAt,
    items,
    rejectedItems,
    warnings,
    catalogues: series.catalogues,
    lastPositions,
    finished,
    stats: {
      libraryItems: items.length,
      series: seriesAsins.length,
      seriesFromCache: series.fromCache,
      seriesFetched: series.fetched,
      missingSeries: series.missingSeries,
      missingVolumes: series.missingVolumes,
      reRequested: series.reRequested,
      podcasts: items.filter((i) => podcastFlag(i) === true).length,
    },
  };
}
