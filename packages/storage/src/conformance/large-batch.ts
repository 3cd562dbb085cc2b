import { applyInChunks, type BatchOperation } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import { asinOf, fullTitle } from './fixtures.js';
import type { SuiteContext } from './suite-context.js';

export function describeLargeBatch(ctx: SuiteContext): void {
  describe('large batches', () => {
    it('writes `largeBatchSize` titles in batches within its limit, lists them back and re-applies them idempotently', async () => {
      const owner = ctx.owner();
      const size = ctx.capabilities.largeBatchSize;
      const batch: BatchOperation[] = Array.from({ length: size }, (_, i) => ({
        op: 'putTitle',
        value: fullTitle(asinOf(size - i), { title: `Volume ${size - i}`, owned: i % 10 !== 0 }),
      }));
      const groups = batch.map((operation) => [operation]);
      const limit = ctx.store().limits.maxOperationsPerBatch;
      expect(await applyInChunks(ctx.store(), owner, groups)).toBe(Number.isFinite(limit) ? Math.ceil(size / limit) : 1);
      expect(await ctx.store().countTitles(owner)).toBe(size);
      expect(await ctx.store().countTitles(owner, { owned: false })).toBe(size / 10);

      const listed = (await ctx.store().listTitles(owner)).items;
      expect(listed).toHaveLength(size);
      expect(listed[0]).toEqual({ ...fullTitle(asinOf(1), { title: 'Volume 1', owned: (size - 1) % 10 !== 0 }), ownerId: owner, version: 1 });
      expect(listed.every((title, i) => title.asin === asinOf(i + 1) && title.title === `Volume ${i + 1}`)).toBe(true);

      const some = await ctx.store().getTitles(
        owner,
        listed.slice(0, 500).map((title) => title.asin),
      );
      expect(some).toHaveLength(500);

      await applyInChunks(ctx.store(), owner, groups);
      expect(await ctx.store().countTitles(owner)).toBe(size);
      expect((await ctx.store().getTitle(owner, asinOf(size)))?.version).toBe(2);
    }, 120_000);
  });
}
