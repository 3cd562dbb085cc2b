import { SagaSyncError, type StoragePort } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import { asinOf, bareTitle, progressData } from './fixtures.js';
import type { SuiteContext } from './suite-context.js';

/**
 * Read-modify-write with retry on version_conflict, the way use cases update records. Yields
 * between attempts so in-process writers interleave like separate processes would.
 */
async function addAuthor(store: StoragePort, owner: string, asin: string, author: string): Promise<void> {
  for (let attempt = 1; attempt <= 200; attempt++) {
    const current = await store.getTitle(owner, asin);
    if (!current) throw new Error(`title ${asin} vanished`);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
    const { ownerId: _ownerId, version, ...data } = current;
    try {
      await store.applyBatch(owner, [{ op: 'putTitle', value: { ...data, authors: [...data.authors, author] }, expectedVersion: version }]);
      return;
    } catch (error) {
      if (!SagaSyncError.isInstance(error) || error.code !== 'version_conflict') throw error;
    }
  }
  throw new Error(`writer ${author} gave up after 200 conflicts`);
}

export function describeConcurrency(ctx: SuiteContext): void {
  describe('concurrent writers', () => {
    it('N writers doing read-modify-write with retries lose no update', async () => {
      const owner = ctx.owner();
      const asin = asinOf(30);
      const writers = ctx.capabilities.parallelWriters;
      await ctx.store().applyBatch(owner, [{ op: 'putTitle', value: bareTitle(asin) }]);
      const names = Array.from({ length: writers }, (_, i) => `Writer ${i}`);
      await Promise.all(names.map((name) => addAuthor(ctx.store(), owner, asin, name)));
      const stored = await ctx.store().getTitle(owner, asin);
      expect([...stored!.authors].sort()).toEqual([...names].sort());
      expect(stored!.version).toBe(1 + writers);
    });

    it('of N parallel create-only writes of one record exactly one succeeds', async () => {
      const owner = ctx.owner();
      const writers = ctx.capabilities.parallelWriters;
      const results = await Promise.allSettled(
        Array.from({ length: writers }, (_, i) =>
          ctx.store().applyBatch(owner, [{ op: 'putProgress', value: progressData(asinOf(31), { percentComplete: i }), expectedVersion: null }]),
        ),
      );
      const fulfilled = results.filter((result) => result.status === 'fulfilled');
      const rejected = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
      expect(fulfilled).toHaveLength(1);
      expect(rejected.every((reason) => SagaSyncError.isInstance(reason) && reason.code === 'version_conflict')).toBe(true);
      expect((await ctx.store().getProgress(owner, asinOf(31)))?.version).toBe(1);
    });

    it('parallel batches on different records all land', async () => {
      const owner = ctx.owner();
      const writers = ctx.capabilities.parallelWriters;
      await Promise.all(
        Array.from({ length: writers }, (_, w) =>
          ctx.store().applyBatch(
            owner,
            Array.from({ length: 25 }, (_, i) => ({ op: 'putTitle' as const, value: bareTitle(asinOf(1000 + w * 25 + i)) })),
          ),
        ),
      );
      expect(await ctx.store().countTitles(owner)).toBe(writers * 25);
    });
  });
}
