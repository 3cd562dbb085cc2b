import { SagaSyncError, type ExpiringRecord, type UseCaseContext } from '@sagasync/core';
import * as z from 'zod';
import { ErrorBodySchema } from '../errors/error-table.js';

export const JOB_KINDS = ['import', 'audible_sync', 'notion_push', 'match'] as const;
export const JobKindSchema = z.enum(JOB_KINDS);
export type JobKind = z.infer<typeof JobKindSchema>;

/** Long work: `POST` answers 202 with this, and `GET /api/jobs/:id` its later states. */
export const JobSchema = z.object({
  id: z.string(),
  kind: JobKindSchema,
  state: z.enum(['running', 'succeeded', 'failed']),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The finished job's answer: the body the synchronous route would have given. */
  result: z.unknown().nullable(),
  error: ErrorBodySchema.shape.error.nullable(),
});
export type Job = z.infer<typeof JobSchema>;

/** Jobs are kept a week, as expiring records of their owner, so every read is scoped to its caller. */
export const JOB_RECORD_KIND = 'job';
export const JOB_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function jobRecord(job: Job): Omit<ExpiringRecord, 'ownerId'> {
  return {
    kind: JOB_RECORD_KIND,
    key: job.id,
    value: JSON.parse(JSON.stringify(job)) as never,
    createdAt: job.createdAt,
    expiresAt: new Date(Date.parse(job.createdAt) + JOB_TTL_MS).toISOString(),
  };
}

export async function saveJob(ctx: UseCaseContext, job: Job): Promise<void> {
  await ctx.storage.putExpiring(ctx.ownerId, jobRecord(job), { now: new Date(job.updatedAt) });
}

/** The caller's job, or `not_found` (also for another owner's job id). */
export async function loadJob(ctx: UseCaseContext, id: string, now: Date): Promise<Job> {
  const record = await ctx.storage.getExpiring(ctx.ownerId, JOB_RECORD_KIND, id, now);
  const parsed = record ? JobSchema.safeParse(record.value) : null;
  if (!parsed?.success) throw new SagaSyncError('not_found', `job ${id} not found`, { details: { location: 'id' } });
  return parsed.data;
}
