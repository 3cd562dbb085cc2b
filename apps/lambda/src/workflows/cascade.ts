import { importRunCounts, recomputeSeries, SagaSyncError, syncRunOperation, type UseCaseContext } from '@sagasync/core';
import type { LambdaRuntime } from '../runtime/context.js';
import { ChunkAnswerSchema, mergeChunkAnswers, type ChunkAnswer } from './import-answer.js';
import { importRunId, readChunkAnswer, readChunkDone, requireImportPlan, writeImportResult } from './staging.js';
import { findJob, JobInputSchema, ownerContext, parseInput, runTask } from './task.js';

type Counts = { created: number; updated: number; unchanged: number };

export interface CascadeOutput {
  chunks: number;
  titles: Counts;
  series: Counts;
  progress: Counts;
  /** What the series recompute changed (null for a preview, which writes nothing). */
  recomputed: { created: number; updated: number; removed: number; merged: number } | null;
}

/**
 * After every chunk: recomputes the series from the titles (core's `recomputeSeries`: a recompute
 * of what is stored, so running it again changes nothing), rewrites the import's sync-run row with
 * the whole import's counts (one row, the job's run id), and stages the merged answer for the job.
 * A preview only merges the answers.
 */
export async function cascadeImport(runtime: LambdaRuntime, input: unknown): Promise<CascadeOutput> {
  const { ownerId, jobId } = parseInput(JobInputSchema, input, 'import-cascade');
  return runTask(runtime, 'import-cascade', { ownerId, jobId }, async () => {
    const deps = { storage: runtime.storage, clock: runtime.clock };
    const plan = await requireImportPlan(deps, ownerId, jobId);
    const parts: ChunkAnswer[] = [];
    for (let chunk = 0; chunk < plan.chunks; chunk++) {
      const done = await readChunkDone(deps, ownerId, jobId, chunk);
      if (!done) throw new SagaSyncError('internal', `chunk ${chunk} of job ${jobId} was not imported`);
      const parsed = ChunkAnswerSchema.safeParse(await readChunkAnswer(deps, ownerId, jobId, chunk, done.run));
      if (!parsed.success) throw new SagaSyncError('not_found', `the answer of chunk ${chunk} of job ${jobId} is gone (older than a day?)`, { details: { location: 'chunk' } });
      parts.push(parsed.data);
    }
    const runId = importRunId(jobId);
    const answer = mergeChunkAnswers(parts, plan.commit ? runId : null);
    const ctx = ownerContext(runtime, ownerId);
    let recomputed: CascadeOutput['recomputed'] = null;
    if (plan.commit) {
      const { created, updated, removed, merged } = await recomputeSeries(ctx);
      recomputed = { created, updated, removed, merged };
      const job = await findJob(runtime, ownerId, jobId);
      await writeImportRun(ctx, runId, plan.source, job?.createdAt ?? runtime.clock().toISOString(), answer.summary);
    }
    await writeImportResult(deps, ownerId, jobId, answer);
    const { titles, series, progress } = answer.summary;
    return { chunks: plan.chunks, titles, series, progress, recomputed };
  });
}

/** The import's sync-run row with the whole import's counts, as one `importLibrary` would write it. */
async function writeImportRun(ctx: UseCaseContext, runId: string, source: string | null, startedAt: string, summary: { titles: Counts; series: Counts; progress: Counts }): Promise<void> {
  const row = syncRunOperation(ctx, { kind: 'import', source, startedAt, counts: importRunCounts(summary) });
  await ctx.storage.applyBatch(ctx.ownerId, [{ ...row, value: { ...row.value, id: runId } }]);
}
