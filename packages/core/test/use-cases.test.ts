import { createMemoryStorage } from '@sagasync/storage';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  applyListeningEvent,
  buildSeriesReport,
  cleanupSynthetic,
  importLibrary,
  ImportReportSchema,
  NotFoundError,
  readSequence,
  recomputeSeries,
  type LibraryRecords,
  type SeriesMembership,
  type StoragePort,
  type TitleRecord,
  type UseCaseDeps,
} from '../src/index.js';

const OWNER = 'local';
let clockMs = Date.parse('2026-11-01T10:00:00.000Z');
const clock = () => new Date((clockMs += 1000));

const SAGA = 'B0SAGA0000';
const OTHER = 'B0OTHER000';
const member = (seriesAsin: string, sequence: string, seriesTitle = seriesAsin === SAGA ? 'The Saga' : 'Other'): SeriesMembership => ({
  seriesKey: seriesAsin, seriesAsin, seriesTitle, ...readSequence(sequence),
});
const rec = (asin: string, over: Partial<TitleRecord> = {}): TitleRecord => ({
  asin, title: `Title ${asin}`, authors: ['Author'], narrators: ['Narrator'], owned: true, series: [], ...over,
});
/** Books 1 and 3 of The Saga owned, 2 listed by the catalogue; book 1 finished, book 3 started. */
const library = (): LibraryRecords => ({
  titles: [
    rec('B0SAGA0001', { series: [member(SAGA, '1')] }),
    rec('B0SAGA0002', { owned: false, series: [member(SAGA, '2')], releaseDate: '2021-01-01' }),
    rec('B0SAGA0003', { series: [member(SAGA, '3')] }),
    rec('B0LONE0001'),
  ],
  series: [{ key: SAGA, asin: SAGA, title: 'The Saga', catalogueComplete: true }],
  progress: [
    { asin: 'B0SAGA0001', isFinished: true, percentComplete: 100 },
    { asin: 'B0SAGA0003', percentComplete: 20 },
  ],
});

let storage: StoragePort;
let deps: UseCaseDeps;
beforeEach(() => {
  storage = createMemoryStorage();
  deps = { storage, ownerId: OWNER, clock };
});

describe('importLibrary', () => {
  it('previews without writing anything', async () => {
    const report = await importLibrary(deps, library(), { commit: false, source: 'library.json' });
    expect(report.committed).toBe(false);
    expect(report.runId).toBeNull();
    expect(report.summary.titles).toEqual({ created: 4, updated: 0, unchanged: 0 });
    expect(ImportReportSchema.parse(report)).toEqual(report);
    expect(await storage.countTitles(OWNER)).toBe(0);
    expect((await storage.listSeries(OWNER)).items).toEqual([]);
    expect((await storage.listSyncRuns(OWNER)).items).toEqual([]);
  });

  it('commits everything with a sync run, and a re-import changes nothing', async () => {
    const first = await importLibrary(deps, library(), { commit: true, source: 'library.json' });
    expect(first.summary).toEqual({
      titles: { created: 4, updated: 0, unchanged: 0 },
      series: { created: 1, updated: 0, unchanged: 0 },
      progress: { created: 2, updated: 0, unchanged: 0 },
    });
    expect(await storage.countTitles(OWNER, { owned: false })).toBe(1);
    expect((await storage.getProgress(OWNER, 'B0SAGA0001'))?.status).toBe('finished');
    expect((await storage.listHistory(OWNER, 'B0SAGA0003')).items.map((h) => h.event)).toEqual(['started']);
    const runs = (await storage.listSyncRuns(OWNER)).items;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: first.runId, kind: 'import', source: 'library.json', status: 'succeeded', counts: { created: 7, updated: 0, unchanged: 0, failed: 0 } });

    const again = await importLibrary(deps, library(), { commit: true, source: 'library.json' });
    expect(again.summary).toEqual({
      titles: { created: 0, updated: 0, unchanged: 4 },
      series: { created: 0, updated: 0, unchanged: 1 },
      progress: { created: 0, updated: 0, unchanged: 2 },
    });
    expect((await storage.listHistory(OWNER, 'B0SAGA0003')).items).toHaveLength(1);
    expect((await storage.listSyncRuns(OWNER)).items).toHaveLength(2);
  });

  it('re-reads and re-plans when another writer wins the race', async () => {
    await importLibrary(deps, library(), { commit: true });
    let raced = false;
    const racing: StoragePort = {
      ...storage,
      applyBatch: async (ownerId, operations) => {
        if (!raced) {
          raced = true;
          // Someone else edits the same title between our read and our write.
          const t = (await storage.getTitle(ownerId, 'B0SAGA0001'))!;
          const { ownerId: _o, version: _v, ...data } = t;
          await storage.applyBatch(ownerId, [{ op: 'putTitle', value: { ...data, coverUrl: 'https://other.writer/cover.jpg' }, expectedVersion: t.version }]);
        }
        return storage.applyBatch(ownerId, operations);
      },
    };
    const records = library();
    records.titles[0] = { ...records.titles[0]!, runtimeMinutes: 777 };
    const report = await importLibrary({ ...deps, storage: racing }, records, { commit: true });
    expect(report.attempts).toBe(2);
    const title = await storage.getTitle(OWNER, 'B0SAGA0001');
    // Both writes survive: the other writer's cover and our runtime.
    expect(title).toMatchObject({ runtimeMinutes: 777, coverUrl: 'https://other.writer/cover.jpg', version: 3 });
  });

  it('gives up after five lost races', async () => {
    const alwaysConflict: StoragePort = {
      ...storage,
      // Every import batch loses; the failed-run log written afterwards goes through.
      applyBatch: async (ownerId, operations) =>
        operations.some((o) => o.op === 'putTitle')
          ? storage.applyBatch(ownerId, [{ op: 'putTitle', value: await titleData(), expectedVersion: 99 }])
          : storage.applyBatch(ownerId, operations),
    };
    await expect(importLibrary({ ...deps, storage: alwaysConflict }, library(), { commit: true, source: 'f.csv' })).rejects.toMatchObject({ code: 'version_conflict' });
    expect(await storage.countTitles(OWNER)).toBe(0);
    expect((await storage.listSyncRuns(OWNER)).items).toMatchObject([{ status: 'failed', source: 'f.csv', counts: { failed: 4 }, error: expect.stringContaining('changed concurrently') }]);
  });

  it('imports a library large enough to be read with one listing', async () => {
    const titles = Array.from({ length: 1200 }, (_, i) => rec(`B0BIG${String(i).padStart(5, '0')}`, { series: [member(SAGA, String(i + 1))] }));
    const progress = titles.slice(0, 100).map((t) => ({ asin: t.asin, isFinished: true }));
    const first = await importLibrary(deps, { titles, series: [], progress }, { commit: true });
    expect(first.summary.titles.created).toBe(1200);
    expect(first.summary.progress.created).toBe(100);
    const again = await importLibrary(deps, { titles, series: [], progress }, { commit: false });
    expect(again.summary).toEqual({
      titles: { created: 0, updated: 0, unchanged: 1200 },
      series: { created: 0, updated: 0, unchanged: 1 },
      progress: { created: 0, updated: 0, unchanged: 100 },
    });
    const [saga] = await buildSeriesReport(deps);
    expect(saga).toMatchObject({ status: 'in_progress', ownedCount: 1200, finishedCount: 100, nextUp: { sequence: '101' } });
  });
});

async function titleData() {
  const now = new Date(clockMs).toISOString();
  return {
    asin: 'B0SAGA0001', title: 'x', subtitle: null, authors: [], narrators: [], runtimeMinutes: null, releaseDate: null, purchaseDate: null,
    coverUrl: null, language: null, marketplace: null, sourceAccount: null, owned: true, isPodcast: false, contributors: [], forSale: null, series: [], createdAt: now, updatedAt: now,
  };
}

describe('applyListeningEvent', () => {
  beforeEach(async () => {
    await importLibrary(deps, library(), { commit: true });
  });

  it('rejects an unknown title and an invalid event', async () => {
    await expect(applyListeningEvent(deps, { asin: 'B0NOTHERE0', kind: 'started', source: 'webhook' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(applyListeningEvent(deps, { asin: 'B0SAGA0003', kind: 'progress', percent: 140, source: 'webhook' })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('finishes a title, appends history and cascades to its series', async () => {
    const before = await buildSeriesReport(deps);
    expect(before.find((s) => s.key === SAGA)).toMatchObject({ status: 'in_progress', nextUp: { asin: 'B0SAGA0003' } });

    const result = await applyListeningEvent(deps, { asin: 'B0SAGA0003', kind: 'finished', at: '2026-11-02T08:00:00.000Z', source: 'webhook' });
    expect(result.changed).toBe(true);
    expect(result.progress).toMatchObject({ status: 'finished', finishCount: 1, finishedAt: '2026-11-02T08:00:00.000Z', version: 2 });
    expect(result.history.map((h) => [h.event, h.source])).toEqual([['finished', 'webhook']]);
    expect(result.series).toHaveLength(1);
    expect(result.series[0]).toMatchObject({ key: SAGA, status: 'caught_up', nextUp: null, nextToBuy: { asin: 'B0SAGA0002', sequence: '2' } });
    expect((await storage.listHistory(OWNER, 'B0SAGA0003')).items.map((h) => h.event)).toEqual(['started', 'finished']);

    // The same webhook delivered twice changes nothing.
    const retry = await applyListeningEvent(deps, { asin: 'B0SAGA0003', kind: 'finished', at: '2026-11-02T08:00:00.000Z', source: 'webhook' });
    expect(retry).toMatchObject({ changed: false, history: [] });
    expect((await storage.listHistory(OWNER, 'B0SAGA0003')).items).toHaveLength(2);
  });

  it('ignores a device reporting 3 % on a finished title, but a started event restarts it', async () => {
    const low = await applyListeningEvent(deps, { asin: 'B0SAGA0001', kind: 'progress', percent: 3, source: 'sync' });
    expect(low).toMatchObject({ changed: false, ignoredRegression: true, progress: { status: 'finished' } });
    const started = await applyListeningEvent(deps, { asin: 'B0SAGA0001', kind: 'started', source: 'webhook' });
    expect(started).toMatchObject({ changed: true, progress: { status: 'in_progress', finishCount: 1 } });
    expect(started.history[0]?.event).toBe('restarted');
  });

  it('reads a title in series and its siblings once, and applies the event on what that read found', async () => {
    const calls: string[] = [];
    const counted = new Proxy(storage, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? (...args: unknown[]) => (calls.push(String(name)), value.apply(target, args)) : value;
      },
    });
    const result = await applyListeningEvent({ ...deps, storage: counted }, { asin: 'B0SAGA0003', kind: 'progress', percent: 60, source: 'webhook' });
    expect(result.progress).toMatchObject({ percentComplete: 60, version: 2 });
    expect(calls.filter((call) => call !== 'getSetting')).toEqual(['getTitle', 'getSeriesSlice', 'applyBatch']);
  });

  it('retries on a fresh read when another writer changed the progress after the slice was read, and its series show the end state', async () => {
    let interfered = false;
    const racing: StoragePort = {
      ...storage,
      applyBatch: async (owner, operations) => {
        if (!interfered) {
          interfered = true;
          // Another device finishes the title between this event's read and its write.
          const current = await storage.getProgress(owner, 'B0SAGA0003');
          await storage.applyBatch(owner, [{ op: 'putProgress', value: { ...current!, status: 'finished', percentComplete: 100, isFinished: true, finishCount: 1, finishedAt: '2026-11-02T07:00:00.000Z' }, expectedVersion: current!.version }]);
        }
        return storage.applyBatch(owner, operations);
      },
    };
    const result = await applyListeningEvent({ ...deps, storage: racing }, { asin: 'B0SAGA0003', kind: 'progress', percent: 60, source: 'webhook' });
    // The device's 60 % cannot un-finish the title the other writer finished.
    expect(result).toMatchObject({ changed: false, ignoredRegression: true, progress: { status: 'finished', version: 2 } });
    expect(result.series[0]).toMatchObject({ key: SAGA, status: 'caught_up', nextUp: null });
    expect(await storage.getProgress(OWNER, 'B0SAGA0003')).toMatchObject({ status: 'finished', version: 2 });
  });

  it('works for a title in no series', async () => {
    const result = await applyListeningEvent(deps, { asin: 'B0LONE0001', kind: 'started', source: 'manual' });
    expect(result).toMatchObject({ changed: true, series: [], progress: { status: 'in_progress', percentComplete: 0 } });
  });
});

describe('buildSeriesReport', () => {
  it('takes rule options from the owner setting unless given', async () => {
    await importLibrary(deps, {
      titles: [rec('B0SAGA0001', { series: [member(SAGA, '1')] }), rec('B0SAGA0015', { owned: false, series: [member(SAGA, '1.5')] })],
      series: [{ key: SAGA, asin: SAGA, title: 'The Saga', catalogueComplete: true }],
      progress: [{ asin: 'B0SAGA0001', isFinished: true }],
    }, { commit: true });
    expect((await buildSeriesReport(deps))[0]?.status).toBe('complete');
    await storage.applyBatch(OWNER, [{ op: 'putSetting', key: 'rules', value: { novellasRequired: true } }]);
    expect((await buildSeriesReport(deps))[0]?.status).toBe('caught_up');
    expect((await buildSeriesReport(deps, { novellasRequired: false }))[0]?.status).toBe('complete');
  });

  it('sorts series by title', async () => {
    await importLibrary(deps, { titles: [rec('B0A0000001', { series: [member(SAGA, '1')] }), rec('B0A0000002', { series: [member(OTHER, '1')] })], series: [], progress: [] }, { commit: true });
    expect((await buildSeriesReport(deps)).map((s) => s.title)).toEqual(['Other', 'The Saga']);
  });
});

describe('recomputeSeries', () => {
  it('creates missing rows, fills a missing ASIN, deletes rows nothing refers to, in one batch on a store without a batch limit', async () => {
    const now = '2026-11-01T00:00:00.000Z';
    const data = await titleData();
    await storage.applyBatch(OWNER, [
      { op: 'putTitle', value: { ...data, asin: 'B0SAGA0001', series: [member(SAGA, '1')] } },
      { op: 'putTitle', value: { ...data, asin: 'B0OTHER001', series: [{ ...member(OTHER, '1'), seriesKey: 'title:other' }] } },
      { op: 'putSeries', value: { key: 'title:other', asin: null, title: 'Other', catalogueComplete: false, createdAt: now, updatedAt: now } },
      { op: 'putSeries', value: { key: 'title:gone', asin: null, title: 'Gone', catalogueComplete: false, createdAt: now, updatedAt: now } },
    ]);
    // Batches that change series rows; the cached statuses written after them are not counted.
    let batches = 0;
    const changesSeries = (ops: readonly { op: string }[]) => ops.some((op) => op.op === 'putSeries' || op.op === 'deleteSeries');
    const counting: StoragePort = { ...storage, applyBatch: (o, ops) => ((batches += changesSeries(ops) ? 1 : 0), storage.applyBatch(o, ops)) };
    const result = await recomputeSeries({ ...deps, storage: counting });
    expect(result).toMatchObject({ created: 1, updated: 1, removed: 1 });
    expect(batches).toBe(1);
    expect((await storage.listSeries(OWNER)).items.map((s) => [s.key, s.title, s.asin])).toEqual([
      [SAGA, 'The Saga', SAGA],
      ['title:other', 'Other', OTHER],
    ]);
    expect(result.series.map((s) => s.key)).toEqual(['title:other', SAGA]);

    const again = await recomputeSeries(deps);
    expect(again).toMatchObject({ created: 0, updated: 0, removed: 0 });
  });
});

describe('cleanupSynthetic', () => {
  it('removes synthetic volumes of series the user no longer collects, keeping referenced ones', async () => {
    await importLibrary(deps, {
      titles: [
        rec('B0SAGA0001', { series: [member(SAGA, '1')] }),
        rec('B0SAGA0002', { owned: false, series: [member(SAGA, '2')] }),
        rec('B0OTHER002', { owned: false, series: [member(OTHER, '2')] }),
        rec('B0OTHER003', { owned: false, series: [member(OTHER, '3')] }),
        rec('B0OTHER004', { owned: false, series: [member(OTHER, '4')] }),
      ],
      series: [],
      progress: [{ asin: 'B0OTHER003', percentComplete: 10 }],
    }, { commit: true });
    await storage.applyBatch(OWNER, [{ op: 'putLink', value: { asin: 'B0OTHER004', source: 'goodreads', trackerId: '42', method: 'manual', score: 1, createdAt: '2026-11-01T00:00:00.000Z' } }]);

    const dry = await cleanupSynthetic(deps, { dryRun: true });
    expect(dry).toEqual({ removed: ['B0OTHER002'], dryRun: true });
    expect(await storage.countTitles(OWNER)).toBe(5);

    const real = await cleanupSynthetic(deps, { dryRun: false });
    expect(real).toEqual({ removed: ['B0OTHER002'], dryRun: false });
    expect((await storage.listTitles(OWNER)).items.map((t) => t.asin)).toEqual(['B0OTHER003', 'B0OTHER004', 'B0SAGA0001', 'B0SAGA0002']);
    expect((await storage.listSyncRuns(OWNER, { kind: 'cleanup' })).items[0]).toMatchObject({ status: 'succeeded', counts: { updated: 1 } });
  });
});
