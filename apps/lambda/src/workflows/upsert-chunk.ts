import { randomUUID } from 'node:crypto';
import { IMPORT_ANSWER_MAX_CHANGES, namedImportAnswer } from '@sagasync/api';
import { importLibrary, SagaSyncError, type LibraryRecords } from '@sagasync/core';
import * as z from 'zod';
import type { LambdaRuntime } from '../runtime/context.js';
import { importRunId, KINDS, markChunkDone, readChunk, readChunkDone, readLookup, requireImportPlan, writeChunkAnswer, type ChunkDone } from './staging.js';
import { ChunkInputSchema, ownerContext, parseInput, runTask } from './task.js';

/** The upsert's input: the chunk, and what the lookup state answered (its error, when it failed). */
const UpsertInputSchema = ChunkInputSchema.extend({ lookup: z.unknown().optional() });

export interface UpsertOutput {
  chunk: number;
  created: number;
  updated: number;
  unchanged: number;
}

/** A chunk's claim lapses this long after its holder last renewed it. */
const CLAIM_TTL_MS = 45_000;
/** How long a chunk waits for the earlier part of its series group before the state retries it. */
const WAIT_FOR_EARLIER_MS = 60_000;
const POLL_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function outputOf(chunk: number, done: ChunkDone): UpsertOutput {
  const sum = (k: 'created' | 'updated' | 'unchanged') => done.titles[k] + done.series[k] + done.progress[k];
  return { chunk, created: sum('created'), updated: sum('updated'), unchanged: sum('unchanged') };
}

/** A failed lookup, as the Map's Catch hands it over (`{Error, Cause}`); null when it answered. */
function lookupFailure(lookup: unknown): string | null {
  if (typeof lookup !== 'object' || lookup === null || !('Error' in lookup)) return null;
  return String((lookup as { Error: unknown }).Error);
}

/**
 * Upserts a chunk: its staged records and what the series lookup found go through core's
 * `importLibrary`, under the job's run id (one sync-run row for the whole import), and the chunk
 * is marked done, first writer wins, with the answer of the run that won. Run again, it finds the
 * mark and answers the same without importing; a second run while the first is still importing
 * finds the chunk claimed and fails with `store_locked`, which the state retries. (Were both to
 * import, the store would end the same: the import use case re-plans on a version conflict.)
 */
export async function upsertChunk(runtime: LambdaRuntime, input: unknown): Promise<UpsertOutput> {
  const { ownerId, jobId, chunk, lookup } = parseInput(UpsertInputSchema, input, 'import-upsert');
  return runTask(runtime, 'import-upsert', { ownerId, jobId }, async () => {
    const deps = { storage: runtime.storage, clock: runtime.clock };
    const earlier = await readChunkDone(deps, ownerId, jobId, chunk);
    if (earlier) return outputOf(chunk, earlier);
    return withChunkClaim(runtime, ownerId, jobId, chunk, async () => {
      // A run that held the claim before may have finished meanwhile.
      const finished = await readChunkDone(deps, ownerId, jobId, chunk);
      if (finished) return outputOf(chunk, finished);
      const plan = await requireImportPlan(deps, ownerId, jobId);
      const staged = await readChunk(deps, ownerId, jobId, chunk);
      if (staged.after !== null) await waitForChunk(runtime, ownerId, jobId, staged.after, chunk);

      const extra = await readLookup(deps, ownerId, jobId, chunk);
      const records: LibraryRecords = extra
        ? { titles: [...staged.records.titles, ...extra.titles], series: [...staged.records.series, ...extra.series], progress: staged.records.progress }
        : staged.records;
      const ctx = ownerContext(runtime, ownerId);
      const report = await importLibrary(ctx, records, {
        commit: plan.commit,
        source: plan.source ?? undefined,
        runId: importRunId(jobId),
        listLimit: IMPORT_ANSWER_MAX_CHANGES,
      });
      const answer = await namedImportAnswer(ctx, report, records);
      const failedLookup = lookupFailure(lookup);
      if (failedLookup) answer.notes.push(`the Audible series lookup failed (${failedLookup}), so volumes you do not own were not added for some series; import again to add them`);

      // The answer under this run's own name, then the mark naming it: a run that loses the mark
      // leaves its answer unread (it expires with the rest).
      const run = randomUUID();
      await writeChunkAnswer(deps, ownerId, jobId, chunk, run, { answer, repeatedSeries: staged.repeatedSeries });
      const done = await markChunkDone(deps, ownerId, jobId, chunk, { run, titles: report.summary.titles, series: report.summary.series, progress: report.summary.progress });
      return outputOf(chunk, done);
    });
  });
}

/**
 * Runs `work` holding the chunk's claim (an expiring record, first writer wins, renewed while the
 * work runs and deleted after it). A second run of the chunk at the same time fails with
 * `store_locked` (retried by the state, it then finds the chunk done): two imports of one chunk
 * at once would leave the same store, but each would count part of the other's writes as
 * unchanged. A run that dies leaves a claim that lapses within `CLAIM_TTL_MS`.
 */
async function withChunkClaim<T>(runtime: LambdaRuntime, ownerId: string, jobId: string, chunk: number, work: () => Promise<T>): Promise<T> {
  const holder = randomUUID();
  const key = `${jobId}/${chunk}`;
  const claim = (ifAbsent: boolean) => {
    const now = runtime.clock();
    return runtime.storage.putExpiring(
      ownerId,
      { kind: KINDS.claim, key, value: { holder }, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + CLAIM_TTL_MS).toISOString() },
      { ifAbsent, now },
    );
  };
  const { current } = await claim(true);
  if ((current.value as { holder?: unknown } | null)?.holder !== holder) {
    throw new SagaSyncError('store_locked', `chunk ${chunk} of job ${jobId} is being imported by another run`, { details: { location: 'chunk' } });
  }
  const renewal = setInterval(() => {
    claim(false).catch((error: unknown) => runtime.log.warn('could not renew the chunk claim', { jobId, chunk, error: error instanceof Error ? error.message : String(error) }));
  }, CLAIM_TTL_MS / 3);
  renewal.unref();
  try {
    return await work();
  } finally {
    clearInterval(renewal);
    await runtime.storage.applyBatch(ownerId, [{ op: 'deleteExpiring', kind: KINDS.claim, key }]).catch(() => undefined);
  }
}

async function waitForChunk(runtime: LambdaRuntime, ownerId: string, jobId: string, earlier: number, chunk: number): Promise<void> {
  const deps = { storage: runtime.storage, clock: runtime.clock };
  const giveUpAt = Date.now() + WAIT_FOR_EARLIER_MS;
  while (!(await readChunkDone(deps, ownerId, jobId, earlier))) {
    if (Date.now() >= giveUpAt) {
      throw new SagaSyncError('store_locked', `chunk ${chunk} follows chunk ${earlier} (one series group split in parts), which is not done yet`, { details: { location: 'chunk' } });
    }
    await sleep(POLL_MS);
  }
}
