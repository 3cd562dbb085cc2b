import { AsinSchema, LibraryRecordsSchema } from '@sagasync/core';
import type { FakeAudible } from '@sagasync/fake-audible';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildLibraryRecords,
  createMemorySeriesCache,
  fetchAccountSnapshot,
  fetchFinishedStates,
  fetchLastPositions,
  fetchLibrary,
  fetchProduct,
  fetchProducts,
  hydrateSeries,
  seriesAsinsOf,
  type AudibleClient,
} from '../src/index.js';
import { clientFor, recordingSleep, signIn, startFake } from './helpers.js';

let fake: FakeAudible | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: Parameters<typeof startFake>[0] = {}): Promise<{ fake: FakeAudible; client: AudibleClient }> {
  fake = await startFake(options);
  const { sleep } = recordingSleep();
  return { fake, client: clientFor(fake, await signIn(fake), { sleep }) };
}

describe('library paging', () => {
  it('reads every page by total-count, signed, with the series and listening groups', async () => {
    const { fake, client } = await setup({ titles: 230, series: 20 });
    const pages: number[] = [];
    const items = await fetchLibrary(client, { pageSize: 50, onPage: (p) => pages.push(p.page) });
    expect(items).toHaveLength(230);
    expect(new Set(items.map((i) => i.asin)).size).toBe(230);
    expect(pages.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(fake.state.counters.requests.library).toBe(5);
    expect(fake.state.counters.maxLibraryPageSize).toBe(50);
    expect(fake.state.counters.signedRequests).toBe(5);
    // The order is the API's (newest purchase first), not re-sorted.
    expect(items.map((i) => i.asin)).toEqual(fake.state.library.owned.map((o) => o.asin));
    const finished = items.filter((i) => i.is_finished === true);
    expect(finished.length).toBeGreaterThan(0);
    expect(finished.every((i) => i.percent_complete === 100 && i.listening_status?.finished_at_timestamp)).toBe(true);
    expect(items.some((i) => (i.series ?? []).length > 0)).toBe(true);
  });

  it('clamps the page size to 1000', async () => {
    const { fake, client } = await setup({ titles: 30, series: 3 });
    await fetchLibrary(client, { pageSize: 5000 });
    expect(fake.state.counters.maxLibraryPageSize).toBe(1000);
  });
});

describe('series catalogue', () => {
  it('hydrates in batches of at most 50 and re-requests products a batch silently dropped', async () => {
    const { fake, client } = await setup({ titles: 40, series: 8, faults: { dropRate: 0.3 } });
    const wanted = [...fake.state.library.products.keys()].slice(0, 120);
    const result = await fetchProducts(client, wanted, { responseGroups: 'product_attrs' });
    expect(fake.state.counters.droppedProducts).toBeGreaterThan(0);
    expect(result.reRequested).toBe(fake.state.counters.droppedProducts);
    expect(result.missing).toEqual([]);
    expect([...result.products.keys()].sort()).toEqual([...wanted].sort());
    expect(fake.state.counters.maxProductsBatch).toBe(50);
  });

  it('lists every volume of every series, owned or not, and caches complete catalogues', async () => {
    const { fake, client } = await setup({ titles: 60, series: 21, faults: { dropRate: 0.2 } });
    const items = await fetchLibrary(client);
    const seriesAsins = seriesAsinsOf(items);
    expect(seriesAsins.length).toBeGreaterThan(15);
    const cache = createMemorySeriesCache({ ttlMs: 60_000 });
    const known = new Map(items.map((i) => [i.asin, i]));
    const first = await hydrateSeries(client, seriesAsins, { cache, known });
    expect(first.missingVolumes).toEqual([]);
    expect(first.fromCache).toBe(0);
    for (const catalogue of first.catalogues) {
      const product = fake.state.library.products.get(catalogue.asin)!;
      expect(catalogue.complete).toBe(true);
      expect(catalogue.volumes.map((v) => [v.asin, v.sequence, v.sort])).toEqual(product.children.map((c) => [c.asin, c.sequence, c.sort]));
      expect(catalogue.title).toBe(product.title);
    }
    const before = fake.state.counters.requests.products ?? 0;
    const second = await hydrateSeries(client, seriesAsins, { cache, known });
    expect(second.fromCache).toBe(seriesAsins.length);
    expect(fake.state.counters.requests.products ?? 0).toBe(before);
  });

  it('a stale cache entry is fetched again', async () => {
    const { fake, client } = await setup({ titles: 20, series: 4 });
    let now = Date.now();
    const cache = createMemorySeriesCache({ ttlMs: 1000, now: () => now });
    const items = await fetchLibrary(client);
    const asins = seriesAsinsOf(items);
    await hydrateSeries(client, asins, { cache });
    now += 5000;
    const again = await hydrateSeries(client, asins, { cache });
    expect(again.fromCache).toBe(0);
    expect(again.fetched).toBe(asins.length);
    expect(fake.state.counters.requests.products).toBeGreaterThan(1);
  });
});

describe('progress', () => {
  it('reads last positions 25 at a time, in both timestamp forms', async () => {
    const { fake, client } = await setup({ titles: 70, series: 5 });
    const asins = fake.state.library.owned.map((o) => o.asin);
    const positions = await fetchLastPositions(client, asins);
    expect(fake.state.counters.requests.lastpositions).toBe(3);
    expect(fake.state.counters.maxLastPositionsBatch).toBe(25);
    const expected = fake.state.library.owned.filter((o) => o.positionMs !== null);
    expect(positions.size).toBe(expected.length);
    for (const owned of expected) {
      const position = positions.get(owned.asin)!;
      expect(position.positionMs).toBe(owned.positionMs);
      expect(position.updatedAt).toBe(new Date(owned.positionUpdatedAt!).toISOString());
    }
  });

  it('keeps the latest finished event per title across continuation pages', async () => {
    const { fake, client } = await setup({ titles: 1200, series: 10 });
    const states = await fetchFinishedStates(client);
    expect(fake.state.counters.requests.finished).toBeGreaterThan(1);
    const finishedOwned = fake.state.library.owned.filter((o) => o.isFinished);
    expect(states.size).toBe(finishedOwned.length);
    for (const owned of finishedOwned) expect(states.get(owned.asin)).toEqual({ finished: true, at: owned.finishedAt });
  });
});

describe('records', () => {
  it('maps the account to records: every series of every title, synthetic volumes, podcasts, progress', async () => {
    const { fake, client } = await setup({ titles: 160, series: 40, faults: { dropRate: 0.1 } });
    const snapshot = await fetchAccountSnapshot(client);
    const { records, skipped, syntheticTitles } = buildLibraryRecords({
      items: snapshot.items,
      catalogues: snapshot.catalogues,
      lastPositions: snapshot.lastPositions,
      finished: snapshot.finished,
      marketplace: 'us',
      sourceAccount: 'audible:us:amzn1.account.FAKE0CUSTOMER0ID',
    });
    expect(LibraryRecordsSchema.safeParse(records).success).toBe(true);
    expect(skipped).toEqual([]);
    const lib = fake.state.library;
    const owned = new Set(lib.owned.map((o) => o.asin));
    const byAsin = new Map(records.titles.map((t) => [t.asin, t]));
    expect(records.titles.filter((t) => t.owned)).toHaveLength(160);

    // Every volume of every series the library touches is a title; the unowned ones are synthetic.
    const volumes = new Set(snapshot.catalogues.flatMap((c) => c.volumes.map((v) => v.asin)));
    const unowned = [...volumes].filter((a) => !owned.has(a));
    expect(syntheticTitles).toBe(unowned.length);
    for (const asin of unowned) {
      const title = byAsin.get(asin)!;
      expect(title.owned).toBe(false);
      expect(title.releaseDate).toBe(lib.products.get(asin)!.releaseDate);
    }
    // Upcoming volumes are known with their future release dates.
    const today = new Date().toISOString().slice(0, 10);
    expect(records.titles.some((t) => !t.owned && t.releaseDate! > today)).toBe(true);

    // A title in a series and a universe has both memberships, with raw sequences kept.
    const twoSeries = records.titles.filter((t) => t.owned && t.series.length >= 2);
    expect(twoSeries.length).toBeGreaterThan(0);
    for (const title of records.titles) {
      const product = lib.products.get(title.asin)!;
      const expected = product.memberships.filter((m) => snapshot.catalogues.some((c) => c.asin === m.seriesAsin) || owned.has(title.asin));
      expect(title.series.map((s) => [s.seriesAsin, s.sequence]).sort()).toEqual(expected.map((m) => [m.seriesAsin, m.sequence]).sort());
    }
    const novella = records.titles.find((t) => t.series.some((s) => /\.5$/.test(s.sequence)));
    expect(novella?.series.find((s) => /\.5$/.test(s.sequence))?.position.kind).toBe('number');
    const omnibus = records.titles.find((t) => t.series.some((s) => s.sequence === '1-3'));
    if (omnibus) expect(omnibus.series.find((s) => s.sequence === '1-3')!.position).toEqual({ kind: 'range', start: 1, end: 3 });

    const podcasts = records.titles.filter((t) => t.isPodcast);
    expect(podcasts.map((t) => t.asin)).toEqual(lib.owned.filter((o) => lib.products.get(o.asin)!.kind === 'podcast').map((o) => o.asin).sort());
    expect(podcasts.length).toBeGreaterThan(0);

    expect(records.series.length).toBe(snapshot.catalogues.length);
    expect(records.series.every((s) => s.catalogueComplete && AsinSchema.safeParse(s.asin).success)).toBe(true);

    for (const report of records.progress) {
      const state = lib.owned.find((o) => o.asin === report.asin)!;
      expect(report.percentComplete).toBe(state.percentComplete);
      expect(report.isFinished).toBe(state.isFinished);
      expect(report.finishedAt ?? null).toBe(state.isFinished ? state.finishedAt : null);
      expect(report.lastPositionMs ?? null).toBe(state.positionMs);
    }
  });
});

describe('edges', () => {
  it("pages until a short page when total-count is missing, and names Audible's error message", async () => {
    fake = await startFake({ titles: 45, series: 4 });
    const credentials = await signIn(fake);
    const stripTotal = async (input: string, init: RequestInit) => {
      const response = await fetch(input, init);
      const headers = new Headers(response.headers);
      headers.delete('total-count');
      return new Response(response.body, { status: response.status, headers });
    };
    const client = clientFor(fake, credentials, { fetch: stripTotal });
    const items = await fetchLibrary(client, { pageSize: 10 });
    expect(items).toHaveLength(45);
    expect(fake.state.counters.requests.library).toBe(5);
    await expect(fetchLibrary(client, { responseGroups: 'series,nope' })).rejects.toThrow(/GET \/1\.0\/library failed with HTTP 400: Invalid response group: nope/);
  });

  it('fetches one product, and a product the marketplace lacks is null', async () => {
    const { fake, client } = await setup({ titles: 10, series: 2 });
    const seriesAsin = fake.state.library.seriesAsins[0]!;
    const product = await fetchProduct(client, seriesAsin, 'relationships,product_attrs');
    expect(product?.content_delivery_type).toBe('BookSeries');
    expect(product?.relationships?.every((r) => r.relationship_to_product === 'child')).toBe(true);
    expect(await fetchProduct(client, 'B0ZZZZZZZZ', 'product_attrs')).toBeNull();
  });
});
