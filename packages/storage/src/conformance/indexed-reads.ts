import type { TitleData } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import { asinOf, bareTitle, progressData, seriesData } from './fixtures.js';
import type { SuiteContext } from './suite-context.js';

function member(seriesKey: string, sequence = '1'): TitleData['series'][number] {
  return { seriesKey, seriesAsin: null, seriesTitle: seriesKey, sequence, position: { kind: 'number', value: Number(sequence) } };
}

const asins = (page: { items: { asin: string }[] }) => page.items.map((item) => item.asin);

export function describeIndexedReads(ctx: SuiteContext): void {
  describe('indexed reads', () => {
    it('lists the titles of given series, following membership changes and deletes', async () => {
      const owner = ctx.owner();
      const store = ctx.store();
      await store.applyBatch(owner, [
        { op: 'putTitle', value: bareTitle(asinOf(1), { series: [member('s:a'), member('s:b', '2')] }) },
        { op: 'putTitle', value: bareTitle(asinOf(2), { series: [member('s:b')] }) },
        { op: 'putTitle', value: bareTitle(asinOf(3), { series: [member('s:c')], owned: false }) },
        { op: 'putTitle', value: bareTitle(asinOf(4)) },
      ]);
      expect(asins(await store.listTitles(owner, { seriesKeys: ['s:b'] }))).toEqual([asinOf(1), asinOf(2)]);
      expect(asins(await store.listTitles(owner, { seriesKeys: ['s:a', 's:c'] }))).toEqual([asinOf(1), asinOf(3)]);
      expect(asins(await store.listTitles(owner, { seriesKeys: ['s:a', 's:c'], owned: true }))).toEqual([asinOf(1)]);
      expect(asins(await store.listTitles(owner, { seriesKeys: [] }))).toEqual([]);
      expect(asins(await store.listTitles(owner, { seriesKeys: ['nowhere'] }))).toEqual([]);

      // Title 1 leaves series b; title 2 is deleted: neither is listed under b any more.
      await store.applyBatch(owner, [
        { op: 'putTitle', value: bareTitle(asinOf(1), { series: [member('s:a')] }) },
        { op: 'deleteTitle', asin: asinOf(2) },
      ]);
      expect(asins(await store.listTitles(owner, { seriesKeys: ['s:b'] }))).toEqual([]);
      expect(asins(await store.listTitles(owner, { seriesKeys: ['s:a'] }))).toEqual([asinOf(1)]);
    });

    it('lists and counts titles by listening status; a title without progress is not_started', async () => {
      const owner = ctx.owner();
      const store = ctx.store();
      await store.applyBatch(owner, [
        ...[1, 2, 3, 4, 5].map((n) => ({ op: 'putTitle' as const, value: bareTitle(asinOf(n), { owned: n !== 5, series: [member('s:x', String(n))] }) })),
        { op: 'putProgress', value: progressData(asinOf(2), { status: 'in_progress', percentComplete: 40 }) },
        { op: 'putProgress', value: progressData(asinOf(3), { status: 'finished', percentComplete: 100, isFinished: true }) },
        { op: 'putProgress', value: progressData(asinOf(4), { status: 'not_started', percentComplete: 0 }) },
      ]);
      expect(asins(await store.listTitles(owner, { status: 'in_progress' }))).toEqual([asinOf(2)]);
      expect(asins(await store.listTitles(owner, { status: 'finished' }))).toEqual([asinOf(3)]);
      expect(asins(await store.listTitles(owner, { status: 'not_started' }))).toEqual([asinOf(1), asinOf(4), asinOf(5)]);
      expect(asins(await store.listTitles(owner, { status: 'not_started', owned: true }))).toEqual([asinOf(1), asinOf(4)]);
      expect(asins(await store.listTitles(owner, { status: 'not_started', seriesKeys: ['s:x'], limit: 2 }))).toEqual([asinOf(1), asinOf(4)]);
      expect(await store.countTitlesByStatus(owner)).toEqual({ not_started: 3, in_progress: 1, finished: 1 });
      expect(await store.countTitlesByStatus(owner, { owned: true })).toEqual({ not_started: 2, in_progress: 1, finished: 1 });
      expect(await store.countTitlesByStatus(ctx.owner())).toEqual({ not_started: 0, in_progress: 0, finished: 0 });

      expect(asins(await store.listProgress(owner, { status: 'finished' }))).toEqual([asinOf(3)]);
      await store.applyBatch(owner, [{ op: 'putProgress', value: progressData(asinOf(2), { status: 'finished', percentComplete: 100, isFinished: true }) }]);
      expect(asins(await store.listProgress(owner, { status: 'finished' }))).toEqual([asinOf(2), asinOf(3)]);
      expect(asins(await store.listTitles(owner, { status: 'in_progress' }))).toEqual([]);
      expect(await store.countTitlesByStatus(owner)).toEqual({ not_started: 3, in_progress: 0, finished: 2 });
    });

    it('finds series by normalised name, exactly or by prefix, several series with one name included', async () => {
      const owner = ctx.owner();
      const store = ctx.store();
      await store.applyBatch(owner, [
        { op: 'putSeries', value: seriesData('B0SERIES01', { title: 'The Expanse', asin: 'B0SERIES01' }) },
        { op: 'putSeries', value: seriesData('title:the expanse', { title: 'the expanse!' }) },
        { op: 'putSeries', value: seriesData('title:expanse omnibus', { title: 'Expanse Omnibus' }) },
        { op: 'putSeries', value: seriesData('title:the wheel of time', { title: 'The Wheel of Time' }) },
        { op: 'putSeries', value: seriesData('title:dune', { title: 'Dúne' }) },
      ]);
      const keys = (page: { items: { key: string }[] }) => page.items.map((s) => s.key);
      expect(keys(await store.findSeriesByName(owner, '  THE EXPANSE '))).toEqual(['B0SERIES01', 'title:the expanse']);
      expect(keys(await store.findSeriesByName(owner, 'dune'))).toEqual(['title:dune']);
      expect(keys(await store.findSeriesByName(owner, 'the', { prefix: true }))).toEqual(['B0SERIES01', 'title:the expanse', 'title:the wheel of time']);
      expect(keys(await store.findSeriesByName(owner, 'expanse', { prefix: true }))).toEqual(['title:expanse omnibus']);
      expect(keys(await store.findSeriesByName(owner, 'expanse'))).toEqual([]);
      const first = await store.findSeriesByName(owner, 'the', { prefix: true, limit: 2 });
      expect(keys(first)).toEqual(['B0SERIES01', 'title:the expanse']);
      expect(keys(await store.findSeriesByName(owner, 'the', { prefix: true, limit: 2, cursor: first.nextCursor }))).toEqual(['title:the wheel of time']);

      // A renamed series is found under its new name only.
      await store.applyBatch(owner, [{ op: 'putSeries', value: seriesData('title:dune', { title: 'Dune Saga' }) }]);
      expect(keys(await store.findSeriesByName(owner, 'dune'))).toEqual([]);
      expect(keys(await store.findSeriesByName(owner, 'dune saga'))).toEqual(['title:dune']);
    });
  });
}
