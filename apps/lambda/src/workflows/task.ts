import { loadJob, saveJob, type Job } from '@sagasync/api';
import { OwnerIdSchema, SagaSyncError, type UseCaseContext } from '@sagasync/core';
import * as z from 'zod';
import type { LambdaRuntime } from '../runtime/context.js';
import { jobErrorOf, toWorkflowError, WorkflowError, type JobError } from './errors.js';

/** What every import task is given: whose import, and which job. */
export const JobInputSchema = z.object({ ownerId: OwnerIdSchema, jobId: z.string().min(1).max(100) });

/** A chunk's task: the job and the chunk number (what the Map state iterates over). */
export const ChunkInputSchema = JobInputSchema.extend({ chunk: z.number().int().nonnegative() });

/** The use-case context of one owner on the runtime's stores. */
export function ownerContext(runtime: LambdaRuntime, ownerId: string): UseCaseContext {
  return { storage: runtime.storage, ownerId, clock: runtime.clock, log: runtime.log };
}

/** A task's input, validated: a state that passes something else is a bug in the definition, not retried. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, task: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const location = ['input', ...(issue?.path ?? []).map(String)].join('.');
  throw new WorkflowError('invalid_input', `${task}: ${location}: ${issue?.message ?? 'invalid'}`, { retryable: false, location });
}

/** The job, or null when it is gone (older than a week) or never was. */
export async function findJob(runtime: LambdaRuntime, ownerId: string, jobId: string): Promise<Job | null> {
  try {
    return await loadJob(ownerContext(runtime, ownerId), jobId, runtime.clock());
  } catch (error) {
    if (SagaSyncError.isInstance(error) && error.code === 'not_found') return null;
    throw error;
  }
}

/** Marks a running job failed with `error` (a job already finished keeps its end). Safe to repeat. */
export async function failJob(runtime: LambdaRuntime, ownerId: string, jobId: string, error: JobError): Promise<Job | null> {
  const job = await findJob(runtime, ownerId, jobId);
  if (!job || job.state !== 'running') return job;
  const failed: Job = { ...job, state: 'failed', error, updatedAt: runtime.clock().toISOString() };
  await saveJob(ownerContext(runtime, ownerId), failed);
  return failed;
}

/**
 * Runs a task's work: errors become `WorkflowError`s (retryable ones are named `SagaSync.Retryable`
 * for the state's Retry), and a failure no retry can mend is recorded on the job at once, with its
 * code, message and location, before the state machine's Catch runs `record-failure`.
 */
export async function runTask<T>(runtime: LambdaRuntime, task: string, job: { ownerId: string; jobId: string } | null, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    const output = await work();
    runtime.log.info(`${task} done`, { task, ...(job ?? {}), ms: Date.now() - started });
    return output;
  } catch (caught) {
    const error = toWorkflowError(caught);
    runtime.log[error.retryable ? 'warn' : 'error'](`${task} failed`, { task, ...(job ?? {}), error: error.name, message: error.message });
    if (!error.retryable && job) {
      await failJob(runtime, job.ownerId, job.jobId, jobErrorOf(error)).catch((recordError: unknown) => {
        runtime.log.warn('could not record the failure on the job', { task, ...job, error: recordError instanceof Error ? recordError.message : String(recordError) });
      });
    }
    throw error;
  }
}
