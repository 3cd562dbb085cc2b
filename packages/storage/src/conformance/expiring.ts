import { describe, expect, it } from 'vitest';
import { expectFailure, type SuiteContext } from './suite-context.js';

const t = (minutes: number) => new Date(Date.UTC(2024, 2, 1, 10, minutes));
const record = (key: string, value: unknown, expiresAtMinute: number, kind = 'idempotency') => ({
  kind,
  key,
  value: value as never,
  createdAt: t(0).toISOString(),
  expiresAt: t(expiresAtMinute).toISOString(),
});

export function describeExpiring(ctx: SuiteContext): void {
  describe('expiring records', () => {
    it('are read back until they expire, then are gone and can be purged', async () => {
      const owner = ctx.owner();
      const store = ctx.store();
      await store.putExpiring(owner, record('k1', { status: 202, body: { job: 'j1' } }, 10), { now: t(0) });
      await store.putExpiring(owner, record('k2', 'short', 2), { now: t(0) });
      await store.applyBatch(owner, [{ op: 'putExpiring', value: record('n1', true, 5, 'nonce') }]);
      expect(await store.getExpiring(owner, 'idempotency', 'k1', t(9))).toEqual({ ownerId: owner, ...record('k1', { status: 202, body: { job: 'j1' } }, 10) });
      expect(await store.getExpiring(owner, 'nonce', 'n1', t(1))).toMatchObject({ value: true });
      expect(await store.getExpiring(owner, 'idempotency', 'k2', t(2))).toBeNull();
      expect(await store.getExpiring(owner, 'nonce', 'k1', t(1))).toBeNull();
      expect(await store.getExpiring(ctx.owner(), 'idempotency', 'k1', t(1))).toBeNull();

      expect(await store.purgeExpired(owner, t(6))).toBe(2);
      expect(await store.getExpiring(owner, 'idempotency', 'k1', t(6))).not.toBeNull();
      await store.applyBatch(owner, [{ op: 'deleteExpiring', kind: 'idempotency', key: 'k1' }]);
      expect(await store.getExpiring(owner, 'idempotency', 'k1', t(6))).toBeNull();
    });

    it('lists the unexpired records of one kind in key order, in pages', async () => {
      const owner = ctx.owner();
      const store = ctx.store();
      for (const [key, expiry] of [['c', 10], ['a', 10], ['b', 3], ['d', 10]] as const) await store.putExpiring(owner, record(key, { key }, expiry, 'cache'), { now: t(0) });
      await store.putExpiring(owner, record('a', 1, 10, 'nonce'), { now: t(0) });
      expect((await store.listExpiring(owner, 'cache', t(1))).items.map((r) => r.key)).toEqual(['a', 'b', 'c', 'd']);
      expect((await store.listExpiring(owner, 'cache', t(5))).items.map((r) => r.key)).toEqual(['a', 'c', 'd']);
      const first = await store.listExpiring(owner, 'cache', t(5), { limit: 2 });
      expect(first.items.map((r) => r.value)).toEqual([{ key: 'a' }, { key: 'c' }]);
      expect((await store.listExpiring(owner, 'cache', t(5), { cursor: first.nextCursor })).items.map((r) => r.key)).toEqual(['d']);
      expect((await store.listExpiring(ctx.owner(), 'cache', t(1))).items).toEqual([]);
    });

    it('with ifAbsent the first writer wins until the record expires, also when many race', async () => {
      const owner = ctx.owner();
      const store = ctx.store();
      const attempts = Array.from({ length: ctx.capabilities.parallelWriters }, (_, i) => i);
      const results = await Promise.all(attempts.map((i) => store.putExpiring(owner, record('once', { writer: i }, 10, 'nonce'), { ifAbsent: true, now: t(0) })));
      const stored = results.filter((r) => r.stored);
      expect(stored).toHaveLength(1);
      const winner = stored[0]!.current.value;
      for (const result of results) expect(result.current.value).toEqual(winner);

      const late = await store.putExpiring(owner, record('once', { writer: 'late' }, 30, 'nonce'), { ifAbsent: true, now: t(11) });
      expect(late.stored).toBe(true);
      expect((await store.getExpiring(owner, 'nonce', 'once', t(12)))?.value).toEqual({ writer: 'late' });
      // Without ifAbsent a put overwrites.
      await store.putExpiring(owner, record('once', 'over', 30, 'nonce'), { now: t(12) });
      expect((await store.getExpiring(owner, 'nonce', 'once', t(12)))?.value).toBe('over');
    });

    it('refuses records that are not JSON or lack a kind, key or expiry', async () => {
      const owner = ctx.owner();
      const store = ctx.store();
      await expectFailure(store.putExpiring(owner, { ...record('k', 1, 5), kind: '' }, { now: t(0) }), 'invalid_input');
      await expectFailure(store.putExpiring(owner, { ...record('k', 1, 5), expiresAt: 'tomorrow' }, { now: t(0) }), 'invalid_input');
      await expectFailure(store.putExpiring(owner, record('k', undefined, 5), { now: t(0) }), 'invalid_input');
      await expectFailure(store.getExpiring(owner, 'idempotency', '', t(0)), 'invalid_input');
      expect(await store.getExpiring(owner, 'idempotency', 'k', t(0))).toBeNull();
    });
  });
}
