import { newId, nowIso } from '@sagasync/core';
import { errorResponse } from '../errors/error-table.js';
import type { ApiContext, JobRunner } from '../http/context.js';
import { saveJob, type Job } from './job.js';
import { runJobWork } from './job-work.js';

export type { JobRunner } from '../http/context.js';

export interface InProcessJobRunner extends JobRunner {
  /** Resolves when every job started so far has finished: for a graceful shutdown, and tests. */
  drain(): Promise<void>;
}

/** Runs each job in this process after answering; its state is saved when it starts and ends. */
export function createInProcessJobRunner(): InProcessJobRunner {
  const running = new Set<Promise<void>>();
  return {
    async start(ctx, kind, input) {
      const now = nowIso(ctx);
      const job: Job = { id: newId(Date.parse(now)), kind, state: 'running', createdAt: now, updatedAt: now, result: null, error: null };
      await saveJob(ctx, job);
      const work: Promise<void> = finish(ctx, job, input).then(
        () => undefined,
        () => undefined,
      );
      void work.finally(() => running.delete(work));
      running.add(work);
      return job;
    },
    async drain() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

/** Runs each job before `start` returns, so the 202 already holds the finished job: for the CLI. */
export function createInlineJobRunner(): JobRunner {
  return {
    async start(ctx, kind, input) {
      const now = nowIso(ctx);
      const job: Job = { id: newId(Date.parse(now)), kind, state: 'running', createdAt: now, updatedAt: now, result: null, error: null };
      await saveJob(ctx, job);
      return finish(ctx, job, input);
    },
  };
}

async function finish(ctx: ApiContext, job: Job, input: unknown): Promise<Job> {
  let done: Job;
  try {
    const result = await runJobWork(ctx, job.kind, input);
    done = { ...job, state: 'succeeded', result: result ?? null, updatedAt: nowIso(ctx) };
  } catch (error) {
    done = { ...job, state: 'failed', error: errorResponse(error).body.error, updatedAt: nowIso(ctx) };
  }
  try {
    await saveJob(ctx, done);
  } catch (error) {
    ctx.log?.error('could not save a finished job', { job: job.id, error: error instanceof Error ? error.message : String(error) });
  }
  return done;
}
