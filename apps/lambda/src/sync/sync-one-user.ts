import { syncDueUser, type HeldLease, type UserSyncOutcome } from '@sagasync/host';
import * as z from 'zod';
import type { LambdaRuntime } from '../runtime/context.js';
import { LAMBDA_SYNC_LIMITS, lambdaServices } from '../runtime/services.js';
import { toWorkflowError } from '../workflows/errors.js';

const InputSchema = z.object({
  userId: z.string().min(1),
  /** The run's instant (ListDueUsers' `at`): the lease holder, so a retried task is the same holder and takes its own lease back. */
  run: z.string().min(1),
});

/** Notion's mirror after a sync runs at most this often per user. */
const NOTION_MIN_INTERVAL_MS = 15 * 60_000;

/**
 * One user's scheduled sync, as the server runs it (`syncDueUser` of `@sagasync/host`): the owner's
 * interval and backoff, the user's lease, the directory's atomic claim against the minimum interval
 * and the daily cap (conditional writes in DynamoDB), the Audible sync, then the Notion mirror. Run
 * twice, the second finds the claim taken (the interval not reached) and skips: one sync counted.
 */
export async function syncOneUser(runtime: LambdaRuntime, event: unknown): Promise<UserSyncOutcome> {
  try {
    const { userId, run } = InputSchema.parse(event);
    const schedule = await runtime.directory.getSchedule(userId);
    if (!schedule) return { userId, outcome: 'skipped', reason: 'no_schedule' };
    const held = new Set<HeldLease>();
    const outcome = await syncDueUser(
      {
        storage: runtime.storage,
        directory: runtime.directory,
        services: lambdaServices(runtime),
        clock: runtime.clock,
        log: runtime.log,
        limits: LAMBDA_SYNC_LIMITS,
        notionMinIntervalMs: NOTION_MIN_INTERVAL_MS,
        holder: `scheduled-sync:${run}`,
        held,
      },
      schedule,
    );
    runtime.log.info('scheduled Audible sync', { ...outcome });
    return outcome;
  } catch (error) {
    throw toWorkflowError(error);
  }
}
