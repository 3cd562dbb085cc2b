import { describe, expect, it } from 'vitest';
import { expectFailure, type SuiteContext } from './suite-context.js';

const t = (seconds: number) => new Date(Date.UTC(2024, 2, 1, 10, 0, seconds));

export function describeLeases(ctx: SuiteContext): void {
  describe('leases', () => {
    it('one holder at a time; renewed by its holder; taken over only after it expires, with the next fence', async () => {
      const owner = ctx.owner();
      const store = ctx.store();
      const a = await store.acquireLease(owner, { name: 'notion-push', holder: 'a', ttlMs: 10_000, now: t(0) });
      expect(a).toMatchObject({ ownerId: owner, name: 'notion-push', holder: 'a', fence: 1, expiresAt: t(10).toISOString() });
      expect(await store.acquireLease(owner, { name: 'notion-push', holder: 'b', ttlMs: 10_000, now: t(5) })).toBeNull();
      // Another name and another owner are other leases.
      expect(await store.acquireLease(owner, { name: 'sync', holder: 'b', ttlMs: 10_000, now: t(5) })).not.toBeNull();
      expect(await store.acquireLease(ctx.owner(), { name: 'notion-push', holder: 'b', ttlMs: 10_000, now: t(5) })).not.toBeNull();

      const renewed = await store.renewLease(owner, { name: 'notion-push', holder: 'a', ttlMs: 10_000, now: t(8) });
      expect(renewed).toMatchObject({ holder: 'a', fence: 1, expiresAt: t(18).toISOString() });
      expect(await store.acquireLease(owner, { name: 'notion-push', holder: 'b', ttlMs: 10_000, now: t(15) })).toBeNull();
      expect(await store.renewLease(owner, { name: 'notion-push', holder: 'b', ttlMs: 10_000, now: t(15) })).toBeNull();

      const b = await store.acquireLease(owner, { name: 'notion-push', holder: 'b', ttlMs: 10_000, now: t(18) });
      expect(b).toMatchObject({ holder: 'b', fence: 2 });
      // The holder whose lease was taken cannot renew or release it.
      expect(await store.renewLease(owner, { name: 'notion-push', holder: 'a', ttlMs: 10_000, now: t(19) })).toBeNull();
      expect(await store.releaseLease(owner, 'notion-push', 'a')).toBe(false);
      expect((await store.getLease(owner, 'notion-push'))?.holder).toBe('b');

      expect(await store.releaseLease(owner, 'notion-push', 'b')).toBe(true);
      expect(await store.getLease(owner, 'notion-push')).toBeNull();
      expect(await store.acquireLease(owner, { name: 'notion-push', holder: 'c', ttlMs: 1000, now: t(20) })).toMatchObject({ holder: 'c' });
    });

    it('of many acquiring at once, exactly one gets the lease', async () => {
      const owner = ctx.owner();
      const holders = Array.from({ length: ctx.capabilities.parallelWriters }, (_, i) => `holder-${i}`);
      const results = await Promise.all(holders.map((holder) => ctx.store().acquireLease(owner, { name: 'sync', holder, ttlMs: 60_000, now: t(0) })));
      const winners = results.filter((lease) => lease !== null);
      expect(winners).toHaveLength(1);
      expect((await ctx.store().getLease(owner, 'sync'))?.holder).toBe(winners[0]!.holder);
    });

    it('refuses a request without a name, holder, sensible ttl or time', async () => {
      const owner = ctx.owner();
      const store = ctx.store();
      await expectFailure(store.acquireLease(owner, { name: '', holder: 'a', ttlMs: 1000, now: t(0) }), 'invalid_input');
      await expectFailure(store.acquireLease(owner, { name: 'x', holder: '', ttlMs: 1000, now: t(0) }), 'invalid_input');
      await expectFailure(store.acquireLease(owner, { name: 'x', holder: 'a', ttlMs: 0, now: t(0) }), 'invalid_input');
      await expectFailure(store.acquireLease(owner, { name: 'x', holder: 'a', ttlMs: 1000, now: new Date(Number.NaN) }), 'invalid_input');
      expect(await store.getLease(owner, 'x')).toBeNull();
    });
  });
}
