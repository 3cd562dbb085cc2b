import { describe, expect, it } from 'vitest';
import { at, MINUTE, signInData, T0 } from './fixtures.js';
import { expectFailure, type DirectorySuiteContext } from './suite-context.js';

export function describeSignIns(ctx: DirectorySuiteContext): void {
  describe('pending sign-ins', () => {
    it('a sign-in is taken once: the first take returns it, the next finds nothing', async () => {
      const user = await ctx.user();
      const signIn = signInData(ctx.id('signin'), user.id);
      await ctx.directory().putPendingSignIn(signIn);
      expect(await ctx.directory().takePendingSignIn(signIn.id, at(T0, MINUTE))).toEqual(signIn);
      expect(await ctx.directory().takePendingSignIn(signIn.id, at(T0, MINUTE))).toBeNull();
      expect(await ctx.directory().takePendingSignIn(ctx.id('signin'), at(T0))).toBeNull();
    });

    it('of N concurrent takes exactly one gets the sign-in', async () => {
      const user = await ctx.user();
      const signIn = signInData(ctx.id('signin'), user.id);
      await ctx.directory().putPendingSignIn(signIn);
      const takes = await Promise.all(Array.from({ length: ctx.parallelCallers }, () => ctx.directory().takePendingSignIn(signIn.id, at(T0, MINUTE))));
      expect(takes.filter((taken) => taken !== null)).toEqual([signIn]);
    });

    it('an expired sign-in is refused (at its expiry instant too) and gone afterwards', async () => {
      const user = await ctx.user();
      const signIn = signInData(ctx.id('signin'), user.id);
      await ctx.directory().putPendingSignIn(signIn);
      expect(await ctx.directory().takePendingSignIn(signIn.id, new Date(signIn.expiresAt))).toBeNull();
      expect(await ctx.directory().takePendingSignIn(signIn.id, at(T0)), 'an expired take deletes it').toBeNull();
    });

    it('refuses a used id and an unknown user', async () => {
      const user = await ctx.user();
      const signIn = signInData(ctx.id('signin'), user.id);
      await ctx.directory().putPendingSignIn(signIn);
      await expectFailure(ctx.directory().putPendingSignIn({ ...signIn, ciphertext: 'v1.other' }), 'already_exists', 'signIn.id');
      await expectFailure(ctx.directory().putPendingSignIn(signInData(ctx.id('signin'), ctx.id('nobody'))), 'not_found', 'signIn.userId');
      expect((await ctx.directory().takePendingSignIn(signIn.id, at(T0)))?.ciphertext).toBe(signIn.ciphertext);
    });

    it('deleteExpiredSignIns removes the expired ones and keeps the others', async () => {
      const user = await ctx.user();
      // A random hour between 1990 and 2012, which no other test uses, so sign-ins of other runs on a shared backend are not in the way.
      const base = new Date(Date.UTC(1990, 0, 1) + Math.floor(Math.random() * 100_000) * 120 * MINUTE).toISOString();
      const expired = signInData(ctx.id('signin'), user.id, { createdAt: base, expiresAt: at(base, 60 * MINUTE).toISOString() });
      const live = signInData(ctx.id('signin'), user.id, { createdAt: base, expiresAt: at(base, 180 * MINUTE).toISOString() });
      await ctx.directory().putPendingSignIn(expired);
      await ctx.directory().putPendingSignIn(live);
      expect(await ctx.directory().deleteExpiredSignIns(at(base, 120 * MINUTE))).toBeGreaterThanOrEqual(1);
      expect(await ctx.directory().takePendingSignIn(expired.id, at(base))).toBeNull();
      expect(await ctx.directory().takePendingSignIn(live.id, at(base))).toEqual(live);
    });
  });
}
