import type { MirrorRecordData } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import { asinOf, T0, T1 } from './fixtures.js';
import { expectFailure, type SuiteContext } from './suite-context.js';

function mirrorRecord(table: MirrorRecordData['table'], key: string, overrides: Partial<MirrorRecordData> = {}): MirrorRecordData {
  return { table, key, pageId: `page-${key}`, origin: 'created', synthetic: false, hashes: { Title: 'h1', Status: 'h2' }, updatedAt: T0, ...overrides };
}

export function describeSideRecords(ctx: SuiteContext): void {
  describe('mirror records, baselines and series aliases', () => {
    it('mirror records round-trip, are replaced by key, listed by table and deleted', async () => {
      const owner = ctx.owner();
      const store = ctx.store();
      await store.applyBatch(owner, [
        { op: 'putMirrorRecord', value: mirrorRecord('books', asinOf(2)) },
        { op: 'putMirrorRecord', value: mirrorRecord('books', asinOf(1), { origin: 'adopted', synthetic: true }) },
        { op: 'putMirrorRecord', value: mirrorRecord('series', 'B0SERIES01') },
      ]);
      expect(await store.getMirrorRecord(owner, 'books', asinOf(1))).toEqual({ ...mirrorRecord('books', asinOf(1), { origin: 'adopted', synthetic: true }), ownerId: owner });
      expect(await store.getMirrorRecord(owner, 'series', asinOf(1))).toBeNull();
      expect((await store.listMirrorRecords(owner, { table: 'books' })).items.map((r) => r.key)).toEqual([asinOf(1), asinOf(2)]);
      expect((await store.listMirrorRecords(owner)).items.map((r) => `${r.table}/${r.key}`)).toEqual([`books/${asinOf(1)}`, `books/${asinOf(2)}`, 'series/B0SERIES01']);

      await store.applyBatch(owner, [
        { op: 'putMirrorRecord', value: mirrorRecord('books', asinOf(2), { hashes: { Title: 'h9' }, updatedAt: T1 }) },
        { op: 'deleteMirrorRecord', table: 'series', key: 'B0SERIES01' },
      ]);
      expect((await store.getMirrorRecord(owner, 'books', asinOf(2)))?.hashes).toEqual({ Title: 'h9' });
      expect((await store.listMirrorRecords(owner, { table: 'series' })).items).toEqual([]);
      await expectFailure(store.applyBatch(owner, [{ op: 'putMirrorRecord', value: { ...mirrorRecord('books', 'x'), table: 'pages' as never } }]), 'invalid_input');
    });

    it('keeps one baseline per title and source; a put replaces it', async () => {
      const owner = ctx.owner();
      const store = ctx.store();
      await store.applyBatch(owner, [
        { op: 'putBaseline', value: { asin: asinOf(1), source: 'sync', value: { percentComplete: 40, isFinished: false }, observedAt: T0 } },
        { op: 'putBaseline', value: { asin: asinOf(1), source: 'notion', value: { status: 'in_progress' }, observedAt: T0 } },
        { op: 'putBaseline', value: { asin: asinOf(2), source: 'sync', value: {}, observedAt: T0 } },
      ]);
      expect((await store.listBaselines(owner, asinOf(1))).map((b) => b.source)).toEqual(['notion', 'sync']);
      await store.applyBatch(owner, [{ op: 'putBaseline', value: { asin: asinOf(1), source: 'sync', value: { percentComplete: 100, isFinished: true }, observedAt: T1 } }]);
      const baselines = await store.listBaselines(owner, asinOf(1));
      expect(baselines.find((b) => b.source === 'sync')).toEqual({ ownerId: owner, asin: asinOf(1), source: 'sync', value: { percentComplete: 100, isFinished: true }, observedAt: T1 });
      await store.applyBatch(owner, [{ op: 'deleteBaseline', asin: asinOf(1), source: 'notion' }]);
      expect((await store.listBaselines(owner, asinOf(1))).map((b) => b.source)).toEqual(['sync']);
      expect(await store.listBaselines(owner, asinOf(9))).toEqual([]);
      await expectFailure(
        store.applyBatch(owner, [{ op: 'putBaseline', value: { asin: asinOf(1), source: 'sync', value: { percentComplete: 140 }, observedAt: T0 } }]),
        'invalid_input',
      );
    });

    it("one source's baselines list by ASIN, page by page", async () => {
      const owner = ctx.owner();
      const store = ctx.store();
      await store.applyBatch(owner, [
        { op: 'putBaseline', value: { asin: asinOf(3), source: 'file', value: { percentComplete: 30 }, observedAt: T0 } },
        { op: 'putBaseline', value: { asin: asinOf(1), source: 'file', value: { isFinished: true }, observedAt: T0 } },
        { op: 'putBaseline', value: { asin: asinOf(2), source: 'audible:me', value: { percentComplete: 5 }, observedAt: T0 } },
        { op: 'putBaseline', value: { asin: asinOf(2), source: 'file', value: {}, observedAt: T1 } },
      ]);
      const first = await store.listSourceBaselines(owner, 'file', { limit: 2 });
      expect(first.items.map((b) => b.asin)).toEqual([asinOf(1), asinOf(2)]);
      const rest = await store.listSourceBaselines(owner, 'file', { limit: 2, cursor: first.nextCursor });
      expect(rest.items.map((b) => [b.asin, b.value])).toEqual([[asinOf(3), { percentComplete: 30 }]]);
      expect(rest.nextCursor).toBeNull();
      expect((await store.listSourceBaselines(owner, 'audible:me')).items.map((b) => b.asin)).toEqual([asinOf(2)]);
      expect((await store.listSourceBaselines(owner, 'notion')).items).toEqual([]);
    });

    it('series aliases point at one series each and list by the series they join', async () => {
      const owner = ctx.owner();
      const store = ctx.store();
      await store.applyBatch(owner, [
        { op: 'putSeriesAlias', value: { alias: 'title:the expanse', seriesKey: 'B0SERIES01', createdAt: T0 } },
        { op: 'putSeriesAlias', value: { alias: 'title:expanse', seriesKey: 'B0SERIES01', createdAt: T0 } },
        { op: 'putSeriesAlias', value: { alias: 'title:dune', seriesKey: 'B0SERIES02', createdAt: T0 } },
      ]);
      expect(await store.getSeriesAlias(owner, 'title:the expanse')).toEqual({ ownerId: owner, alias: 'title:the expanse', seriesKey: 'B0SERIES01', createdAt: T0 });
      expect((await store.listSeriesAliases(owner, { seriesKey: 'B0SERIES01' })).items.map((a) => a.alias)).toEqual(['title:expanse', 'title:the expanse']);
      await store.applyBatch(owner, [
        { op: 'putSeriesAlias', value: { alias: 'title:dune', seriesKey: 'B0SERIES03', createdAt: T1 } },
        { op: 'deleteSeriesAlias', alias: 'title:expanse' },
      ]);
      expect((await store.getSeriesAlias(owner, 'title:dune'))?.seriesKey).toBe('B0SERIES03');
      expect((await store.listSeriesAliases(owner)).items.map((a) => a.alias)).toEqual(['title:dune', 'title:the expanse']);
      expect(await store.getSeriesAlias(ctx.owner(), 'title:dune')).toBeNull();
    });
  });
}
