import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { createInlineJobRunner, saveJob, type Job, type JobRunner } from '@sagasync/api';
import { newId, nowIso, SagaSyncError } from '@sagasync/core';
import { stageImportInput } from '../workflows/staging.js';

/** Starts the import workflow; tests pass a function that runs the definition locally. */
export type StartImport = (input: { ownerId: string; jobId: string }) => Promise<void>;

/** `StartExecution` on the import state machine, named after the job so a retried start starts nothing new. */
export function startImportExecution(stateMachineArn: string, client: SFNClient = new SFNClient({})): StartImport {
  return async ({ ownerId, jobId }) => {
    try {
      await client.send(new StartExecutionCommand({ stateMachineArn, name: jobId, input: JSON.stringify({ ownerId, jobId }) }));
    } catch (error) {
      // The same job started already (a retried request): that execution is the job's.
      if (error instanceof ExecutionAlreadyExists) return;
      throw error;
    }
  };
}

/**
 * The Lambda host's job runner. An import is staged in the owner's store and run by the import
 * workflow (Step Functions), so the 202 answers at once and no state carries the library; the
 * job's record says how it goes (`GET /api/jobs/:id`). Other kinds are short enough to run before
 * the answer, within API Gateway's 30 s.
 */
export function createStepFunctionsJobRunner(options: { startImport: StartImport | null }): JobRunner {
  const inline = createInlineJobRunner();
  return {
    // Every committed import is a job here: API Gateway gives a request 30 s.
    inlineImportMaxTitles: 0,
    async start(ctx, kind, input) {
      if (kind !== 'import') return inline.start(ctx, kind, input);
      if (!options.startImport) throw new SagaSyncError('config_missing', 'this deployment has no import workflow (SAGASYNC_IMPORT_STATE_MACHINE_ARN)', { details: { location: 'import' } });
      const now = nowIso(ctx);
      const job: Job = { id: newId(Date.parse(now)), kind, state: 'running', createdAt: now, updatedAt: now, result: null, error: null };
      await stageImportInput({ storage: ctx.storage, clock: () => new Date(now) }, ctx.ownerId, job.id, input);
      await saveJob(ctx, job);
      await options.startImport({ ownerId: ctx.ownerId, jobId: job.id });
      return job;
    },
  };
}
