import { randomUUID } from 'node:crypto';
import { SagaSyncError, type BatchOperation } from '@sagasync/core';
import { backoffMs, sleep, type RetryOptions } from '../client/retry.js';
import { conflictFromCancellation, needsRead, planBatch, READ_ATTRIBUTES, slotsOf, type BatchPlan, type Slot } from './batch-plan.js';
import { cancellationReasons, errorName } from './dynamo-errors.js';
import { keyId } from './keys.js';
import { targetOf } from './operation-targets.js';
import { SeriesHints, type Hint } from './series-hints.js';
import type { TableClient } from './table-client.js';

/** Plans of one batch before it gives up on concurrent writers (each re-reads what it conditions on). */
const MAX_PLANS = 8;

/** Cancellation reasons after which the same batch, planned again from a fresh read, may commit. */
const RETRYABLE = new Set(['None', 'ConditionalCheckFailed', 'TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);
const THROTTLED = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded']);

interface BatchWriterDeps {
  table: TableClient;
  hints: SeriesHints;
  retry?: RetryOptions;
}

type Outcome = 'committed' | 'conflicted' | 'throttled';

/**
 * Applies validated operations as ONE TransactWriteItems (see batch-plan.ts), with the series
 * hints written before and cleaned after it (see series-hints.ts):
 *
 * 1. read, strongly consistent, what the plan conditions on (BatchGetItem);
 * 2. plan one action per item, failing now on a stale `expectedVersion` of the caller's;
 * 3. take a hint sequence number and write the hints of series titles join;
 * 4. commit; a condition of ours that failed (someone wrote since step 1), a transaction
 *    conflict or throttling starts again at 1 after a backoff; a condition of the caller's is a
 *    VersionConflictError;
 * 5. delete the hints of series titles left.
 */
export async function applyOperations(deps: BatchWriterDeps, owner: string, operations: readonly BatchOperation[]): Promise<void> {
  const slots = slotsOf(operations.map((operation) => targetOf(owner, operation)));
  const toRead = slots.filter(needsRead).map((slot) => slot.key);
  let last: Outcome = 'conflicted';
  for (let attempt = 0; attempt < MAX_PLANS; attempt++) {
    if (attempt > 0) await sleep(backoffMs(attempt - 1, deps.retry));
    const read = await deps.table.batchGet('applyBatch', toRead, READ_ATTRIBUTES);
    const plan = planBatch(deps.table.tableName, slots, new Map(read.map((item) => [keyId({ pk: item.pk as string, sk: item.sk as string }), item])));
    // Appends of entries that exist and deletes of records that do not: nothing to write.
    if (plan.writes.length === 0) return;
    const joined: Hint[] = plan.titles.flatMap((title) => title.after.filter((key) => !title.before.includes(key)).map((seriesKey) => ({ asin: title.asin, seriesKey })));
    // Taken after the read (step 1), which is what makes a cleaner's delete safe; see series-hints.ts.
    const sequence = joined.length > 0 ? await deps.hints.nextSequence(owner) : SeriesHints.cleans(plan.titles) ? await deps.hints.currentSequence(owner) : 0;
    await deps.hints.write(owner, joined, sequence);
    last = await commit(deps.table, plan, deps.retry);
    if (last === 'committed') {
      if (SeriesHints.cleans(plan.titles)) await cleanAfterCommit(deps.hints, owner, plan, sequence);
      return;
    }
  }
  if (last === 'throttled') {
    throw new SagaSyncError('rate_limited', `applyBatch: DynamoDB kept throttling the transaction on ${deps.table.tableName}; try again later`, {
      details: { location: `dynamodb table ${deps.table.tableName}` },
    });
  }
  throw new SagaSyncError('version_conflict', `applyBatch: concurrent writes kept conflicting on ${deps.table.tableName}; read again and retry`, {
    details: { location: `dynamodb table ${deps.table.tableName}` },
  });
}

/**
 * Step 5. The batch is applied once its transaction committed: a failure here must not make the
 * caller think otherwise (a retry would apply it twice), and what it leaves is only hints reads
 * skip and the title's next write deletes.
 */
async function cleanAfterCommit(hints: SeriesHints, owner: string, plan: BatchPlan, sequence: number): Promise<void> {
  try {
    await hints.clean(owner, plan.titles, sequence);
  } catch {
    // Left for the next write of these titles (see above).
  }
}

/** Sends the plan's transaction; says why it should be planned again, or throws what the caller must see. */
async function commit(table: TableClient, plan: BatchPlan, retry: RetryOptions | undefined): Promise<Outcome> {
  const actions = plan.writes.map((write) => write.action);
  const token = randomUUID();
  for (let resend = 0; ; resend++) {
    try {
      await table.transactWrite('applyBatch', actions, token);
      return 'committed';
    } catch (error) {
      // An earlier send of this very transaction (the SDK resends one that timed out) is still being
      // applied: sending it again with its token answers with its outcome, where planning again
      // could apply it twice.
      if (errorName(error) === 'TransactionInProgressException' && resend + 1 < MAX_PLANS) {
        await sleep(backoffMs(resend, retry));
        continue;
      }
      return outcomeOf(error, plan);
    }
  }
}

/** Why a transaction did not commit: a conflict or throttling to plan again after, or (thrown) the caller's conflict or a real failure. */
function outcomeOf(error: unknown, plan: BatchPlan): Outcome {
  const reasons = cancellationReasons(error);
  if (reasons === null) throw error;
  reasons.forEach((reason, i) => {
    if (reason.Code === 'ConditionalCheckFailed') conflictFromCancellation(slotAt(plan, i), reason.Item);
  });
  if (!reasons.every((reason) => RETRYABLE.has(reason.Code ?? 'None'))) throw error;
  return reasons.some((reason) => THROTTLED.has(reason.Code ?? '')) ? 'throttled' : 'conflicted';
}

function slotAt(plan: BatchPlan, index: number): Slot {
  return plan.writes[index]!.slot;
}
