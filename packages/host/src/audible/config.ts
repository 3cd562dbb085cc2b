import type { ApiContext, ApiServices, AudibleConfig, AudibleConfigUpdate } from '@sagasync/api';
import { SagaSyncError } from '@sagasync/core';
import type { AudibleDeps } from './audible-deps.js';
import { scheduleLimits, syncsToday } from './schedule.js';
import { accountJson } from './sign-in.js';
import { readHealth, syncStateOf } from './sync-health.js';
import { chooseAccount, effectiveLimits, readPreferences, writePreferences, type SyncPreferences } from './sync-preferences.js';

/**
 * `audibleConfig`: the owner's sync settings. Automatic syncs on or off are the directory
 * schedule's `enabled` (the scheduler lists only enabled schedules); the marketplace, interval and
 * cap are the owner's preferences, refused with 400 naming the field outside the server's limits.
 */
export function createAudibleConfig(deps: AudibleDeps): NonNullable<ApiServices['audibleConfig']> {
  return async (ctx: ApiContext, update: AudibleConfigUpdate | null): Promise<AudibleConfig> => {
    if (update) await applyUpdate(deps, ctx, update);
    const now = ctx.clock ? ctx.clock() : new Date();
    const [accounts, preferences, health, schedule] = await Promise.all([
      deps.directory.listAudibleAccounts(ctx.ownerId),
      readPreferences(ctx.storage, ctx.ownerId),
      readHealth(ctx.storage, ctx.ownerId),
      deps.directory.getSchedule(ctx.ownerId),
    ]);
    const account = chooseAccount(accounts, preferences);
    const { syncIntervalMs, dailyCap } = effectiveLimits(preferences, deps.limits);
    return {
      enabled: schedule?.enabled ?? false,
      locale: account?.locale ?? preferences.locale,
      marketplace: account?.marketplace ?? null,
      syncIntervalMs,
      dailyCap,
      limits: { minSyncIntervalMs: deps.limits.minIntervalMs, maxDailyCap: deps.limits.dailyCap, defaultSyncIntervalMs: deps.limits.intervalMs },
      schedule: { lastSyncAt: schedule?.lastSyncAt ?? null, nextAllowedSyncAt: schedule?.nextAllowedSyncAt ?? null, syncsToday: syncsToday(schedule, now) },
      accounts: accounts.map(accountJson),
      sync: syncStateOf(health, account !== null),
    };
  };
}

async function applyUpdate(deps: AudibleDeps, ctx: ApiContext, update: AudibleConfigUpdate): Promise<void> {
  const { limits } = deps;
  if (typeof update.syncIntervalMs === 'number' && update.syncIntervalMs < limits.minIntervalMs) {
    throw invalid('body.syncIntervalMs', `must be at least ${limits.minIntervalMs} ms, this server's minimum interval between syncs`);
  }
  if (typeof update.dailyCap === 'number' && update.dailyCap > limits.dailyCap) {
    throw invalid('body.dailyCap', `must be at most ${limits.dailyCap}, this server's daily cap`);
  }
  const accounts = await deps.directory.listAudibleAccounts(ctx.ownerId);
  if (update.locale !== undefined && !accounts.some((a) => a.locale === update.locale)) {
    throw invalid('body.locale', `no Audible account on ${update.locale}: sign in on it first with POST /api/audible/auth {"locale": "${update.locale}"}`);
  }
  if (update.enabled === true && accounts.length === 0) {
    throw new SagaSyncError('config_missing', 'automatic syncs need an Audible account: sign in with POST /api/audible/auth first', { details: { location: 'body.enabled' } });
  }
  const current = await readPreferences(ctx.storage, ctx.ownerId);
  const next: SyncPreferences = {
    locale: update.locale ?? current.locale,
    syncIntervalMs: update.syncIntervalMs === undefined ? current.syncIntervalMs : update.syncIntervalMs,
    dailyCap: update.dailyCap === undefined ? current.dailyCap : update.dailyCap,
  };
  if (next.locale !== current.locale || next.syncIntervalMs !== current.syncIntervalMs || next.dailyCap !== current.dailyCap) {
    await writePreferences(ctx.storage, ctx.ownerId, next);
  }
  if (update.enabled !== undefined) await deps.directory.setScheduleEnabled(ctx.ownerId, update.enabled, scheduleLimits(deps));
}

function invalid(location: string, message: string): SagaSyncError {
  return new SagaSyncError('invalid_input', `${location}: ${message}`, { details: { location } });
}
