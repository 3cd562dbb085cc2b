import type { SyncClaim, SyncSchedule } from '@sagasync/core';
import type { ResolvedScheduleLimits } from './parse-input.js';

/**
 * The sync rate limit as pure rules, shared by every directory adapter: each reads the schedule,
 * decides here and writes the result in one atomic step (a transaction, or a conditional write on
 * the version), so the rules are the same everywhere and only the atomicity is the adapter's.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** A day no schedule has synced on: a schedule made before its first claim counts from here. */
export const NO_DAY = '1970-01-01';

export function utcDayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function startOfNextUtcDay(ms: number): number {
  return (Math.floor(ms / DAY_MS) + 1) * DAY_MS;
}

/** A schedule's next allowed time in ms; 0 for "never synced", which sorts and compares as due. */
export function nextAllowedMs(schedule: Pick<SyncSchedule, 'nextAllowedSyncAt'>): number {
  return schedule.nextAllowedSyncAt === null ? 0 : Date.parse(schedule.nextAllowedSyncAt);
}

/** Syncs counted for `nowMs`'s day: a later day starts from 0; a clock behind the stored day keeps counting. */
function syncsOnDay(schedule: SyncSchedule, nowMs: number): number {
  return schedule.day < utcDayOf(nowMs) ? 0 : schedule.syncsToday;
}

/** A schedule as first written, at version 1. */
export function newSchedule(userId: string, enabled: boolean, limits: ResolvedScheduleLimits): SyncSchedule {
  return { userId, enabled, nextAllowedSyncAt: null, lastSyncAt: null, syncsToday: 0, day: NO_DAY, dailyCap: limits.dailyCap, minIntervalMs: limits.minIntervalMs, version: 1 };
}

/**
 * The schedule under the limits a host passed: a host's configuration may change after a schedule
 * was made (a lower daily cap), and the limits it runs with now are the ones that hold. A limit not
 * passed keeps the schedule's. The same object when nothing changes.
 */
function underLimits(schedule: SyncSchedule, limits: ResolvedScheduleLimits): SyncSchedule {
  const dailyCap = limits.given.dailyCap ?? schedule.dailyCap;
  const minIntervalMs = limits.given.minIntervalMs ?? schedule.minIntervalMs;
  return dailyCap === schedule.dailyCap && minIntervalMs === schedule.minIntervalMs ? schedule : { ...schedule, dailyCap, minIntervalMs };
}

/** The schedule with `enabled` set (and the limits given), or null when it already was so (nothing to write). */
export function decideSetEnabled(current: SyncSchedule | null, userId: string, enabled: boolean, limits: ResolvedScheduleLimits): SyncSchedule | null {
  if (!current) return newSchedule(userId, enabled, limits);
  const limited = underLimits(current, limits);
  return limited === current && current.enabled === enabled ? null : { ...limited, enabled, version: current.version + 1 };
}

export interface ClaimDecision {
  claim: SyncClaim;
  /** The schedule to write (its version one past the current), or null when the claim was refused. */
  write: SyncSchedule | null;
}

/**
 * Checks and counts one sync. The daily cap is checked first (it is the longer wait). An allowed
 * claim that spends the last sync of the day moves the next allowed time to the next UTC midnight
 * (or later, with the interval), so "next allowed time reached" alone finds the due schedules.
 */
export function decideSyncClaim(current: SyncSchedule | null, userId: string, nowMs: number, limits: ResolvedScheduleLimits): ClaimDecision {
  const schedule = current ? underLimits(current, limits) : { ...newSchedule(userId, false, limits), version: 0 };
  const counted = syncsOnDay(schedule, nowMs);
  const nextDayMs = startOfNextUtcDay(nowMs);
  const nextMs = nextAllowedMs(schedule);

  if (counted >= schedule.dailyCap) {
    return refused(schedule, 'daily_cap_reached', Math.max(nextDayMs, nextMs), 0);
  }
  if (nowMs < nextMs) {
    return refused(schedule, 'too_soon', nextMs, schedule.dailyCap - counted);
  }

  const syncsToday = counted + 1;
  const remaining = schedule.dailyCap - syncsToday;
  const intervalEnd = nowMs + schedule.minIntervalMs;
  const next = new Date(remaining > 0 ? intervalEnd : Math.max(intervalEnd, nextDayMs)).toISOString();
  const today = utcDayOf(nowMs);
  const write: SyncSchedule = {
    ...schedule,
    lastSyncAt: new Date(nowMs).toISOString(),
    nextAllowedSyncAt: next,
    syncsToday,
    day: schedule.day > today ? schedule.day : today,
    version: schedule.version + 1,
  };
  return { claim: { canSync: true, reason: 'allowed', nextAllowedSync: next, syncsRemainingToday: remaining, schedule: write }, write };
}

function refused(schedule: SyncSchedule, reason: SyncClaim['reason'], nextMs: number, remaining: number): ClaimDecision {
  return { claim: { canSync: false, reason, nextAllowedSync: new Date(nextMs).toISOString(), syncsRemainingToday: remaining, schedule }, write: null };
}

/** The due-for-sync filter: enabled, next allowed time reached (or never synced), day budget not spent. */
export function isDueForSync(schedule: SyncSchedule, nowMs: number): boolean {
  return schedule.enabled && nextAllowedMs(schedule) <= nowMs && syncsOnDay(schedule, nowMs) < schedule.dailyCap;
}
