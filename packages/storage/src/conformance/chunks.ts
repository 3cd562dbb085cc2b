import { importLibrary, type BatchOperation, type LibraryRecords, type StoragePort } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import { asinOf, bareTitle } from './fixtures.js';
import { expectFailure, type SuiteContext } from './suite-context.js';

const CLOCK = () => new Date('2024-03-01T10:00:00.000Z');

/** A library of `n` titles in `n / 5` series, every third one with progress. */
function library(n: number): LibraryRecords {
  const titles = Array.from({ length: n }, (_, i) => {
    const key = `B0SER${String(Math.floor(i / 5)).padStart(5, '0')}`;
    return {
      asin: asinOf(i + 1),
      title: `Volume ${i + 1}`,
      authors: ['An Author'],
      narrators: [],
      owned: i % 7 !== 0,
      series: [{ seriesKey: key, seriesAsin: key, seriesTitle: `Saga ${Math.floor(i / 5)}`, sequence: String((i % 5) + 1), position: { kind: 'number' as const, value: (i % 5) + 1 } }],
    };
  });
  const progress = titles
    .filter((_, i) => i % 3 === 0)
    .map((t, i) => ({ asin: t.asin, percentComplete: i % 2 ? 100 : 35, isFinished: i % 2 === 1, observedAt: '2024-02-01T00:00:00.000Z' }));
  return { titles, series: [], progress };
}

/**
 * The store seen through a smaller batch limit, failing the write numbered `failAt` (from 1) as a
 * crash would: the use case must split its writes, and a rerun must finish them.
 */
function limitedStore(store: StoragePort, maxOperationsPerBatch: number, failAt = 0): StoragePort & { batches: number } {
  let calls = 0;
  const wrapper = Object.create(store) as StoragePort & { batches: number };
  Object.defineProperty(wrapper, 'limits', { value: { maxOperationsPerBatch } });
  wrapper.batches = 0;
  wrapper.applyBatch = async (ownerId: string, operations: readonly BatchOperation[]) => {
    expect(operations.length).toBeLessThanOrEqual(maxOperationsPerBatch);
    calls++;
    if (calls === failAt) throw new Error('simulated crash between batches');
    wrapper.batches++;
    return store.applyBatch(ownerId, operations);
  };
  return wrapper;
}

/** Everything of an owner's library but the run log, with the owner left out so two owners compare. */
async function snapshot(store: StoragePort, owner: string) {
  const strip = <T extends { ownerId: string }>(rows: T[]) => rows.map(({ ownerId: _owner, ...rest }) => rest);
  const titles = (await store.listTitles(owner)).items;
  const history = [];
  for (const title of titles) history.push(...(await store.listHistory(owner, title.asin)).items);
  return {
    titles: strip(titles),
    series: strip((await store.listSeries(owner)).items),
    progress: strip((await store.listProgress(owner)).items),
    history: strip(history),
  };
}

export function describeChunks(ctx: SuiteContext): void {
  describe('batch limits and chunked writes', () => {
    it('declares a positive batch limit and refuses a batch over it with nothing written', async () => {
      const limit = ctx.store().limits.maxOperationsPerBatch;
      expect(limit).toBeGreaterThan(0);
      expect(Number.isInteger(limit) || limit === Number.POSITIVE_INFINITY).toBe(true);
      if (!Number.isFinite(limit)) return;
      const owner = ctx.owner();
      const batch = Array.from({ length: limit + 1 }, (_, i) => ({ op: 'putTitle' as const, value: bareTitle(asinOf(i + 1)) }));
      await expectFailure(ctx.store().applyBatch(owner, batch), 'invalid_input');
      expect(await ctx.store().countTitles(owner)).toBe(0);
      expect(await ctx.store().applyBatch(owner, batch.slice(0, limit))).toEqual({ applied: limit });
    });

    it('an import split into batches, crashed between two of them and run again, ends as one uninterrupted import', async () => {
      const records = library(120);
      const limit = Math.min(ctx.store().limits.maxOperationsPerBatch, 25);

      const reference = ctx.owner();
      const whole = limitedStore(ctx.store(), limit);
      await importLibrary({ storage: whole, ownerId: reference, clock: CLOCK }, records, { commit: true, source: 'library.tsv' });
      expect(whole.batches).toBeGreaterThan(4);
      const expected = await snapshot(ctx.store(), reference);
      expect(expected.titles).toHaveLength(120);

      for (const failAt of [1, 2, Math.floor(whole.batches / 2), whole.batches]) {
        const owner = ctx.owner();
        await expect(importLibrary({ storage: limitedStore(ctx.store(), limit, failAt), ownerId: owner, clock: CLOCK }, records, { commit: true })).rejects.toThrow(
          'simulated crash',
        );
        const runs = (await ctx.store().listSyncRuns(owner)).items;
        expect(runs.every((run) => run.status === 'failed'), `no run is logged as succeeded after a crash at batch ${failAt}`).toBe(true);

        const report = await importLibrary({ storage: limitedStore(ctx.store(), limit), ownerId: owner, clock: CLOCK }, records, { commit: true });
        expect(report.committed).toBe(true);
        expect(await snapshot(ctx.store(), owner), `crash at batch ${failAt}`).toEqual(expected);
        // A third run finds nothing to do.
        const again = await importLibrary({ storage: limitedStore(ctx.store(), limit), ownerId: owner, clock: CLOCK }, records, { commit: true });
        expect(again.summary.titles).toMatchObject({ created: 0, updated: 0 });
      }
    }, 120_000);
  });
}
