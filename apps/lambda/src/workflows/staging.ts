import { LibraryRecordsSchema, SagaSyncError, type LibraryRecords } from '@sagasync/core';
import * as z from 'zod';
import { getPieces, putPieces, STAGING_TTL_MS, type StagingDeps } from './pieces.js';

export type { StagingDeps } from './pieces.js';

/**
 * What the import workflow keeps between its states, as expiring records of the job's owner (a day,
 * then DynamoDB's TTL removes them): states pass the owner, the job and chunk numbers only.
 *
 * - `import-input` `<jobId>/<n>`: the import route's body as it came, in pieces (`stageImportInput`).
 * - `import-plan` `<jobId>`: the chunking, written by the stage task once the input is valid.
 * - `import-chunk` `<jobId>/<chunk>/<n>`: one chunk's records (a self-contained page).
 * - `import-lookup` `<jobId>/<chunk>/<n>`: the series the lookup found for a chunk, as records.
 * - `import-chunk-claim` `<jobId>/<chunk>`: the run importing a chunk (45 s, renewed while it runs).
 * - `import-chunk-done` `<jobId>/<chunk>`: first writer wins; names the answer of the run that won.
 * - `import-chunk-answer` `<jobId>/<chunk>/<run>/<n>`: a chunk's import answer.
 * - `import-result` `<jobId>/<n>`: the whole import's answer, for the job's `result`.
 * - `import-notion` `<jobId>/<cursor>`: a Notion step's answer, so a step run again answers the same.
 */
export const KINDS = {
  input: 'import-input',
  plan: 'import-plan',
  chunk: 'import-chunk',
  lookup: 'import-lookup',
  claim: 'import-chunk-claim',
  done: 'import-chunk-done',
  answer: 'import-chunk-answer',
  result: 'import-result',
  notion: 'import-notion',
} as const;

/**
 * Stages an import job's input (the import route's body, `{records, source?, commit}`, not yet
 * validated) for the workflow: as pieces of at most 300 KB of JSON, kind `import-input`, keys
 * `<jobId>/0`, `<jobId>/1`, ... The HTTP handler's job runner calls this before it starts the
 * execution (`{ownerId, jobId}`). Staging the same input again writes the same pieces.
 */
export async function stageImportInput(deps: StagingDeps, ownerId: string, jobId: string, input: unknown): Promise<void> {
  if (input === undefined) throw new SagaSyncError('invalid_input', 'an import job needs a body', { details: { location: 'body' } });
  await putPieces(deps, ownerId, KINDS.input, jobId, input);
}

/** The staged input of a job, as it came; null when it was never staged or has expired. */
export function readImportInput(deps: StagingDeps, ownerId: string, jobId: string): Promise<unknown> {
  return getPieces(deps, ownerId, KINDS.input, jobId);
}

/** How the stage task split the import: the rest of the workflow reads it. */
export const ImportPlanSchema = z.object({
  commit: z.boolean(),
  source: z.string().nullable(),
  chunks: z.number().int().nonnegative(),
  titles: z.number().int().nonnegative(),
  series: z.number().int().nonnegative(),
  progress: z.number().int().nonnegative(),
});
export type ImportPlan = z.infer<typeof ImportPlanSchema>;

/** One chunk as staged: its records, the chunk it must follow, and the series an earlier chunk planned already. */
export const StagedChunkSchema = z.object({
  records: LibraryRecordsSchema,
  /** A part of a group of series larger than a chunk relies on the store for the earlier part: it waits for it. */
  after: z.number().int().nonnegative().nullable(),
  /** Series keys an earlier chunk planned already (counted once in the answer, as the CLI's pages are). */
  repeatedSeries: z.array(z.string()),
});
export type StagedChunk = z.infer<typeof StagedChunkSchema>;

const chunkKey = (jobId: string, chunk: number) => `${jobId}/${chunk}`;

function expiring(deps: StagingDeps, kind: string, key: string, value: unknown) {
  const now = deps.clock();
  return { record: { kind, key, value: value as never, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + STAGING_TTL_MS).toISOString() }, now };
}

export async function writeImportPlan(deps: StagingDeps, ownerId: string, jobId: string, plan: ImportPlan): Promise<void> {
  const { record, now } = expiring(deps, KINDS.plan, jobId, plan);
  await deps.storage.putExpiring(ownerId, record, { now });
}

export async function readImportPlan(deps: StagingDeps, ownerId: string, jobId: string): Promise<ImportPlan | null> {
  const record = await deps.storage.getExpiring(ownerId, KINDS.plan, jobId, deps.clock());
  const parsed = record ? ImportPlanSchema.safeParse(record.value) : null;
  return parsed?.success ? parsed.data : null;
}

/** The plan, or `not_found` (the stage task did not finish, or the staging expired). */
export async function requireImportPlan(deps: StagingDeps, ownerId: string, jobId: string): Promise<ImportPlan> {
  const plan = await readImportPlan(deps, ownerId, jobId);
  if (!plan) throw new SagaSyncError('not_found', `the staged import of job ${jobId} is gone (not staged, or older than a day)`, { details: { location: 'jobId' } });
  return plan;
}

export async function writeChunk(deps: StagingDeps, ownerId: string, jobId: string, chunk: number, staged: StagedChunk): Promise<void> {
  await putPieces(deps, ownerId, KINDS.chunk, chunkKey(jobId, chunk), staged);
}

export async function readChunk(deps: StagingDeps, ownerId: string, jobId: string, chunk: number): Promise<StagedChunk> {
  const parsed = StagedChunkSchema.safeParse(await getPieces(deps, ownerId, KINDS.chunk, chunkKey(jobId, chunk)));
  if (!parsed.success) throw new SagaSyncError('not_found', `chunk ${chunk} of job ${jobId} is not staged (or has expired)`, { details: { location: 'chunk' } });
  return parsed.data;
}

export async function writeLookup(deps: StagingDeps, ownerId: string, jobId: string, chunk: number, records: LibraryRecords): Promise<void> {
  await putPieces(deps, ownerId, KINDS.lookup, chunkKey(jobId, chunk), records);
}

/** What the series lookup added for a chunk; null when it found nothing (or did not run). */
export async function readLookup(deps: StagingDeps, ownerId: string, jobId: string, chunk: number): Promise<LibraryRecords | null> {
  const parsed = LibraryRecordsSchema.safeParse(await getPieces(deps, ownerId, KINDS.lookup, chunkKey(jobId, chunk)));
  return parsed.success ? parsed.data : null;
}

const CountsSchema = z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() });
export const ChunkDoneSchema = z.object({
  /** The run of the upsert task whose answer counts (the first to finish). */
  run: z.string(),
  titles: CountsSchema,
  series: CountsSchema,
  progress: CountsSchema,
});
export type ChunkDone = z.infer<typeof ChunkDoneSchema>;

export async function readChunkDone(deps: StagingDeps, ownerId: string, jobId: string, chunk: number): Promise<ChunkDone | null> {
  const record = await deps.storage.getExpiring(ownerId, KINDS.done, chunkKey(jobId, chunk), deps.clock());
  const parsed = record ? ChunkDoneSchema.safeParse(record.value) : null;
  return parsed?.success ? parsed.data : null;
}

/** Marks a chunk done unless a run marked it first; returns the marker that stays. */
export async function markChunkDone(deps: StagingDeps, ownerId: string, jobId: string, chunk: number, done: ChunkDone): Promise<ChunkDone> {
  const { record, now } = expiring(deps, KINDS.done, chunkKey(jobId, chunk), done);
  const { current } = await deps.storage.putExpiring(ownerId, record, { ifAbsent: true, now });
  return ChunkDoneSchema.parse(current.value);
}

export async function writeChunkAnswer(deps: StagingDeps, ownerId: string, jobId: string, chunk: number, run: string, answer: unknown): Promise<void> {
  await putPieces(deps, ownerId, KINDS.answer, `${chunkKey(jobId, chunk)}/${run}`, answer);
}

export function readChunkAnswer(deps: StagingDeps, ownerId: string, jobId: string, chunk: number, run: string): Promise<unknown> {
  return getPieces(deps, ownerId, KINDS.answer, `${chunkKey(jobId, chunk)}/${run}`);
}

export async function writeImportResult(deps: StagingDeps, ownerId: string, jobId: string, answer: unknown): Promise<void> {
  await putPieces(deps, ownerId, KINDS.result, jobId, answer);
}

export function readImportResult(deps: StagingDeps, ownerId: string, jobId: string): Promise<unknown> {
  return getPieces(deps, ownerId, KINDS.result, jobId);
}

/**
 * The sync-run id of a job's import: every chunk writes its run row under it and the cascade
 * rewrites it with the totals, so the log holds one row per import, as the CLI's does. The job id
 * is a ULID already (the time the job was made), unique to the job.
 */
export const importRunId = (jobId: string): string => jobId;
