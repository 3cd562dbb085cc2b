import type { AudibleAccount, StoragePort } from '@sagasync/core';
import * as z from 'zod';
import type { AudibleDeps } from './audible-deps.js';

/**
 * The owner's own sync choices, kept in their library settings (one database for every instance,
 * so instances agree): the marketplace to sync, and an interval and a daily cap within the
 * server's. The server's limits themselves are the directory schedule's, which every claim checks
 * atomically; these only narrow them.
 */
export const PREFERENCES_KEY = 'audible.sync';

const PreferencesSchema = z.object({
  locale: z.string().nullable().default(null),
  syncIntervalMs: z.number().int().positive().nullable().default(null),
  dailyCap: z.number().int().positive().nullable().default(null),
});
export type SyncPreferences = z.infer<typeof PreferencesSchema>;

const NONE: SyncPreferences = { locale: null, syncIntervalMs: null, dailyCap: null };

export async function readPreferences(storage: StoragePort, ownerId: string): Promise<SyncPreferences> {
  const parsed = PreferencesSchema.safeParse(await storage.getSetting(ownerId, PREFERENCES_KEY));
  // A value written by hand that does not fit is ignored: the server's defaults apply.
  return parsed.success ? parsed.data : NONE;
}

export async function writePreferences(storage: StoragePort, ownerId: string, preferences: SyncPreferences): Promise<void> {
  await storage.applyBatch(ownerId, [{ op: 'putSetting', key: PREFERENCES_KEY, value: preferences }]);
}

/** The owner's interval and cap as they apply: their own, kept within the server's limits. */
export function effectiveLimits(preferences: SyncPreferences, limits: AudibleDeps['limits']): { syncIntervalMs: number; dailyCap: number } {
  return {
    syncIntervalMs: Math.max(preferences.syncIntervalMs ?? limits.intervalMs, limits.minIntervalMs),
    dailyCap: Math.min(preferences.dailyCap ?? limits.dailyCap, limits.dailyCap),
  };
}

/**
 * The account a sync uses: the one on the chosen marketplace, else the first connected. Null when
 * the owner has none (or none on the chosen marketplace).
 */
export function chooseAccount(accounts: readonly AudibleAccount[], preferences: SyncPreferences): AudibleAccount | null {
  if (preferences.locale) return accounts.find((a) => a.locale === preferences.locale) ?? null;
  return accounts[0] ?? null;
}
