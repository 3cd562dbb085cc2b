import { ImportAnswerSchema, saveJob, type Job } from '@sagasync/api';
import { SagaSyncError } from '@sagasync/core';
import type { LambdaRuntime } from '../runtime/context.js';
import { fitAnswer } from './import-answer.js';
import { readImportResult } from './staging.js';
import { findJob, ownerContext } from './task.js';

/**
 * Ends an import job that ran through the workflow: `succeeded`, its `result` the import's answer
 * (what `POST /api/import` would have answered) as the cascade staged it. A job already finished
 * keeps its end, so doing this twice changes nothing.
 */
export async function completeImportJob(runtime: LambdaRuntime, ownerId: string, jobId: string): Promise<Job | null> {
  const job = await findJob(runtime, ownerId, jobId);
  if (!job || job.state !== 'running') return job;
  const parsed = ImportAnswerSchema.safeParse(await readImportResult({ storage: runtime.storage, clock: runtime.clock }, ownerId, jobId));
  if (!parsed.success) throw new SagaSyncError('not_found', `the answer of job ${jobId} is gone (older than a day?)`, { details: { location: 'jobId' } });
  const done: Job = { ...job, state: 'succeeded', result: fitAnswer(parsed.data), error: null, updatedAt: runtime.clock().toISOString() };
  await saveJob(ownerContext(runtime, ownerId), done);
  return done;
}
