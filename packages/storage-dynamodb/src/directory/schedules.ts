import type { DirectoryPort, SyncSchedule } from '@sagasync/core';
import { decideSetEnabled, decideSyncClaim, directoryErrors, directoryInput, isDueForSync, nextAllowedMs, pageFrom } from '@sagasync/storage';
import { AGAIN, untilSettled } from './contention.js';
import type { DirectoryContext } from './context.js';
import { conditions } from './directory-table.js';
import { readDueSchedules } from './due-index.js';
import { items } from './items.js';
import { keys } from './keys.js';

type ScheduleMethods = Pick<DirectoryPort, 'getSchedule' | 'setScheduleEnabled' | 'claimSync' | 'listUsersDueForSync'>;

/**
 * Sync schedules: one item in the user's partition, versioned. Each change is decided by the shared
 * rules (`decideSyncClaim`, `decideSetEnabled`) on a strongly consistent read and written with the
 * version read as its condition, so of concurrent claims each one decides on the state the
 * previous winner left and none counts a sync the limits do not allow.
 */
export function scheduleMethods(ctx: DirectoryContext): ScheduleMethods {
  const { table, read, liveUser } = ctx;

  async function readSchedule(userId: string): Promise<SyncSchedule | null> {
    const item = await table.get(keys.schedule(userId));
    return item ? read.schedule(item) : null;
  }

  /**
   * Writes `next` over `current`. Replacing a schedule is one conditional PutItem on its version
   * (a schedule exists only while its user does: `deleteUser` removes it after blocking new ones).
   * Creating one is a transaction that also checks the user is there and not being deleted.
   */
  async function write(next: SyncSchedule, current: SyncSchedule | null, checkUser: boolean): Promise<'written' | 'no_user' | typeof AGAIN> {
    if (current && !checkUser) return (await table.put(items.schedule(next), conditions.versionIs(current.version))) ? 'written' : AGAIN;
    const outcome = await table.transact([
      table.tx.check(keys.user(next.userId), conditions.userLive),
      table.tx.put(items.schedule(next), current ? conditions.versionIs(current.version) : conditions.absent),
    ]);
    if (outcome.ok) return 'written';
    return outcome.failed[0] ? 'no_user' : AGAIN;
  }

  return {
    async getSchedule(userId) {
      return readSchedule(directoryInput.userId('getSchedule', userId));
    },

    async setScheduleEnabled(userId, enabled, limits) {
      const id = directoryInput.userId('setScheduleEnabled', userId);
      const on = directoryInput.enabled('setScheduleEnabled', enabled);
      const resolved = directoryInput.limits('setScheduleEnabled', limits);
      return untilSettled('setScheduleEnabled', async () => {
        const [user, current] = await Promise.all([liveUser(id), readSchedule(id)]);
        if (!user) throw directoryErrors.userNotFound(id, 'userId');
        const next = decideSetEnabled(current, id, on, resolved);
        if (!next) return current!;
        const written = await write(next, current, true);
        if (written === 'no_user') throw directoryErrors.userNotFound(id, 'userId');
        return written === 'written' ? next : AGAIN;
      });
    },

    async claimSync(userId, now, limits) {
      const id = directoryInput.userId('claimSync', userId);
      const nowMs = directoryInput.instant('claimSync', now);
      const resolved = directoryInput.limits('claimSync', limits);
      return untilSettled('claimSync', async () => {
        const [user, current] = await Promise.all([liveUser(id), readSchedule(id)]);
        if (!user) throw directoryErrors.userNotFound(id, 'userId');
        const { claim, write: next } = decideSyncClaim(current, id, nowMs, resolved);
        // A refused claim writes nothing: the state it was refused on was read consistently.
        if (!next) return claim;
        const written = await write(next, current, false);
        if (written === 'no_user') throw directoryErrors.userNotFound(id, 'userId');
        return written === 'written' ? claim : AGAIN;
      });
    },

    async listUsersDueForSync(now, request) {
      const nowMs = directoryInput.instant('listUsersDueForSync', now);
      const { limit, after } = directoryInput.page(request, ['number', 'string']);
      // The index holds enabled schedules keyed by next allowed time; the day budget (spent only
      // with a clock behind the stored day, see decideSyncClaim) is checked on each one read.
      const due = await readDueSchedules(ctx, nowMs, after, limit === undefined ? Infinity : limit + 1, (schedule) => isDueForSync(schedule, nowMs));
      return pageFrom(due, limit, (schedule) => [nextAllowedMs(schedule), schedule.userId]);
    },
  };
}
