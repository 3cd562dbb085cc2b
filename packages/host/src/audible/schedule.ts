import type { ApiContext, ApiServices, AudibleScheduleState } from '@sagasync/api';
import { SagaSyncError, type SyncSchedule } from '@sagasync/core';
import type { AudibleDeps } from './audible-deps.js';
import { automaticSyncBlocked, readHealth, syncStateOf } from './sync-health.js';
import { chooseAccount, effectiveLimits, readPreferences } from './sync-preferences.js';

const DAY_MS = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Syncs counted on `now`'s UTC day (the directory's counter restarts on a new day). */
export function syncsToday(schedule: SyncSchedule | null, now: Date): number {
  return schedule && schedule.day === utcDay(now.getTime()) ? schedule.syncsToday : 0;
}

/** The server's limits a schedule is created with; an existing schedule keeps its own (see the directory port). */
export const scheduleLimits = (deps: AudibleDeps) => ({ minIntervalMs: deps.limits.minIntervalMs, dailyCap: deps.limits.dailyCap });

/**
 * `audibleSchedule`: whether a sync may run now (status) and, with `claim`, counting one in the
 * directory's atomic claim, so no number of instances or requests gets past the limits. The
 * owner's own daily cap (at most the server's) is checked first. A user with no usable sign-in
 * (no account, a revoked device) is told how to fix it: a claim then fails with `config_missing`.
 */
export function createAudibleSchedule(deps: AudibleDeps): NonNullable<ApiServices['audibleSchedule']> {
  return async (ctx: ApiContext, claim: boolean): Promise<AudibleScheduleState> => {
    const now = ctx.clock ? ctx.clock() : new Date();
    const [accounts, preferences, health, schedule] = await Promise.all([
      deps.directory.listAudibleAccounts(ctx.ownerId),
      readPreferences(ctx.storage, ctx.ownerId),
      readHealth(ctx.storage, ctx.ownerId),
      deps.directory.getSchedule(ctx.ownerId),
    ]);
    const { dailyCap } = effectiveLimits(preferences, deps.limits);
    const counted = syncsToday(schedule, now);
    const remaining = Math.max(0, Math.min(dailyCap, schedule?.dailyCap ?? dailyCap) - counted);
    const hasAccount = chooseAccount(accounts, preferences) !== null;
    const blocked = automaticSyncBlocked(health, now);
    if (!hasAccount || blocked === 'revoked' || blocked === 'signed_out') {
      const state = syncStateOf(health, hasAccount);
      if (claim) throw new SagaSyncError('config_missing', `sync refused: ${state.message}`, { details: { location: 'audible', reason: state.status } });
      return { can_sync: false, reason: `${state.status}: ${state.message}`, next_allowed_sync: null, syncs_remaining_today: remaining };
    }
    if (counted >= dailyCap) {
      const nextDay = new Date(Date.parse(`${utcDay(now.getTime())}T00:00:00.000Z`) + DAY_MS).toISOString();
      return { can_sync: false, reason: 'daily_cap_reached', next_allowed_sync: nextDay, syncs_remaining_today: 0 };
    }
    // A backoff holds back automatic syncs only: a sync asked for by hand may still run.
    const backoff = blocked === 'backing_off' && health ? ` (automatic syncs back off until ${health.retryAt}: ${syncStateOf(health, true).message})` : '';
    if (!claim) {
      const next = schedule?.nextAllowedSyncAt ?? null;
      const allowed = next === null || Date.parse(next) <= now.getTime();
      return { can_sync: allowed, reason: `${allowed ? 'allowed' : 'too_soon'}${backoff}`, next_allowed_sync: next, syncs_remaining_today: remaining };
    }
    const result = await deps.directory.claimSync(ctx.ownerId, now, scheduleLimits(deps));
    return {
      can_sync: result.canSync,
      reason: result.reason,
      next_allowed_sync: result.nextAllowedSync,
      syncs_remaining_today: Math.max(0, Math.min(result.syncsRemainingToday, dailyCap - counted - (result.canSync ? 1 : 0))),
    };
  };
}
