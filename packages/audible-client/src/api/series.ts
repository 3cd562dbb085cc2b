import { seriesVolumeOf, type AudibleProduct as Product } from '@sagasync/audible-parser';
import type { AudibleClient } from '../client.js';
import { fetchProducts } from './catalogue.js';
import { SERIES_PARENT_GROUPS, VOLUME_GROUPS } from './schemas.js';
import type { SeriesCache } from './series-cache.js';
import type { SeriesCatalogue, SeriesVolume } from './series-types.js';
import type { OnFetchWarning } from './warnings.js';

export type { SeriesCatalogue, SeriesVolume } from './series-types.js';

export interface HydrateSeriesOptions {
  cache?: SeriesCache;
  /** Products already in hand (the library's items), not fetched again. */
  known?: ReadonlyMap<string, Product>;
  concurrency?: number;
  /** Called for each catalogue product left out because it does not fit the product schema. */
  onWarning?: OnFetchWarning;
}

export interface HydrateSeriesResult {
  catalogues: SeriesCatalogue[];
  fromCache: number;
  fetched: number;
  /** Series ASINs the catalogue does not have (removed, or another marketplace's). */
  missingSeries: string[];
  /** Volume ASINs listed by a series but never returned. */
  missingVolumes: string[];
  /** Products re-requested after a batch silently left them out. */
  reRequested: number;
}

function sortKey(sort: string | null, sequence: string): number {
  const n = Number(sort ?? sequence);
  return Number.isFinite(n) && (sort ?? sequence) !== '' ? n : Number.MAX_SAFE_INTEGER;
}

/**
 * All volumes of each series, owned or not: the series parent's `relationships` give the volume
 * ASINs with sequence and sort; volumes not already known are hydrated in batches of at most 50,
 * re-requesting any a batch left out. Complete catalogues are cached.
 */
export async function hydrateSeries(client: AudibleClient, seriesAsins: readonly string[], options: HydrateSeriesOptions = {}): Promise<HydrateSeriesResult> {
  const unique = [...new Set(seriesAsins)].sort();
  const catalogues = new Map<string, SeriesCatalogue>();
  const misses: string[] = [];
  for (const asin of unique) {
    const cached = options.cache ? await options.cache.get(asin) : null;
    if (cached) catalogues.set(asin, cached);
    else misses.push(asin);
  }
  const fromCache = catalogues.size;
  let reRequested = 0;
  const missingVolumes: string[] = [];
  let missingSeries: string[] = [];

  if (misses.length > 0) {
    const fetchedAt = new Date(client.now()).toISOString();
    const parents = await fetchProducts(client, misses, { responseGroups: SERIES_PARENT_GROUPS, concurrency: options.concurrency, onWarning: options.onWarning });
    reRequested += parents.reRequested;
    missingSeries = parents.missing;
    const childrenOf = new Map<string, { asin: string; sequence: string; sort: string | null }[]>();
    const wanted = new Set<string>();
    for (const [asin, parent] of parents.products) {
      const children: { asin: string; sequence: string; sort: string | null }[] = [];
      for (const r of parent.relationships ?? []) {
        // AudibleApi declares a relationship's ASIN nullable: a child without one cannot be listed.
        if (r.relationship_type !== 'series' || r.relationship_to_product !== 'child' || !r.asin) continue;
        children.push({ asin: r.asin, sequence: r.sequence == null ? '' : String(r.sequence), sort: r.sort == null ? null : String(r.sort) });
      }
      children.sort((a, b) => sortKey(a.sort, a.sequence) - sortKey(b.sort, b.sequence) || a.asin.localeCompare(b.asin));
      childrenOf.set(asin, children);
      for (const child of children) if (!options.known?.has(child.asin)) wanted.add(child.asin);
    }
    const volumes = await fetchProducts(client, [...wanted], { responseGroups: VOLUME_GROUPS, concurrency: options.concurrency, onWarning: options.onWarning });
    reRequested += volumes.reRequested;
    missingVolumes.push(...volumes.missing);
    for (const [asin, children] of childrenOf) {
      const parent = parents.products.get(asin)!;
      let complete = true;
      const list: SeriesVolume[] = [];
      for (const child of children) {
        const known = options.known?.get(child.asin);
        const fetched = known ? undefined : volumes.products.get(child.asin);
        const product = known ?? fetched;
        if (!product) {
          complete = false;
          continue;
        }
        // Volumes were fetched with `price` (none: not sold here); a library item was not, so for
        // an owned volume it stays unknown.
        list.push(seriesVolumeOf(product, child, { pricesRequested: fetched !== undefined }));
      }
      const title = parent.title?.trim() || firstSeriesTitle(asin, children, options.known, volumes.products) || asin;
      const catalogue: SeriesCatalogue = { asin, title, fetchedAt, complete, volumes: list };
      catalogues.set(asin, catalogue);
      // An incomplete catalogue is not cached, so the next sync tries the missing volumes again.
      if (complete && options.cache) await options.cache.set(asin, catalogue);
    }
  }
  await options.cache?.flush?.();
  return {
    catalogues: unique.filter((a) => catalogues.has(a)).map((a) => catalogues.get(a)!),
    fromCache,
    fetched: catalogues.size - fromCache,
    missingSeries,
    missingVolumes: [...new Set(missingVolumes)].sort(),
    reRequested,
  };
}

/** A series parent without a title: take the name a volume gives the series. */
function firstSeriesTitle(seriesAsin: string, children: { asin: string }[], known: ReadonlyMap<string, Product> | undefined, fetched: ReadonlyMap<string, Product>): string | null {
  for (const child of children) {
    const product = known?.get(child.asin) ?? fetched.get(child.asin);
    const ref = product?.series?.find((s) => s.asin === seriesAsin && s.title);
    if (ref?.title) return ref.title;
  }
  return null;
}
