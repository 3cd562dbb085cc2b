import { SagaSyncError } from '@sagasync/core';
import type { FakeAudible } from '@sagasync/fake-audible';
import { createMemorySeriesCache, createStorageSeriesCache, seriesCacheKey, syncLibrary } from '../src/index.js';
import { createMemoryStorage } from '@sagasync/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { clientFor, recordingSleep, signIn, startFake } from './helpers.js';

let fake: FakeAudible | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('syncLibrary against the fake, into the memory store', () => {
  it('imports titles, missing volumes, series and progress; a second sync writes nothing; a change is one update', async () => {
    fake = await startFake({ titles: 150, series: 30, faults: { rate429: 0.05, rate503: 0.05, dropRate: 0.1 } });
    const { sleep } = recordingSleep();
    const client = clientFor(fake, await signIn(fake), { sleep, retry: { maxAttempts: 10 } });
    const storage = createMemoryStorage();
    const seriesCache = createMemorySeriesCache();
    const ownerId = 'local';

    const first = await syncLibrary({ client, storage, ownerId, seriesCache });
    expect(first.committed).toBe(true);
    expect(first.fetched.ownedTitles).toBe(150);
    expect(first.fetched.missingVolumes).toEqual([]);
    expect(first.import.titles.created).toBe(150 + first.fetched.syntheticTitles);
    expect(first.import.series.created).toBe(first.fetched.series);
    expect(first.writes).toBeGreaterThan(0);
    expect(await storage.countTitles(ownerId, { owned: true })).toBe(150);
    expect(await storage.countTitles(ownerId, { owned: false })).toBe(first.fetched.syntheticTitles);
    const series = (await storage.listSeries(ownerId)).items;
    expect(series.every((s) => s.catalogueComplete)).toBe(true);
    const finished = fake.state.library.owned.filter((o) => o.isFinished);
    const stored = (await storage.listProgress(ownerId)).items;
    expect(stored.filter((p) => p.isFinished).map((p) => p.asin).sort()).toEqual(finished.map((o) => o.asin).sort());
    const runs = (await storage.listSyncRuns(ownerId, { kind: 'audible_sync' })).items;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'succeeded', source: 'audible:us:amzn1.account.FAKE0CUSTOMER0ID' });
    expect(runs[0]!.counts.created).toBe(first.import.titles.created + first.import.series.created + first.import.progress.created);

    const second = await syncLibrary({ client, storage, ownerId, seriesCache });
    expect(second.writes).toBe(0);
    expect(second.import.titles.updated + second.import.series.updated + second.import.progress.updated).toBe(0);
    expect(second.fetched.seriesFromCache).toBe(first.fetched.series);

    const target = fake.state.library.owned.find((o) => !o.isFinished && fake!.state.library.products.get(o.asin)!.kind === 'book')!;
    fake.state.setProgress(target.asin, { percentComplete: 100, isFinished: true, finishedAt: new Date().toISOString().replace(/\.\d{3}Z$/, '.000Z'), positionMs: 1000 });
    const third = await syncLibrary({ client, storage, ownerId, seriesCache });
    expect(third.writes).toBe(1);
    expect(third.import.progress.updated + third.import.progress.created).toBe(1);
    const progress = await storage.getProgress(ownerId, target.asin);
    expect(progress).toMatchObject({ status: 'finished', isFinished: true });
    expect((await storage.listSyncRuns(ownerId, { kind: 'audible_sync' })).items.length).toBe(3);
    await storage.close();
  });

  it("keeps series catalogues in the store's settings between runs, writing them only when fetched", async () => {
    fake = await startFake({ titles: 40, series: 8 });
    const client = clientFor(fake, await signIn(fake));
    const storage = createMemoryStorage();
    let now = Date.now();
    const cache = () => createStorageSeriesCache({ storage, ownerId: 'local', ttlMs: 60_000, now: () => now });
    const first = await syncLibrary({ client, storage, ownerId: 'local', seriesCache: cache() });
    expect(first.fetched.seriesFetched).toBe(first.fetched.series);
    const asin = fake.state.library.seriesAsins[0]!;
    expect(await storage.getSetting('local', seriesCacheKey(asin))).toMatchObject({ asin, complete: true });
    const products = fake.state.counters.requests.products;
    const second = await syncLibrary({ client, storage, ownerId: 'local', seriesCache: cache() });
    expect(second.fetched.seriesFromCache).toBe(first.fetched.series);
    expect(second.writes).toBe(0);
    expect(fake.state.counters.requests.products).toBe(products);
    now += 120_000;
    const third = await syncLibrary({ client, storage, ownerId: 'local', seriesCache: cache() });
    expect(third.fetched.seriesFetched).toBe(first.fetched.series);
    expect(third.writes).toBe(0);
    await storage.close();
  });

  it('a preview writes nothing at all', async () => {
    fake = await startFake({ titles: 30, series: 5 });
    const client = clientFor(fake, await signIn(fake));
    const storage = createMemoryStorage();
    const seriesCache = createStorageSeriesCache({ storage, ownerId: 'local' });
    const report = await syncLibrary({ client, storage, ownerId: 'local', commit: false, seriesCache });
    expect(report.committed).toBe(false);
    expect(await storage.getSetting('local', seriesCacheKey(fake.state.library.seriesAsins[0]!))).toBeNull();
    expect(report.import.titles.created).toBeGreaterThan(30);
    expect(await storage.countTitles('local')).toBe(0);
    expect((await storage.listSyncRuns('local')).items).toEqual([]);
    await storage.close();
  });

  it('a revoked device fails the sync with auth_failed and logs a failed run', async () => {
    fake = await startFake({ titles: 10, series: 2 });
    const client = clientFor(fake, await signIn(fake));
    fake.state.revokeAllDevices();
    const storage = createMemoryStorage();
    const error = await syncLibrary({ client, storage, ownerId: 'local' }).catch((e: unknown) => e);
    expect(SagaSyncError.isInstance(error) && error.code).toBe('auth_failed');
    const [run] = (await storage.listSyncRuns('local')).items;
    expect(run).toMatchObject({ kind: 'audible_sync', status: 'failed' });
    expect(run!.error).toMatch(/^auth_failed: Audible no longer accepts this device/);
    expect(await storage.countTitles('local')).toBe(0);
    await storage.close();
  });
});
