import { parseWith } from '@sagasync/api';
import { LibraryRecordsSchema, normaliseSeriesTitle, pageImportRecords, repeatedSeriesKeys, SagaSyncError, type LibraryRecords } from '@sagasync/core';
import * as z from 'zod';
import type { LambdaRuntime } from '../runtime/context.js';
import { parseInput, findJob, JobInputSchema, runTask } from './task.js';
import { readImportInput, readImportPlan, writeChunk, writeImportPlan, type ImportPlan } from './staging.js';

/**
 * A chunk's records at most: a few hundred titles, a minute or less of DynamoDB writes, and one
 * series lookup of a few catalogue calls. (The import route takes at most 10 MB, so a job has at
 * most ~40 chunks: well within a Map state's history.)
 */
export const CHUNK_BYTES = 256 * 1024;

/** An import job's input: the import route's body (as `@sagasync/api`'s job work reads it). */
export const ImportJobInputSchema = z.object({ records: LibraryRecordsSchema, source: z.string().nullable().optional(), commit: z.boolean() });

export interface StageOutput {
  /** The chunk numbers, 0 to n-1: the Map state's items. */
  chunks: number[];
  commit: boolean;
  titles: number;
  series: number;
  progress: number;
}

/** Series nodes a page's records name: keys and normalised names (how pages are grouped). */
function seriesNodes(page: LibraryRecords): Set<string> {
  const nodes = new Set<string>();
  const add = (key: string, title: string) => {
    nodes.add(`k:${key}`);
    const name = key.startsWith('title:') ? key.slice('title:'.length) : normaliseSeriesTitle(title);
    if (name !== '') nodes.add(`n:${name}`);
  };
  for (const t of page.titles) for (const m of t.series) add(m.seriesKey, m.seriesTitle);
  for (const s of page.series) add(s.key, s.title);
  return nodes;
}

/**
 * Which earlier chunk each chunk must follow: pages are whole groups of series, except the parts
 * of a group larger than a page, which share its series and rely on the store for what an
 * earlier part wrote. Each part follows the last earlier chunk it shares a series with.
 */
export function chunkOrder(pages: readonly LibraryRecords[]): (number | null)[] {
  const lastWith = new Map<string, number>();
  return pages.map((page, index) => {
    let after: number | null = null;
    for (const node of seriesNodes(page)) {
      const earlier = lastWith.get(node);
      if (earlier !== undefined && (after === null || earlier > after)) after = earlier;
      lastWith.set(node, index);
    }
    return after;
  });
}

const outputOf = (plan: ImportPlan): StageOutput => ({
  chunks: Array.from({ length: plan.chunks }, (_, i) => i),
  commit: plan.commit,
  titles: plan.titles,
  series: plan.series,
  progress: plan.progress,
});

/**
 * Validate and stage: reads the job's staged input, validates it as the import route's job does
 * (a bad library fails the job with `invalid_input` naming the field, and nothing is written),
 * splits the records into chunks (core's `pageImportRecords`: each a self-contained page, the same
 * input always the same chunks) and stages each chunk, then the plan. Run again, it finds the plan
 * and answers the same.
 */
export async function stageImport(runtime: LambdaRuntime, input: unknown): Promise<StageOutput> {
  const { ownerId, jobId } = parseInput(JobInputSchema, input, 'import-stage');
  return runTask(runtime, 'import-stage', { ownerId, jobId }, async () => {
    const deps = { storage: runtime.storage, clock: runtime.clock };
    const staged = await readImportPlan(deps, ownerId, jobId);
    if (staged) return outputOf(staged);
    const job = await findJob(runtime, ownerId, jobId);
    if (!job) throw new SagaSyncError('not_found', `job ${jobId} not found`, { details: { location: 'jobId' } });
    if (job.kind !== 'import') throw new SagaSyncError('invalid_input', `job ${jobId} is a ${job.kind} job, not an import`, { details: { location: 'jobId' } });
    const raw = await readImportInput(deps, ownerId, jobId);
    if (raw === null) throw new SagaSyncError('not_found', `the input of job ${jobId} was not staged, or is older than a day`, { details: { location: 'jobId' } });
    const { records, source, commit } = parseWith(ImportJobInputSchema, raw, 'job');

    const pages = pageImportRecords(records, CHUNK_BYTES);
    const order = chunkOrder(pages);
    const seen = new Set<string>();
    for (const [index, page] of pages.entries()) {
      await writeChunk(deps, ownerId, jobId, index, { records: page, after: order[index] ?? null, repeatedSeries: repeatedSeriesKeys(page, seen) });
    }
    // The plan last: once it is there, every chunk is.
    const plan: ImportPlan = { commit, source: source ?? null, chunks: pages.length, titles: records.titles.length, series: records.series.length, progress: records.progress.length };
    await writeImportPlan(deps, ownerId, jobId, plan);
    return outputOf(plan);
  });
}
