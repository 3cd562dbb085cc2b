import { describe, expect, it } from 'vitest';
import {
  asinOf,
  bareTitle,
  conflictData,
  decisionData,
  fullTitle,
  historyData,
  linkData,
  progressData,
  seriesData,
  syncRunData,
  T0,
  T1,
  trackerBookData,
} from './fixtures.js';
import { expectFailure, type SuiteContext } from './suite-context.js';

/** Every entity written through a batch reads back equal, with owner and version added. */
export function describeRoundTrips(ctx: SuiteContext): void {
  describe('round trips', () => {
    it('stores a title with every field set, several series memberships included', async () => {
      const owner = ctx.owner();
      const title = fullTitle(asinOf(1));
      await ctx.store().applyBatch(owner, [{ op: 'putTitle', value: title }]);
      expect(await ctx.store().getTitle(owner, title.asin)).toEqual({ ...title, ownerId: owner, version: 1 });
    });

    it('stores a title whose nullable fields are null, and a synthetic (not owned) podcast', async () => {
      const owner = ctx.owner();
      const title = bareTitle(asinOf(2), { owned: false, isPodcast: true, releaseDate: '2021-06-01T00:00:00+02:00' });
      await ctx.store().applyBatch(owner, [{ op: 'putTitle', value: title }]);
      expect(await ctx.store().getTitle(owner, title.asin)).toEqual({ ...title, ownerId: owner, version: 1 });
    });

    it('returns null for records that do not exist', async () => {
      const owner = ctx.owner();
      const store = ctx.store();
      expect(await store.getTitle(owner, asinOf(3))).toBeNull();
      expect(await store.getSeries(owner, 'missing')).toBeNull();
      expect(await store.getProgress(owner, asinOf(3))).toBeNull();
      expect(await store.getTrackerBook(owner, 'goodreads', 'missing')).toBeNull();
      expect(await store.getConflict(owner, 'goodreads:missing')).toBeNull();
      expect(await store.getSetting(owner, 'missing')).toBeNull();
      expect(await store.getCredential(owner, 'missing')).toBeNull();
    });

    it('stores series, progress and history', async () => {
      const owner = ctx.owner();
      const series = seriesData('B0SERIES01', { asin: 'B0SERIES01', catalogueComplete: true, updatedAt: T1 });
      const progress = progressData(asinOf(4), { status: 'finished', percentComplete: 100, isFinished: true, finishedAt: T1, finishCount: 2 });
      const entry = historyData(asinOf(4), '01HZZZZZZZZZZZZZZZZZZZZZZ1', T1, { event: 'finished', note: 'from the app' });
      await ctx.store().applyBatch(owner, [
        { op: 'putSeries', value: series },
        { op: 'putProgress', value: progress },
        { op: 'appendHistory', value: entry },
      ]);
      expect(await ctx.store().getSeries(owner, series.key)).toEqual({ ...series, ownerId: owner, version: 1 });
      expect(await ctx.store().getProgress(owner, progress.asin)).toEqual({ ...progress, ownerId: owner, version: 1 });
      expect((await ctx.store().listProgress(owner)).items).toEqual([{ ...progress, ownerId: owner, version: 1 }]);
      expect((await ctx.store().listHistory(owner, progress.asin)).items).toEqual([{ ...entry, ownerId: owner }]);
    });

    it('stores tracker books, links, conflicts and decisions', async () => {
      const owner = ctx.owner();
      const book = trackerBookData('goodreads', '234225', { asin: asinOf(5), status: 'finished', isbn10: '0441013597' });
      const bare = trackerBookData('notion', 'page-1', { seriesHint: null, isbn13: null, authors: [] });
      const link = linkData(asinOf(5), 'goodreads', '234225', { method: 'manual', score: 1 });
      const conflict = conflictData('storygraph', 'sg-9');
      const decision = decisionData('storygraph', 'sg-9', asinOf(1));
      await ctx.store().applyBatch(owner, [
        { op: 'putTrackerBook', value: book },
        { op: 'putTrackerBook', value: bare },
        { op: 'putLink', value: link },
        { op: 'putConflict', value: conflict },
        { op: 'putDecision', value: decision },
      ]);
      expect(await ctx.store().getTrackerBook(owner, 'goodreads', '234225')).toEqual({ ...book, ownerId: owner });
      expect(await ctx.store().getTrackerBook(owner, 'notion', 'page-1')).toEqual({ ...bare, ownerId: owner });
      expect((await ctx.store().listLinks(owner)).items).toEqual([{ ...link, ownerId: owner }]);
      expect(await ctx.store().getConflict(owner, conflict.id)).toEqual({ ...conflict, ownerId: owner, version: 1 });
      expect((await ctx.store().listDecisions(owner)).items).toEqual([{ ...decision, ownerId: owner }]);
    });

    it('stores sync runs, a running one (no finish, error) and a failed one', async () => {
      const owner = ctx.owner();
      const running = syncRunData('run-1', T0, { status: 'running', finishedAt: null, source: null, kind: 'audible_sync' });
      const failed = syncRunData('run-2', T1, { status: 'failed', error: 'Audible said 503', counts: { created: 0, updated: 0, unchanged: 0, failed: 12 } });
      await ctx.store().applyBatch(owner, [
        { op: 'putSyncRun', value: running },
        { op: 'putSyncRun', value: failed },
      ]);
      expect((await ctx.store().listSyncRuns(owner)).items).toEqual([
        { ...failed, ownerId: owner },
        { ...running, ownerId: owner },
      ]);
    });

    it('stores settings as JSON values and replaces them on a second put', async () => {
      const owner = ctx.owner();
      const values: Record<string, unknown> = {
        object: { novellasRequired: true, nested: { list: [1, 'two', null, false] } },
        array: [3, 2, 1],
        text: 'hello',
        number: 12.5,
        flag: false,
        nothing: null,
      };
      await ctx.store().applyBatch(
        owner,
        Object.entries(values).map(([key, value]) => ({ op: 'putSetting' as const, key, value })),
      );
      for (const [key, value] of Object.entries(values)) expect(await ctx.store().getSetting(owner, key)).toEqual(value);
      await ctx.store().applyBatch(owner, [{ op: 'putSetting', key: 'text', value: { replaced: true } }]);
      expect(await ctx.store().getSetting(owner, 'text')).toEqual({ replaced: true });
    });

    it('stores credential blobs and lists their names', async () => {
      const owner = ctx.owner();
      const audible = { name: 'audible:us:me@example.com', ciphertext: 'v1.raw..aXY.dGFn.Y2lwaGVy', updatedAt: T0 };
      const notion = { name: 'notion', ciphertext: 'v1.raw..aXY.dGFn.b3RoZXI', updatedAt: T1 };
      await ctx.store().applyBatch(owner, [
        { op: 'putCredential', value: notion },
        { op: 'putCredential', value: audible },
      ]);
      expect(await ctx.store().getCredential(owner, 'notion')).toEqual({ ...notion, ownerId: owner });
      expect((await ctx.store().listCredentialNames(owner)).items.sort()).toEqual([audible.name, 'notion']);
    });

    it('hands out copies: mutating a value passed in or read out changes nothing stored', async () => {
      const owner = ctx.owner();
      const title = fullTitle(asinOf(6));
      const setting = { list: [1, 2] };
      await ctx.store().applyBatch(owner, [
        { op: 'putTitle', value: title },
        { op: 'putSetting', key: 'prefs', value: setting },
      ]);
      title.authors.push('Intruder');
      title.series[0]!.sequence = 'changed';
      setting.list.push(3);
      const read = (await ctx.store().getTitle(owner, title.asin))!;
      read.narrators.push('Intruder');
      read.title = 'changed';
      const listed = (await ctx.store().listTitles(owner)).items;
      listed[0]!.series.pop();
      const stored = await ctx.store().getTitle(owner, title.asin);
      expect(stored).toEqual({ ...fullTitle(asinOf(6)), ownerId: owner, version: 1 });
      expect(await ctx.store().getSetting(owner, 'prefs')).toEqual({ list: [1, 2] });
    });

    it('rejects invalid records with invalid_input and writes nothing', async () => {
      const owner = ctx.owner();
      const badAsin = { ...bareTitle(asinOf(7)), asin: 'not-an-asin' };
      const error = await expectFailure(
        ctx.store().applyBatch(owner, [
          { op: 'putTitle', value: bareTitle(asinOf(8)) },
          { op: 'putTitle', value: badAsin },
        ]),
        'invalid_input',
      );
      expect(error.message).toContain('operations[1]');
      await expectFailure(ctx.store().applyBatch(owner, [{ op: 'putSetting', key: 'when', value: undefined }]), 'invalid_input');
      expect(await ctx.store().countTitles(owner)).toBe(0);
      expect(await ctx.store().getSetting(owner, 'when')).toBeNull();
    });
  });
}
