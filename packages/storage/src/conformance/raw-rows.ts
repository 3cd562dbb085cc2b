import { describe, expect, it } from 'vitest';
import { asinOf, fullTitle, historyData, linkData, progressData, seriesData, T0 } from './fixtures.js';
import type { SuiteContext } from './suite-context.js';

/**
 * What the adapter really stored, read through its `rawRows` hook (as Auth.js's adapter tests read
 * the database behind the adapter): catches leftovers no port read shows, such as an index row
 * of a deleted title.
 */
export function describeRawRows(ctx: SuiteContext): void {
  const rawRows = ctx.rawRows;
  describe.skipIf(!rawRows)('raw rows', () => {
    const rowsOf = async (owner: string) => (await rawRows!(ctx.store(), owner)).map((row) => JSON.stringify(row));

    it('a deleted title leaves no row behind that names it, in any table', async () => {
      const owner = ctx.owner();
      const asin = asinOf(42);
      await ctx.store().applyBatch(owner, [
        { op: 'putSeries', value: seriesData('B0SERIES01') },
        { op: 'putTitle', value: fullTitle(asin) },
        { op: 'putTitle', value: fullTitle(asinOf(43)) },
      ]);
      expect((await rowsOf(owner)).some((row) => row.includes(asin))).toBe(true);
      await ctx.store().applyBatch(owner, [{ op: 'deleteTitle', asin }]);
      expect((await rowsOf(owner)).filter((row) => row.includes(asin))).toEqual([]);
    });

    it('keeps each owner in rows of its own', async () => {
      const alice = ctx.owner();
      const bob = ctx.owner();
      const write = (owner: string) =>
        ctx.store().applyBatch(owner, [
          { op: 'putTitle', value: fullTitle(asinOf(1)) },
          { op: 'putProgress', value: progressData(asinOf(1)) },
          { op: 'appendHistory', value: historyData(asinOf(1), 'h1', T0) },
          { op: 'putLink', value: linkData(asinOf(1), 'goodreads', `${owner}-book`) },
          { op: 'putSetting', key: 'who', value: owner },
        ]);
      await write(alice);
      await write(bob);
      const aliceRows = await rowsOf(alice);
      expect(aliceRows.length).toBeGreaterThanOrEqual(5);
      expect(aliceRows.filter((row) => row.includes(bob))).toEqual([]);
      expect((await rowsOf(bob)).filter((row) => row.includes(alice))).toEqual([]);
    });

    it('a failed batch and purged records leave nothing', async () => {
      const owner = ctx.owner();
      await expect(
        ctx.store().applyBatch(owner, [
          { op: 'putTitle', value: fullTitle(asinOf(1)) },
          { op: 'putTitle', value: { ...fullTitle(asinOf(2)), asin: 'bad' } },
        ]),
      ).rejects.toThrow();
      expect(await rowsOf(owner)).toEqual([]);
      const now = new Date(T0);
      await ctx.store().putExpiring(owner, { kind: 'nonce', key: 'n', value: 1, createdAt: T0, expiresAt: new Date(now.getTime() + 1000).toISOString() }, { now });
      expect(await rowsOf(owner)).toHaveLength(1);
      expect(await ctx.store().purgeExpired(owner, new Date(now.getTime() + 1000))).toBe(1);
      expect(await rowsOf(owner)).toEqual([]);
    });
  });
}
