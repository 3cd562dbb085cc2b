import {
  AudibleClient,
  buildLibraryRecords,
  createStorageSeriesCache,
  hydrateSeries,
  LOCALE_CODES,
  seriesCacheKey,
  type AudibleCredentials,
  type FetchLike,
  type LocaleCode,
  type SeriesCache,
  type SeriesCatalogue,
} from '@sagasync/audible-client';
import { applyInChunks, type LibraryRecords, type StoragePort } from '@sagasync/core';
import type { LambdaRuntime } from '../runtime/context.js';
import { readChunk, requireImportPlan, writeLookup } from './staging.js';
import { ChunkInputSchema, parseInput, runTask } from './task.js';

export interface LookupOutput {
  chunk: number;
  /** Series ASINs the chunk's titles name. */
  series: number;
  /** Of them, series the catalogue knows. */
  found: number;
  /** Titles of volumes not owned, added to the chunk. */
  volumes: number;
}

/** Catalogue calls in flight at once for one chunk (Audible throttles; chunks run four at a time). */
const CATALOGUE_CONCURRENCY = 2;

const isLocale = (value: string): value is LocaleCode => (LOCALE_CODES as readonly string[]).includes(value);

/** The marketplace most of the chunk's titles came from; `us` when they do not say. */
function marketplaceOf(records: LibraryRecords): LocaleCode {
  const counts = new Map<LocaleCode, number>();
  for (const t of records.titles) {
    const code = t.marketplace?.toLowerCase();
    if (code && isLocale(code)) counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? 'us';
}

/**
 * A client for Audible's public catalogue, which needs no sign-in: the client's requests without
 * the access token it would send for an account (it has none; the "credentials" never refresh).
 */
function catalogueClient(runtime: LambdaRuntime, locale: LocaleCode): AudibleClient {
  const credentials: AudibleCredentials = {
    locale,
    accessToken: 'anonymous',
    refreshToken: 'anonymous',
    expiresAt: Number.MAX_SAFE_INTEGER,
    adpToken: null,
    devicePrivateKey: null,
    deviceSerial: null,
    deviceType: null,
    deviceName: null,
    customerId: null,
    customerName: null,
    withUsername: false,
    websiteCookies: {},
    storeAuthenticationCookie: null,
    deviceApp: null,
  };
  const anonymous: FetchLike = (url, init) => {
    const headers = new Headers(init.headers);
    headers.delete('x-amz-access-token');
    return globalThis.fetch(url, { ...init, headers });
  };
  return new AudibleClient({
    credentials,
    authMode: 'token',
    fetch: anonymous,
    now: () => runtime.clock().getTime(),
    ...(runtime.env.SAGASYNC_AUDIBLE_API_URL ? { endpoints: { apiUrl: runtime.env.SAGASYNC_AUDIBLE_API_URL } } : {}),
  });
}

/**
 * The owner's series cache (the CLI's and the sync's: owner settings `audible-series:<asin>`, a
 * day), written within the store's batch limit. A preview writes nothing, so it keeps what it
 * fetched to itself.
 */
function seriesCache(storage: StoragePort, ownerId: string, now: () => number, commit: boolean): SeriesCache {
  const stored = createStorageSeriesCache({ storage, ownerId, now });
  const pending = new Map<string, SeriesCatalogue>();
  return {
    get: stored.get,
    set: async (asin, catalogue) => {
      pending.set(asin, catalogue);
    },
    flush: async () => {
      if (!commit || pending.size === 0) return;
      const groups = [...pending].map(([asin, value]) => [{ op: 'putSetting' as const, key: seriesCacheKey(asin), value }]);
      pending.clear();
      await applyInChunks(storage, ownerId, groups);
    },
  };
}

/**
 * Audible series metadata for a chunk: the catalogue of every series its titles name by ASIN
 * (through the owner's series cache), and the volumes the owner does not have as titles (`owned:
 * false`), as a sync adds them. Staged for the upsert (`import-lookup`); titles without a series
 * ASIN (an audible-cli export names series by title only) need no lookup. Run again, it reads the
 * cache and stages the same records.
 */
export async function lookupSeries(runtime: LambdaRuntime, input: unknown): Promise<LookupOutput> {
  const { ownerId, jobId, chunk } = parseInput(ChunkInputSchema, input, 'import-lookup');
  return runTask(runtime, 'import-lookup', { ownerId, jobId }, async () => {
    const deps = { storage: runtime.storage, clock: runtime.clock };
    const plan = await requireImportPlan(deps, ownerId, jobId);
    const { records } = await readChunk(deps, ownerId, jobId, chunk);
    const seriesAsins = [...new Set([...records.titles.flatMap((t) => t.series.map((m) => m.seriesAsin)), ...records.series.map((s) => s.asin)])]
      .filter((asin): asin is string => asin !== null && asin !== undefined)
      .sort();
    if (seriesAsins.length === 0) return { chunk, series: 0, found: 0, volumes: 0 };

    const locale = marketplaceOf(records);
    const client = catalogueClient(runtime, locale);
    const now = () => runtime.clock().getTime();
    const hydrated = await hydrateSeries(client, seriesAsins, { cache: seriesCache(runtime.storage, ownerId, now, plan.commit), concurrency: CATALOGUE_CONCURRENCY });
    if (hydrated.catalogues.length === 0) return { chunk, series: seriesAsins.length, found: 0, volumes: 0 };

    // Volumes the owner has: owned titles of the chunk, and of the store (an earlier import).
    const inChunk = new Set(records.titles.map((t) => t.asin));
    const elsewhere = [...new Set(hydrated.catalogues.flatMap((c) => c.volumes.map((v) => v.asin)))].filter((asin) => !inChunk.has(asin));
    const stored = elsewhere.length > 0 ? await runtime.storage.getTitles(ownerId, elsewhere) : [];
    const owned = new Set(stored.filter((t) => t.owned).map((t) => t.asin));
    // The sync's own mapping of catalogues to records (every volume a title, not owned: no library items).
    const built = buildLibraryRecords({ items: [], catalogues: hydrated.catalogues, marketplace: client.marketplace.countryCode }).records;
    const extra: LibraryRecords = {
      titles: built.titles.filter((t) => !inChunk.has(t.asin) && !owned.has(t.asin)),
      series: built.series,
      progress: [],
    };
    await writeLookup(deps, ownerId, jobId, chunk, extra);
    return { chunk, series: seriesAsins.length, found: hydrated.catalogues.length, volumes: extra.titles.length };
  });
}
