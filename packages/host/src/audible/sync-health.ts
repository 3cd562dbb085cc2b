import type { AudibleSyncState } from '@sagasync/api';
import { SagaSyncError, type StoragePort } from '@sagasync/core';
import * as z from 'zod';
import type { AudibleDeps } from './audible-deps.js';

/**
 * How a user's Audible syncs are doing, kept in their library settings so every instance backs
 * off alike: a failure in a row doubles the wait before the next automatic sync (from the
 * server's backoff up to its maximum); a device Audible no longer accepts, or credentials that no
 * longer open, stop automatic syncs until the user signs in again. A success clears it.
 */
export const HEALTH_KEY = 'audible.sync-health';

const HealthSchema = z.object({
  status: z.enum(['ok', 'backing_off', 'revoked', 'signed_out']),
  failures: z.number().int().nonnegative(),
  lastSuccessAt: z.string().nullable(),
  lastFailureAt: z.string().nullable(),
  retryAt: z.string().nullable(),
  /** What failed last: an error code and its message (SagaSync messages carry no secrets). */
  error: z.object({ code: z.string(), reason: z.string().nullable(), message: z.string() }).nullable(),
});
export type SyncHealth = z.infer<typeof HealthSchema>;

export async function readHealth(storage: StoragePort, ownerId: string): Promise<SyncHealth | null> {
  const parsed = HealthSchema.safeParse(await storage.getSetting(ownerId, HEALTH_KEY));
  return parsed.success ? parsed.data : null;
}

async function writeHealth(storage: StoragePort, ownerId: string, health: SyncHealth): Promise<void> {
  await storage.applyBatch(ownerId, [{ op: 'putSetting', key: HEALTH_KEY, value: health }]);
}

export async function recordSuccess(storage: StoragePort, ownerId: string, now: Date): Promise<void> {
  await writeHealth(storage, ownerId, { status: 'ok', failures: 0, lastSuccessAt: now.toISOString(), lastFailureAt: null, retryAt: null, error: null });
}

/** A new sign-in: whatever stopped the syncs is over; the last success is kept for the status. */
export async function recordSignIn(storage: StoragePort, ownerId: string): Promise<void> {
  const current = await readHealth(storage, ownerId);
  if (!current || current.status === 'ok') return;
  await writeHealth(storage, ownerId, { ...current, status: 'ok', failures: 0, retryAt: null, error: null });
}

/** What a failure means for the next automatic sync. */
export function classifyFailure(error: unknown): 'revoked' | 'signed_out' | 'backing_off' {
  if (!SagaSyncError.isInstance(error)) return 'backing_off';
  const reason = error.details.reason;
  if (reason === 'device_revoked') return 'revoked';
  if (reason === 'audible_signed_out') return 'signed_out';
  return 'backing_off';
}

export async function recordFailure(storage: StoragePort, ownerId: string, error: unknown, now: Date, limits: AudibleDeps['limits']): Promise<SyncHealth> {
  const current = await readHealth(storage, ownerId);
  const failures = (current?.failures ?? 0) + 1;
  const status = classifyFailure(error);
  // Doubling per failure in a row; the exponent is capped before it can overflow.
  const waitMs = Math.min(limits.backoffMaxMs, limits.backoffMs * 2 ** Math.min(failures - 1, 30));
  const health: SyncHealth = {
    status,
    failures,
    lastSuccessAt: current?.lastSuccessAt ?? null,
    lastFailureAt: now.toISOString(),
    retryAt: status === 'backing_off' ? new Date(now.getTime() + waitMs).toISOString() : null,
    error: SagaSyncError.isInstance(error)
      ? { code: error.code, reason: typeof error.details.reason === 'string' ? error.details.reason : null, message: error.message }
      : { code: 'internal', reason: null, message: 'the sync failed unexpectedly' },
  };
  await writeHealth(storage, ownerId, health);
  return health;
}

/** Whether automatic syncs wait, and why, at `now`. */
export function automaticSyncBlocked(health: SyncHealth | null, now: Date): string | null {
  if (!health) return null;
  if (health.status === 'revoked' || health.status === 'signed_out') return health.status;
  if (health.status === 'backing_off' && health.retryAt && Date.parse(health.retryAt) > now.getTime()) return 'backing_off';
  return null;
}

/** The state the config answers with, in words a person can act on. */
export function syncStateOf(health: SyncHealth | null, hasAccount: boolean): AudibleSyncState {
  const base = {
    failures: health?.failures ?? 0,
    lastSuccessAt: health?.lastSuccessAt ?? null,
    lastFailureAt: health?.lastFailureAt ?? null,
    retryAt: health?.retryAt ?? null,
  };
  if (!hasAccount) return { ...base, status: 'signed_out', message: 'no Audible account: sign in with POST /api/audible/auth', retryAt: null };
  if (!health) return { ...base, status: 'never_synced', message: 'signed in; no sync has run yet' };
  const failure = health.error?.message ?? 'unknown error';
  switch (health.status) {
    case 'ok':
      return { ...base, status: 'ok', message: health.lastSuccessAt ? `the last sync succeeded at ${health.lastSuccessAt}` : 'signed in again; no sync has run since' };
    case 'revoked':
      return { ...base, status: 'revoked', message: 'Audible no longer accepts this device (removed from the Amazon account, or the password changed): automatic syncs are stopped until you sign in again with POST /api/audible/auth' };
    case 'signed_out':
      return { ...base, status: 'signed_out', message: `the Audible sign-in no longer works (${failure}): automatic syncs are stopped until you sign in again with POST /api/audible/auth` };
    case 'backing_off':
      return { ...base, status: 'backing_off', message: `${health.failures} sync${health.failures === 1 ? '' : 's'} in a row failed (last: ${failure}); automatic syncs wait until ${health.retryAt ?? 'later'}` };
  }
}
