import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ApiServices } from '@sagasync/api';
import { readAll, type DirectoryPort, type Logger, type StoragePort, type SyncSchedule, type User } from '@sagasync/core';
import type { SyncSettings } from '../settings/settings.js';
import { syncDueUser, type HeldLease, type UserSyncOutcome } from '@sagasync/host';
import { pruneSyncLogs } from './sync-log-retention.js';

export interface SchedulerDeps {
  storage: StoragePort;
  directory: DirectoryPort;
  services: (user: User) => ApiServices;
  clock: () => Date;
  log: Logger;
  settings: SyncSettings;
  notionMinIntervalMs: number;
}

/** What one pass over the due users did: the cron route's answer. */
export interface TickReport {
  startedAt: string;
  finishedAt: string;
  /** Schedules the directory listed as due. */
  due: number;
  synced: number;
  failed: number;
  skipped: number;
  users: UserSyncOutcome[];
  /** Sync runs deleted by the retention this pass (null: not this pass). */
  prunedSyncRuns: number | null;
}

export interface Scheduler {
  /** Starts the loop (a pass every `tickMs`; none when it is 0). */
  start(): void;
  /** One pass now, after the one running (if any): what the loop and the cron route run. */
  runOnce(): Promise<TickReport>;
  /**
   * Stops the loop and starts no other user's sync; waits for the syncs running until `deadline`
   * settles. Returns whether they finished.
   */
  stop(deadline: Promise<unknown>): Promise<boolean>;
  /** Waits (up to `ms`) for the pass in flight to unwind, e.g. after its Audible calls were aborted. */
  settle(ms: number): Promise<void>;
  /** Gives back the leases a pass still holds (a sync abandoned at shutdown), so another instance takes over at once. */
  releaseLeases(): Promise<void>;
}

/**
 * The in-process scheduler of one server instance. Each pass reads the schedules due in the
 * directory and syncs those users (a few at a time), each under the user's lease and the
 * directory's atomic claim, so that any number of instances sync each user once per interval.
 * Housekeeping rides along: sync runs past the retention, expired sign-ins.
 */
export function createScheduler(deps: SchedulerDeps): Scheduler {
  const { settings, log } = deps;
  // Unique per process, readable in the leases table: which instance holds a user's sync.
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const held = new Set<HeldLease>();
  const housekeepingEveryMs = Math.min(3_600_000, settings.logRetentionMs);
  let lastHousekeeping = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | null = null;
  let stopping = false;
  // Passes run one after another: the loop's and the cron route's never overlap in one instance.
  let chain: Promise<unknown> = Promise.resolve();

  async function pass(): Promise<TickReport> {
    const started = deps.clock();
    const due = await readAll<SyncSchedule>((cursor) => deps.directory.listUsersDueForSync(started, { cursor, limit: 100 }));
    const userDeps = { ...deps, limits: settings, holder, held };
    const users = await mapLimited(due, settings.concurrency, async (schedule): Promise<UserSyncOutcome> => {
      if (stopping) return { userId: schedule.userId, outcome: 'skipped', reason: 'shutting_down' };
      try {
        const outcome = await syncDueUser(userDeps, schedule);
        if (outcome.outcome === 'synced') log.info('scheduled Audible sync done', { userId: outcome.userId, job: outcome.jobId, changes: outcome.changes, notion: outcome.notion });
        else if (outcome.outcome === 'failed') log.warn('scheduled Audible sync failed', { userId: outcome.userId, job: outcome.jobId, error: outcome.error.message });
        else log.debug('scheduled Audible sync skipped', { userId: outcome.userId, reason: outcome.reason });
        return outcome;
      } catch (error) {
        // The store failing for one user must not stop the others' syncs.
        log.error('scheduled Audible sync could not run', { userId: schedule.userId, error: error instanceof Error ? error.message : String(error) });
        return { userId: schedule.userId, outcome: 'skipped', reason: 'error' };
      }
    });
    const prunedSyncRuns = await housekeeping();
    const count = (kind: UserSyncOutcome['outcome']) => users.filter((u) => u.outcome === kind).length;
    return { startedAt: started.toISOString(), finishedAt: deps.clock().toISOString(), due: due.length, synced: count('synced'), failed: count('failed'), skipped: count('skipped'), users, prunedSyncRuns };
  }

  async function housekeeping(): Promise<number | null> {
    const now = deps.clock();
    if (stopping || now.getTime() - lastHousekeeping < housekeepingEveryMs) return null;
    lastHousekeeping = now.getTime();
    try {
      const { pruned, failed } = await pruneSyncLogs(deps, new Date(now.getTime() - settings.logRetentionMs));
      await deps.directory.deleteExpiredSignIns(now);
      if (pruned > 0) log.info('deleted sync runs past the retention', { pruned, retentionMs: settings.logRetentionMs });
      if (failed.length > 0) log.warn('could not delete old sync runs of some users; the next pass tries again', { users: failed });
      return pruned;
    } catch (error) {
      log.warn('sync log housekeeping failed', { error: error instanceof Error ? error.message : String(error) });
      return null;
    }
  }

  function runOnce(): Promise<TickReport> {
    const next = chain.then(pass);
    chain = next.catch(() => undefined);
    return next;
  }

  function schedule(): void {
    if (stopping || settings.tickMs <= 0) return;
    timer = setTimeout(() => {
      timer = null;
      runOnce()
        .catch((error: unknown) => log.error('scheduler pass failed', { error: error instanceof Error ? error.message : String(error) }))
        .finally(schedule);
    }, settings.tickMs);
    // The HTTP server keeps the process up; a pending pass must not.
    timer.unref();
  }

  return {
    start() {
      if (settings.tickMs > 0) log.info('scheduler started', { holder, tickMs: settings.tickMs, intervalMs: settings.intervalMs });
      schedule();
    },
    runOnce,
    async stop(deadline) {
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const finished = chain.then(() => true);
      return Promise.race([finished, deadline.then(() => false)]);
    },
    async settle(ms) {
      await Promise.race([chain, new Promise((resolve) => setTimeout(resolve, ms).unref())]);
    },
    async releaseLeases() {
      for (const lease of [...held]) {
        held.delete(lease);
        await deps.storage.releaseLease(lease.ownerId, lease.name, lease.holder).catch(() => false);
      }
    },
  };
}

/** `work` over `items`, at most `limit` at once, results in order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
