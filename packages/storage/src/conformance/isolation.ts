import type { StoragePort } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import {
  asinOf,
  conflictData,
  decisionData,
  fullTitle,
  historyData,
  linkData,
  progressData,
  seriesData,
  syncRunData,
  T0,
  trackerBookData,
} from './fixtures.js';
import { expectFailure, type SuiteContext } from './suite-context.js';

/** Everything one owner can read, for comparing what two owners see. */
async function everythingVisibleTo(store: StoragePort, owner: string) {
  return {
    title: await store.getTitle(owner, asinOf(40)),
    titles: await store.getTitles(owner, [asinOf(40)]),
    listTitles: (await store.listTitles(owner)).items,
    ownedTitles: (await store.listTitles(owner, { owned: true })).items,
    count: await store.countTitles(owner),
    ownedCount: await store.countTitles(owner, { owned: true }),
    series: await store.getSeries(owner, 'title:shared'),
    listSeries: (await store.listSeries(owner)).items,
    progress: await store.getProgress(owner, asinOf(40)),
    listProgress: (await store.listProgress(owner)).items,
    history: (await store.listHistory(owner, asinOf(40))).items,
    book: await store.getTrackerBook(owner, 'goodreads', 'gr-1'),
    books: (await store.listTrackerBooks(owner)).items,
    goodreadsBooks: (await store.listTrackerBooks(owner, { source: 'goodreads' })).items,
    links: (await store.listLinks(owner)).items,
    linksOfTitle: (await store.listLinks(owner, { asin: asinOf(40) })).items,
    conflict: await store.getConflict(owner, 'goodreads:gr-2'),
    conflicts: (await store.listConflicts(owner)).items,
    openConflicts: (await store.listConflicts(owner, { status: 'open' })).items,
    decisions: (await store.listDecisions(owner)).items,
    runs: (await store.listSyncRuns(owner)).items,
    setting: await store.getSetting(owner, 'shared'),
    credential: await store.getCredential(owner, 'shared'),
    credentials: (await store.listCredentialNames(owner)).items,
  };
}

function writeEverything(store: StoragePort, owner: string, label: string) {
  return store.applyBatch(owner, [
    { op: 'putTitle', value: fullTitle(asinOf(40), { title: label }) },
    { op: 'putSeries', value: seriesData('title:shared', { title: label }) },
    { op: 'putProgress', value: progressData(asinOf(40)) },
    { op: 'appendHistory', value: historyData(asinOf(40), 'h-shared', T0, { note: label }) },
    { op: 'putTrackerBook', value: trackerBookData('goodreads', 'gr-1', { title: label }) },
    { op: 'putLink', value: linkData(asinOf(40), 'goodreads', 'gr-1') },
    { op: 'putConflict', value: conflictData('goodreads', 'gr-2', { reason: label }) },
    { op: 'putDecision', value: decisionData('goodreads', 'gr-2', asinOf(40)) },
    { op: 'putSyncRun', value: syncRunData('run-shared', T0, { source: label }) },
    { op: 'putSetting', key: 'shared', value: label },
    { op: 'putCredential', value: { name: 'shared', ciphertext: `v1.raw..${label}.b.c`, updatedAt: T0 } },
  ]);
}

export function describeIsolation(ctx: SuiteContext): void {
  describe('owner isolation', () => {
    it('nothing one owner writes is visible to another, through any get, list or count', async () => {
      const alice = ctx.owner();
      const bob = ctx.owner();
      const empty = await everythingVisibleTo(ctx.store(), bob);
      await writeEverything(ctx.store(), alice, 'alice');
      expect(await everythingVisibleTo(ctx.store(), bob)).toEqual(empty);
      expect(empty.count).toBe(0);
      expect(empty.title).toBeNull();
    });

    it('two owners with the same keys keep separate records, versions and deletes', async () => {
      const alice = ctx.owner();
      const bob = ctx.owner();
      await writeEverything(ctx.store(), alice, 'alice');
      await writeEverything(ctx.store(), bob, 'bob');
      await writeEverything(ctx.store(), bob, 'bob');
      const seenByAlice = await everythingVisibleTo(ctx.store(), alice);
      expect(seenByAlice.title).toMatchObject({ ownerId: alice, title: 'alice', version: 1 });
      expect(seenByAlice.setting).toBe('alice');
      expect(seenByAlice.history.map((entry) => entry.note)).toEqual(['alice']);
      expect((await ctx.store().getTitle(bob, asinOf(40)))?.version).toBe(2);

      await ctx.store().applyBatch(bob, [
        { op: 'deleteTitle', asin: asinOf(40) },
        { op: 'deleteSeries', key: 'title:shared' },
        { op: 'deleteTrackerBook', source: 'goodreads', trackerId: 'gr-1' },
        { op: 'deleteLink', asin: asinOf(40), source: 'goodreads' },
        { op: 'deleteConflict', id: 'goodreads:gr-2' },
        { op: 'deleteDecision', source: 'goodreads', trackerId: 'gr-2', asin: asinOf(40) },
        { op: 'deleteSetting', key: 'shared' },
        { op: 'deleteCredential', name: 'shared' },
      ]);
      expect(await everythingVisibleTo(ctx.store(), alice)).toEqual(seenByAlice);
      const seenByBob = await everythingVisibleTo(ctx.store(), bob);
      expect(seenByBob.title).toBeNull();
      expect(seenByBob.decisions).toEqual([]);
    });

    it('rejects an empty owner id instead of reading or writing a shared bucket', async () => {
      await expectFailure(ctx.store().listTitles(''), 'invalid_input');
      await expectFailure(ctx.store().applyBatch('', [{ op: 'putSetting', key: 'k', value: 1 }]), 'invalid_input');
    });
  });
}
