import { DEFAULT_DAILY_SYNC_CAP, DEFAULT_MIN_SYNC_INTERVAL_MS, type SyncSchedule } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import { at, MINUTE } from './fixtures.js';
import { expectFailure, type DirectorySuiteContext } from './suite-context.js';

const NOON = '2024-05-10T12:00:00.000Z';
const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : NaN);

/** Every due schedule at `now`, page by page. */
async function allDue(ctx: DirectorySuiteContext, now: Date, limit: number): Promise<SyncSchedule[]> {
  const due: SyncSchedule[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100_000; pages++) {
    const page: { items: SyncSchedule[]; nextCursor: string | null } = await ctx.directory().listUsersDueForSync(now, { limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    due.push(...page.items);
    cursor = page.nextCursor;
    if (cursor === null) return due;
  }
  throw new Error('listUsersDueForSync never returned a last page');
}

export function describeSchedules(ctx: DirectorySuiteContext): void {
  describe('sync schedules and claimSync', () => {
    it('a first claim creates a disabled schedule with the default limits and counts the sync', async () => {
      const user = await ctx.user();
      expect(await ctx.directory().getSchedule(user.id)).toBeNull();
      const claim = await ctx.directory().claimSync(user.id, at(NOON));
      expect(claim).toMatchObject({ canSync: true, reason: 'allowed', syncsRemainingToday: DEFAULT_DAILY_SYNC_CAP - 1 });
      expect(ms(claim.nextAllowedSync)).toBe(ms(NOON) + DEFAULT_MIN_SYNC_INTERVAL_MS);
      const schedule = await ctx.directory().getSchedule(user.id);
      expect(schedule).toEqual(claim.schedule);
      expect(schedule).toMatchObject({
        userId: user.id,
        enabled: false,
        syncsToday: 1,
        day: '2024-05-10',
        dailyCap: DEFAULT_DAILY_SYNC_CAP,
        minIntervalMs: DEFAULT_MIN_SYNC_INTERVAL_MS,
        version: 1,
      });
      expect(ms(schedule!.lastSyncAt)).toBe(ms(NOON));
      expect(ms(schedule!.nextAllowedSyncAt)).toBe(ms(NOON) + DEFAULT_MIN_SYNC_INTERVAL_MS);
    });

    it('enforces the minimum interval; a refused claim changes nothing', async () => {
      const user = await ctx.user();
      await ctx.directory().claimSync(user.id, at(NOON));
      const early = await ctx.directory().claimSync(user.id, at(NOON, 15 * MINUTE - 1));
      expect(early).toMatchObject({ canSync: false, reason: 'too_soon', syncsRemainingToday: DEFAULT_DAILY_SYNC_CAP - 1 });
      expect(ms(early.nextAllowedSync)).toBe(ms(NOON) + 15 * MINUTE);
      expect(await ctx.directory().getSchedule(user.id)).toMatchObject({ syncsToday: 1, version: 1 });
      const onTime = await ctx.directory().claimSync(user.id, at(NOON, 15 * MINUTE));
      expect(onTime).toMatchObject({ canSync: true, reason: 'allowed', syncsRemainingToday: DEFAULT_DAILY_SYNC_CAP - 2 });
      expect(onTime.schedule).toMatchObject({ syncsToday: 2, version: 2 });
    });

    it('enforces the daily cap until the next UTC day, then counts from zero again', async () => {
      const user = await ctx.user();
      const limits = { dailyCap: 3, minIntervalMs: 0 };
      for (let i = 0; i < 3; i++) {
        const claim = await ctx.directory().claimSync(user.id, at(NOON, i), limits);
        expect(claim).toMatchObject({ canSync: true, syncsRemainingToday: 2 - i });
      }
      const capped = await ctx.directory().claimSync(user.id, at('2024-05-10T23:59:59.999Z'), limits);
      expect(capped).toMatchObject({ canSync: false, reason: 'daily_cap_reached', syncsRemainingToday: 0 });
      expect(ms(capped.nextAllowedSync)).toBe(ms('2024-05-11T00:00:00.000Z'));
      const nextDay = await ctx.directory().claimSync(user.id, at('2024-05-11T00:00:00.000Z'), limits);
      expect(nextDay).toMatchObject({ canSync: true, reason: 'allowed', syncsRemainingToday: 2 });
      expect(nextDay.schedule).toMatchObject({ syncsToday: 1, day: '2024-05-11' });
    });

    it('the interval still applies across midnight, and the day counter resets', async () => {
      const user = await ctx.user();
      const limits = { dailyCap: 1, minIntervalMs: 15 * MINUTE };
      const late = await ctx.directory().claimSync(user.id, at('2024-05-10T23:50:00.000Z'), limits);
      expect(late).toMatchObject({ canSync: true, syncsRemainingToday: 0 });
      expect(ms(late.nextAllowedSync)).toBe(ms('2024-05-11T00:05:00.000Z'));
      const midnight = await ctx.directory().claimSync(user.id, at('2024-05-11T00:00:00.000Z'), limits);
      expect(midnight).toMatchObject({ canSync: false, reason: 'too_soon', syncsRemainingToday: 1 });
      const after = await ctx.directory().claimSync(user.id, at('2024-05-11T00:05:00.000Z'), limits);
      expect(after).toMatchObject({ canSync: true, syncsRemainingToday: 0 });
      expect(after.schedule).toMatchObject({ syncsToday: 1, day: '2024-05-11' });
    });

    it("limits passed to a call hold from that call on (a host's configuration changed); limits left out keep the schedule's", async () => {
      const user = await ctx.user();
      await ctx.directory().claimSync(user.id, at(NOON), { dailyCap: 50, minIntervalMs: MINUTE });
      // Called without limits: the schedule's own hold.
      expect(await ctx.directory().claimSync(user.id, at(NOON, 30_000))).toMatchObject({ canSync: false, reason: 'too_soon' });
      const second = await ctx.directory().claimSync(user.id, at(NOON, MINUTE));
      expect(second.schedule).toMatchObject({ dailyCap: 50, minIntervalMs: MINUTE, syncsToday: 2 });
      // The host now runs with a cap of 2: the third sync of the day is refused, and only the cap changed.
      const capped = await ctx.directory().claimSync(user.id, at(NOON, 2 * MINUTE), { dailyCap: 2 });
      expect(capped).toMatchObject({ canSync: false, reason: 'daily_cap_reached' });
      // A shorter interval is stored with the next allowed claim.
      const next = await ctx.directory().claimSync(user.id, at('2024-05-11T12:00:00.000Z'), { dailyCap: 2, minIntervalMs: 0 });
      expect(next).toMatchObject({ canSync: true, schedule: { dailyCap: 2, minIntervalMs: 0, syncsToday: 1 } });
      expect(await ctx.directory().getSchedule(user.id)).toMatchObject({ dailyCap: 2, minIntervalMs: 0 });
      // Switching the schedule with new limits stores them even when it was already on that way.
      await ctx.directory().setScheduleEnabled(user.id, false, { dailyCap: 2 });
      const relimited = await ctx.directory().setScheduleEnabled(user.id, false, { dailyCap: 5, minIntervalMs: MINUTE });
      expect(relimited).toMatchObject({ enabled: false, dailyCap: 5, minIntervalMs: MINUTE });
      expect(await ctx.directory().setScheduleEnabled(user.id, false, { dailyCap: 5 }), 'no change, no new version').toEqual(relimited);
    });

    it('of N concurrent claims with room for one, exactly one is allowed', async () => {
      for (const limits of [{ dailyCap: 1, minIntervalMs: 0 }, { dailyCap: 600, minIntervalMs: 15 * MINUTE }]) {
        const user = await ctx.user();
        const claims = await Promise.all(Array.from({ length: ctx.parallelCallers }, () => ctx.directory().claimSync(user.id, at(NOON), limits)));
        expect(claims.filter((claim) => claim.canSync), JSON.stringify(limits)).toHaveLength(1);
        expect(await ctx.directory().getSchedule(user.id)).toMatchObject({ syncsToday: 1, version: 1 });
      }
    });

    it('setScheduleEnabled creates or switches the schedule and keeps its counters', async () => {
      const user = await ctx.user();
      const created = await ctx.directory().setScheduleEnabled(user.id, true, { dailyCap: 10 });
      expect(created).toMatchObject({ userId: user.id, enabled: true, syncsToday: 0, lastSyncAt: null, nextAllowedSyncAt: null, dailyCap: 10, version: 1 });
      expect(created.minIntervalMs).toBe(DEFAULT_MIN_SYNC_INTERVAL_MS);
      await ctx.directory().claimSync(user.id, at(NOON));
      const off = await ctx.directory().setScheduleEnabled(user.id, false);
      expect(off).toMatchObject({ enabled: false, syncsToday: 1, dailyCap: 10, version: 3 });
      expect(await ctx.directory().setScheduleEnabled(user.id, false), 'no change, no new version').toEqual(off);
      expect(await ctx.directory().getSchedule(user.id)).toEqual(off);
    });

    it('refuses unknown users and invalid limits', async () => {
      const nobody = ctx.id('nobody');
      await expectFailure(ctx.directory().claimSync(nobody, at(NOON)), 'not_found', 'userId');
      await expectFailure(ctx.directory().setScheduleEnabled(nobody, true), 'not_found', 'userId');
      const user = await ctx.user();
      await expectFailure(ctx.directory().claimSync(user.id, at(NOON), { dailyCap: 0 }), 'invalid_input', 'limits.dailyCap');
      await expectFailure(ctx.directory().claimSync(user.id, new Date(Number.NaN)), 'invalid_input', 'now');
      expect(await ctx.directory().getSchedule(user.id)).toBeNull();
    });

    it('lists the enabled schedules due at now, most overdue first, each once across pages', async () => {
      const dir = ctx.directory();
      const now = at(NOON);
      const [never, intervalPassed, tooSoon, disabled, capSpent, capSpentYesterday] = await Promise.all(Array.from({ length: 6 }, async () => (await ctx.user()).id));
      const spendTheDay = { dailyCap: 1, minIntervalMs: 0 };
      await dir.setScheduleEnabled(never!, true);
      await dir.claimSync(intervalPassed!, at(NOON, -20 * MINUTE));
      await dir.claimSync(tooSoon!, at(NOON, -5 * MINUTE));
      await dir.claimSync(disabled!, at(NOON, -60 * MINUTE));
      await dir.claimSync(capSpent!, at(NOON, -60 * MINUTE), spendTheDay);
      await dir.claimSync(capSpentYesterday!, at(NOON, -24 * 60 * MINUTE), spendTheDay);
      for (const id of [intervalPassed!, tooSoon!, capSpent!, capSpentYesterday!]) await dir.setScheduleEnabled(id, true);

      const mine = new Set([never!, intervalPassed!, tooSoon!, disabled!, capSpent!, capSpentYesterday!]);
      for (const limit of [1, 2, 1000]) {
        const due = await allDue(ctx, now, limit);
        expect(new Set(due.map((schedule) => schedule.userId)).size, 'no schedule is listed twice').toBe(due.length);
        for (const schedule of due) {
          expect(schedule.enabled).toBe(true);
          expect(schedule.nextAllowedSyncAt === null || ms(schedule.nextAllowedSyncAt) <= now.getTime()).toBe(true);
        }
        const keys = due.map((schedule) => [schedule.nextAllowedSyncAt === null ? 0 : ms(schedule.nextAllowedSyncAt), schedule.userId] as const);
        const sorted = [...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
        expect(keys, 'ordered by next allowed time, then user id').toEqual(sorted);
        const ours = due.filter((schedule) => mine.has(schedule.userId)).map((schedule) => schedule.userId);
        // Never synced first (no next time), then by next allowed time: yesterday's spent budget
        // allows a sync from midnight on, the interval one from 11:55.
        expect(ours).toEqual([never!, capSpentYesterday!, intervalPassed!]);
      }
    });
  });
}
