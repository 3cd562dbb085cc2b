import type { SyncSchedule } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import { decideSetEnabled, decideSyncClaim, isDueForSync, NO_DAY, newSchedule, utcDayOf } from './sync-rules.js';

const limits = { dailyCap: 2, minIntervalMs: 60_000, given: { dailyCap: 2, minIntervalMs: 60_000 } };
const t = (iso: string) => Date.parse(iso);

describe('sync rules', () => {
  it('utcDayOf takes the UTC calendar day', () => {
    expect(utcDayOf(t('2024-05-10T23:59:59.999Z'))).toBe('2024-05-10');
    expect(utcDayOf(t('2024-05-11T01:00:00+02:00'))).toBe('2024-05-10');
  });

  it('a claim on a missing schedule creates it at version 1, disabled, counting one sync', () => {
    const { claim, write } = decideSyncClaim(null, 'u', t('2024-05-10T12:00:00Z'), limits);
    expect(write).toEqual({
      userId: 'u',
      enabled: false,
      nextAllowedSyncAt: '2024-05-10T12:01:00.000Z',
      lastSyncAt: '2024-05-10T12:00:00.000Z',
      syncsToday: 1,
      day: '2024-05-10',
      dailyCap: 2,
      minIntervalMs: 60_000,
      version: 1,
    });
    expect(claim).toEqual({ canSync: true, reason: 'allowed', nextAllowedSync: '2024-05-10T12:01:00.000Z', syncsRemainingToday: 1, schedule: write });
  });

  it('spending the last sync of the day moves the next allowed time to midnight UTC', () => {
    const first = decideSyncClaim(null, 'u', t('2024-05-10T12:00:00Z'), limits).write!;
    const second = decideSyncClaim(first, 'u', t('2024-05-10T13:00:00Z'), limits);
    expect(second.claim).toMatchObject({ canSync: true, syncsRemainingToday: 0, nextAllowedSync: '2024-05-11T00:00:00.000Z' });
    const third = decideSyncClaim(second.write, 'u', t('2024-05-10T23:00:00Z'), limits);
    expect(third).toMatchObject({ write: null, claim: { canSync: false, reason: 'daily_cap_reached', nextAllowedSync: '2024-05-11T00:00:00.000Z' } });
  });

  it('a clock behind the stored day keeps counting instead of resetting the budget', () => {
    const spent: SyncSchedule = { ...newSchedule('u', true, limits), syncsToday: 2, day: '2024-05-11', nextAllowedSyncAt: '2024-05-12T00:00:00.000Z' };
    const claim = decideSyncClaim(spent, 'u', t('2024-05-10T23:00:00Z'), limits);
    expect(claim).toMatchObject({ write: null, claim: { reason: 'daily_cap_reached', nextAllowedSync: '2024-05-12T00:00:00.000Z' } });
  });

  it("a claim under other limits than the schedule's counts with them, and an allowed one stores them", () => {
    const first = decideSyncClaim(null, 'u', t('2024-05-10T12:00:00Z'), limits).write!;
    const lowered = { dailyCap: 1, minIntervalMs: 60_000, given: { dailyCap: 1 } };
    expect(decideSyncClaim(first, 'u', t('2024-05-10T13:00:00Z'), lowered)).toMatchObject({ write: null, claim: { reason: 'daily_cap_reached', schedule: { dailyCap: 1 } } });
    const raised = decideSyncClaim(first, 'u', t('2024-05-10T13:00:00Z'), { dailyCap: 9, minIntervalMs: 1, given: { dailyCap: 9 } });
    expect(raised.write).toMatchObject({ dailyCap: 9, minIntervalMs: 60_000, syncsToday: 2, version: 2 });
    // Nothing passed: the schedule's own limits.
    expect(decideSyncClaim(first, 'u', t('2024-05-10T13:00:00Z'), { dailyCap: 600, minIntervalMs: 0, given: {} }).write).toMatchObject({ dailyCap: 2, minIntervalMs: 60_000 });
  });

  it('isDueForSync needs enabled, the next time reached and budget left for the day', () => {
    const base: SyncSchedule = { ...newSchedule('u', true, limits), nextAllowedSyncAt: '2024-05-10T12:00:00.000Z', syncsToday: 2, day: '2024-05-10' };
    expect(isDueForSync(base, t('2024-05-10T12:00:00Z'))).toBe(false);
    expect(isDueForSync(base, t('2024-05-11T00:00:00Z'))).toBe(true);
    expect(isDueForSync({ ...base, syncsToday: 1 }, t('2024-05-10T12:00:00Z'))).toBe(true);
    expect(isDueForSync({ ...base, syncsToday: 1 }, t('2024-05-10T11:59:59Z'))).toBe(false);
    expect(isDueForSync({ ...base, syncsToday: 1, enabled: false }, t('2024-05-10T12:00:00Z'))).toBe(false);
    expect(isDueForSync(newSchedule('u', true, limits), 0)).toBe(true);
  });

  it('decideSetEnabled writes only a change', () => {
    const created = decideSetEnabled(null, 'u', true, limits)!;
    expect(created).toMatchObject({ enabled: true, day: NO_DAY, version: 1 });
    expect(decideSetEnabled(created, 'u', true, limits)).toBeNull();
    expect(decideSetEnabled(created, 'u', false, limits)).toMatchObject({ enabled: false, version: 2 });
  });
});
