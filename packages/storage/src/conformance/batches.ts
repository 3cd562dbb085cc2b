import type { BatchOperation } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import {
  asinOf,
  bareTitle,
  conflictData,
  decisionData,
  historyData,
  linkData,
  progressData,
  seriesData,
  syncRunData,
  T0,
  trackerBookData,
} from './fixtures.js';
import { expectFailure, type SuiteContext } from './suite-context.js';

/** One operation of every kind that creates something, for "nothing was written" checks. */
function everyKindOfWrite(): BatchOperation[] {
  return [
    { op: 'putTitle', value: bareTitle(asinOf(20)) },
    { op: 'putSeries', value: seriesData('title:atomic') },
    { op: 'putProgress', value: progressData(asinOf(20)) },
    { op: 'appendHistory', value: historyData(asinOf(20), 'h-1', T0) },
    { op: 'putTrackerBook', value: trackerBookData('csv', 'row-1') },
    { op: 'putLink', value: linkData(asinOf(20), 'csv', 'row-1') },
    { op: 'putConflict', value: conflictData('csv', 'row-2') },
    { op: 'putDecision', value: decisionData('csv', 'row-2', null) },
    { op: 'putSyncRun', value: syncRunData('run-atomic', T0) },
    { op: 'putSetting', key: 'atomic', value: true },
    { op: 'putCredential', value: { name: 'atomic', ciphertext: 'v1.raw..a.b.c', updatedAt: T0 } },
  ];
}

export function describeBatches(ctx: SuiteContext): void {
  describe('atomic batches', () => {
    it('reports how many operations it applied; an empty batch applies nothing', async () => {
      const owner = ctx.owner();
      expect(await ctx.store().applyBatch(owner, everyKindOfWrite())).toEqual({ applied: 11 });
      expect(await ctx.store().applyBatch(owner, [])).toEqual({ applied: 0 });
    });

    it('a batch whose last operation conflicts leaves nothing of its earlier operations', async () => {
      const owner = ctx.owner();
      const existing = bareTitle(asinOf(21), { title: 'Already here' });
      await ctx.store().applyBatch(owner, [
        { op: 'putTitle', value: existing },
        { op: 'putSetting', key: 'kept', value: 'before' },
      ]);
      await expectFailure(
        ctx
          .store()
          .applyBatch(owner, [
            ...everyKindOfWrite(),
            { op: 'putSetting', key: 'kept', value: 'after' },
            { op: 'putTitle', value: bareTitle(asinOf(21), { title: 'Overwritten' }), expectedVersion: null },
          ]),
        'version_conflict',
      );
      await expectNothingOfEveryKindOfWrite(ctx, owner);
      expect(await ctx.store().getSetting(owner, 'kept')).toBe('before');
      expect(await ctx.store().getTitle(owner, existing.asin)).toEqual({ ...existing, ownerId: owner, version: 1 });
    });

    it('a batch with an invalid last operation leaves nothing either', async () => {
      const owner = ctx.owner();
      const invalid = { op: 'putProgress', value: progressData(asinOf(22), { percentComplete: 140 }) } as BatchOperation;
      await expectFailure(ctx.store().applyBatch(owner, [...everyKindOfWrite(), invalid]), 'invalid_input');
      await expectNothingOfEveryKindOfWrite(ctx, owner);
    });

    it('a failing batch leaves the deletes in it undone', async () => {
      const owner = ctx.owner();
      await ctx.store().applyBatch(owner, everyKindOfWrite());
      await expectFailure(
        ctx.store().applyBatch(owner, [
          { op: 'deleteTitle', asin: asinOf(20) },
          { op: 'deleteSetting', key: 'atomic' },
          { op: 'deleteCredential', name: 'atomic' },
          { op: 'deleteLink', asin: asinOf(20), source: 'csv' },
          { op: 'deleteSeries', key: 'title:atomic', expectedVersion: 9 },
        ]),
        'version_conflict',
      );
      expect(await ctx.store().getTitle(owner, asinOf(20))).not.toBeNull();
      expect(await ctx.store().getSetting(owner, 'atomic')).toBe(true);
      expect((await ctx.store().listCredentialNames(owner)).items).toEqual(['atomic']);
      expect((await ctx.store().listLinks(owner)).items).toHaveLength(1);
      expect(await ctx.store().getSeries(owner, 'title:atomic')).not.toBeNull();
    });

    it('later operations of a batch see the earlier ones', async () => {
      const owner = ctx.owner();
      await ctx.store().applyBatch(owner, [
        { op: 'putTitle', value: bareTitle(asinOf(23), { title: 'First' }), expectedVersion: null },
        { op: 'putTitle', value: bareTitle(asinOf(23), { title: 'Second' }), expectedVersion: 1 },
        { op: 'putSeries', value: seriesData('title:gone') },
        { op: 'deleteSeries', key: 'title:gone', expectedVersion: 1 },
        { op: 'appendHistory', value: historyData(asinOf(23), 'same', T0, { note: 'first' }) },
        { op: 'appendHistory', value: historyData(asinOf(23), 'same', T0, { note: 'retry' }) },
      ]);
      expect(await ctx.store().getTitle(owner, asinOf(23))).toMatchObject({ title: 'Second', version: 2 });
      expect(await ctx.store().getSeries(owner, 'title:gone')).toBeNull();
      expect((await ctx.store().listHistory(owner, asinOf(23))).items.map((entry) => entry.note)).toEqual(['first']);
    });
  });
}

async function expectNothingOfEveryKindOfWrite(ctx: SuiteContext, owner: string): Promise<void> {
  const store = ctx.store();
  expect(await store.getTitle(owner, asinOf(20))).toBeNull();
  expect(await store.getSeries(owner, 'title:atomic')).toBeNull();
  expect(await store.getProgress(owner, asinOf(20))).toBeNull();
  expect((await store.listHistory(owner, asinOf(20))).items).toEqual([]);
  expect(await store.getTrackerBook(owner, 'csv', 'row-1')).toBeNull();
  expect((await store.listLinks(owner)).items).toEqual([]);
  expect(await store.getConflict(owner, 'csv:row-2')).toBeNull();
  expect((await store.listDecisions(owner)).items).toEqual([]);
  expect((await store.listSyncRuns(owner)).items).toEqual([]);
  expect(await store.getSetting(owner, 'atomic')).toBeNull();
  expect(await store.getCredential(owner, 'atomic')).toBeNull();
}
