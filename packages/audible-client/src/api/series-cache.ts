import type { StoragePort } from '@sagasync/core';
import * as z from 'zod';
import type { SeriesCatalogue } from './series-types.js';

/** Series catalogues kept between syncs, so an unchanged series costs no catalogue calls. */
export interface SeriesCache {
  /** A fresh entry, or null when absent or older than the cache's TTL. */
  get(seriesAsin: string): Promise<SeriesCatalogue | null>;
  set(seriesAsin: string, catalogue: SeriesCatalogue): Promise<void>;
  /** Writes what `set` buffered; called once after a hydration. */
  flush?(): Promise<void>;
}

export interface SeriesCacheOptions {
  /** Default one day: new volumes are announced rarely. */
  ttlMs?: number;
  now?: () => number;
}

const DAY_MS = 86_400_000;

const VolumeSchema = z.object({
  asin: z.string(),
  title: z.string(),
  subtitle: z.string().nullable(),
  sequence: z.string(),
  sort: z.string().nullable(),
  authors: z.array(z.string()),
  narrators: z.array(z.string()),
  releaseDate: z.string().nullable(),
  runtimeMinutes: z.number().nullable(),
  coverUrl: z.string().nullable(),
  language: z.string().nullable(),
  isPodcast: z.boolean(),
  // Catalogues cached before prices were asked for do not say; read as unknown (absent), as is null.
  forSale: z
    .boolean()
    .nullish()
    .transform((value) => value ?? undefined),
});
export const SeriesCatalogueSchema = z.object({
  asin: z.string(),
  title: z.string(),
  fetchedAt: z.string(),
  complete: z.boolean(),
  volumes: z.array(VolumeSchema),
});

function fresh(catalogue: SeriesCatalogue, ttlMs: number, now: number): boolean {
  const at = Date.parse(catalogue.fetchedAt);
  return Number.isFinite(at) && now - at < ttlMs;
}

export function createMemorySeriesCache(options: SeriesCacheOptions = {}): SeriesCache {
  const ttlMs = options.ttlMs ?? DAY_MS;
  const now = options.now ?? Date.now;
  const entries = new Map<string, SeriesCatalogue>();
  return {
    get: async (asin) => {
      const entry = entries.get(asin);
      return entry && fresh(entry, ttlMs, now()) ? entry : null;
    },
    set: async (asin, catalogue) => {
      entries.set(asin, catalogue);
    },
  };
}

/**
 * A cache over any key-value store (a JSON file, the store's settings), validated on read so a
 * stale format is a miss, not a crash. Keys are `audible-series:{asin}`.
 */
export function createKeyValueSeriesCache(store: { get(key: string): Promise<unknown>; set(key: string, value: unknown): Promise<void> }, options: SeriesCacheOptions = {}): SeriesCache {
  const ttlMs = options.ttlMs ?? DAY_MS;
  const now = options.now ?? Date.now;
  return {
    get: async (asin) => {
      const parsed = SeriesCatalogueSchema.safeParse(await store.get(`audible-series:${asin}`));
      return parsed.success && fresh(parsed.data, ttlMs, now()) ? parsed.data : null;
    },
    set: (asin, catalogue) => store.set(`audible-series:${asin}`, catalogue),
  };
}

/** The owner's setting key a cached series catalogue is stored under. */
export const seriesCacheKey = (seriesAsin: string): string => `audible-series:${seriesAsin}`;

/**
 * A cache in the store's owner settings, so catalogues survive between CLI runs. Reads are keyed;
 * writes are buffered and flushed in one batch, and only happen when a series was (re)fetched:
 * a sync inside the TTL writes nothing here.
 */
export function createStorageSeriesCache(options: SeriesCacheOptions & { storage: StoragePort; ownerId: string }): SeriesCache {
  const ttlMs = options.ttlMs ?? DAY_MS;
  const now = options.now ?? Date.now;
  const pending = new Map<string, SeriesCatalogue>();
  return {
    get: async (asin) => {
      const parsed = SeriesCatalogueSchema.safeParse(pending.get(asin) ?? (await options.storage.getSetting(options.ownerId, seriesCacheKey(asin))));
      return parsed.success && fresh(parsed.data, ttlMs, now()) ? parsed.data : null;
    },
    set: async (asin, catalogue) => {
      pending.set(asin, catalogue);
    },
    flush: async () => {
      if (pending.size === 0) return;
      const operations = [...pending].map(([asin, value]) => ({ op: 'putSetting' as const, key: seriesCacheKey(asin), value }));
      pending.clear();
      await options.storage.applyBatch(options.ownerId, operations);
    },
  };
}
