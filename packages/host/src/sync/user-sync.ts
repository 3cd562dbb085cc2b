import { createInlineJobRunner, type ApiContext, type ApiServices, type Job } from '@sagasync/api';
import { SagaSyncError, type DirectoryPort, type Logger, type StoragePort, type SyncSchedule, type User } from '@sagasync/core';
import type { AudibleDeps } from '../audible/audible-deps.js';
import { automaticSyncBlocked, readHealth } from '../audible/sync-health.js';
import { effectiveLimits, readPreferences } from '../audible/sync-preferences.js';
import { withLease, type HeldLease } from './lease.js';
import { mirrorAfterSync, type MirrorOutcome } from './notion-after-sync.js';

/** The lease one instance takes to run a user's scheduled sync. */
export const SYNC_LEASE = 'audible-sync';
const SYNC_LEASE_TTL_MS = 120_000;

export type UserSyncOutcome =
  | { userId: string; outcome: 'synced'; jobId: string; changes: number; notion: MirrorOutcome }
  | { userId: string; outcome: 'failed'; jobId: string; error: { code: string; message: string } }
  | { userId: string; outcome: 'skipped'; reason: string };

export interface UserSyncDeps {
  storage: StoragePort;
  directory: DirectoryPort;
  services: (user: User) => ApiServices;
  clock: () => Date;
  log: Logger;
  limits: AudibleDeps['limits'];
  notionMinIntervalMs: number;
  /** This instance, as the lease's holder. */
  holder: string;
  held: Set<HeldLease>;
}

const skipped = (userId: string, reason: string): UserSyncOutcome => ({ userId, outcome: 'skipped', reason });

/** Whether the owner's own interval has passed since their last sync (manual ones count too). */
function intervalPassed(schedule: SyncSchedule | null, intervalMs: number, now: Date): boolean {
  return !schedule?.lastSyncAt || Date.parse(schedule.lastSyncAt) + intervalMs <= now.getTime();
}

/**
 * One due user's scheduled sync: the owner's interval and backoff are checked first (reads
 * only); then, under the user's lease so that one instance runs it, the directory's claim counts
 * the sync against the limits, and the sync runs as the `audible_sync` job that
 * `POST /api/audible/sync` starts, followed by the Notion mirror. Instances that lose the lease
 * or the claim skip the user: each scheduled sync runs once.
 */
export async function syncDueUser(deps: UserSyncDeps, due: SyncSchedule): Promise<UserSyncOutcome> {
  const { storage, directory, clock } = deps;
  const userId = due.userId;
  const [user, preferences, health] = await Promise.all([directory.getUser(userId), readPreferences(storage, userId), readHealth(storage, userId)]);
  if (!user) return skipped(userId, 'user_removed');
  const { syncIntervalMs } = effectiveLimits(preferences, deps.limits);
  if (!intervalPassed(due, syncIntervalMs, clock())) return skipped(userId, 'interval_not_reached');
  const blocked = automaticSyncBlocked(health, clock());
  if (blocked) return skipped(userId, blocked);

  const held = await withLease({ storage, ownerId: userId, name: SYNC_LEASE, holder: deps.holder, ttlMs: SYNC_LEASE_TTL_MS, clock, log: deps.log, held: deps.held }, async (): Promise<UserSyncOutcome> => {
    // Read again under the lease: another instance may have synced the user since the list was read.
    if (!intervalPassed(await directory.getSchedule(userId), syncIntervalMs, clock())) return skipped(userId, 'interval_not_reached');
    const ctx: ApiContext = { storage, ownerId: userId, clock, log: deps.log, jobs: createInlineJobRunner(), services: deps.services(user) };
    const claim = await claimSync(ctx);
    if (!claim.allowed) return skipped(userId, claim.reason);
    const job = await ctx.jobs.start(ctx, 'audible_sync', {});
    // Expired records (finished jobs, webhook ids) go while the user's lease is held anyway.
    await storage.purgeExpired(userId, clock()).catch(() => 0);
    if (job.state !== 'succeeded') {
      return { userId, outcome: 'failed', jobId: job.id, error: { code: job.error?.code ?? 'internal', message: job.error?.message ?? 'the sync failed' } };
    }
    const changes = changesOf(job);
    return { userId, outcome: 'synced', jobId: job.id, changes, notion: await mirrorAfterSync(ctx, { changes, minIntervalMs: deps.notionMinIntervalMs }) };
  });
  return held.acquired ? held.value : skipped(userId, 'another_instance_is_syncing');
}

async function claimSync(ctx: ApiContext): Promise<{ allowed: true } | { allowed: false; reason: string }> {
  try {
    const claim = await ctx.services.audibleSchedule!(ctx, true);
    return claim.can_sync ? { allowed: true } : { allowed: false, reason: claim.reason };
  } catch (error) {
    // No account, or a device Audible refused: nothing to run until the user signs in again.
    if (SagaSyncError.isInstance(error) && error.code === 'config_missing') return { allowed: false, reason: String(error.details.reason ?? 'signed_out') };
    throw error;
  }
}

/** Titles, series and progress rows the sync created or updated (0: nothing changed at Audible). */
function changesOf(job: Job): number {
  const summary = (job.result as { summary?: Record<string, { created?: number; updated?: number }> } | null)?.summary ?? {};
  return ['titles', 'series', 'progress'].reduce((sum, kind) => sum + (summary[kind]?.created ?? 0) + (summary[kind]?.updated ?? 0), 0);
}
