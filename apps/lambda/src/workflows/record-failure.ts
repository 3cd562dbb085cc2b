import { syncRunOperation } from '@sagasync/core';
import * as z from 'zod';
import type { LambdaRuntime } from '../runtime/context.js';
import { IMPORTED_BUT, jobErrorFromCaught } from './errors.js';
import { importRunId, readChunkDone, readImportPlan, readImportResult } from './staging.js';
import { failJob, JobInputSchema, ownerContext, parseInput, runTask } from './task.js';

/** What the state machine's Catch hands over (`ResultPath: $.error`): the error's name and cause. */
const FailureInputSchema = JobInputSchema.extend({
  error: z.object({ Error: z.string().optional(), Cause: z.unknown().optional() }).optional(),
});

export interface FailureOutput {
  state: 'running' | 'succeeded' | 'failed' | 'missing';
  code: string | null;
}

/**
 * The Catch of the import workflow: ends the job `failed` (a task that failed for good recorded
 * its own error on the job already; otherwise the state's error and cause, after the retries,
 * become it). When a committed import failed before its cascade, the run is logged as failed
 * under the job's run id with what the chunks done so far counted; when only the Notion mirror
 * failed, the import's run stays as the cascade logged it (the push logs its own failed run) and
 * the job's error says the library is in. Doing it twice records the same.
 */
export async function recordFailure(runtime: LambdaRuntime, input: unknown): Promise<FailureOutput> {
  const { ownerId, jobId, error } = parseInput(FailureInputSchema, input, 'import-failed');
  return runTask(runtime, 'import-failed', null, async () => {
    const deps = { storage: runtime.storage, clock: runtime.clock };
    const plan = await readImportPlan(deps, ownerId, jobId);
    // The cascade staged the answer: every record is in, only the Notion mirror failed.
    const imported = plan !== null && (await readImportResult(deps, ownerId, jobId)) !== null;
    const caught = jobErrorFromCaught(error);
    const jobError = imported && !caught.message.startsWith(IMPORTED_BUT) ? { ...caught, message: `${IMPORTED_BUT}${caught.message}` } : caught;
    const job = await failJob(runtime, ownerId, jobId, jobError);
    if (plan?.commit && !imported) {
      const counts = { created: 0, updated: 0, unchanged: 0, failed: 0 };
      for (let chunk = 0; chunk < plan.chunks; chunk++) {
        const done = await readChunkDone(deps, ownerId, jobId, chunk);
        if (!done) continue;
        for (const kind of ['titles', 'series', 'progress'] as const) {
          counts.created += done[kind].created;
          counts.updated += done[kind].updated;
          counts.unchanged += done[kind].unchanged;
        }
      }
      const ctx = ownerContext(runtime, ownerId);
      const row = syncRunOperation(ctx, {
        kind: 'import',
        source: plan.source,
        startedAt: job?.createdAt ?? runtime.clock().toISOString(),
        counts,
        error: job?.error?.message ?? jobError.message,
      });
      await runtime.storage.applyBatch(ownerId, [{ ...row, value: { ...row.value, id: importRunId(jobId) } }]);
    }
    return { state: job?.state ?? 'missing', code: job?.error?.code ?? null };
  });
}
