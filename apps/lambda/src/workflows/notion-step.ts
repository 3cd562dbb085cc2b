import { createHash } from 'node:crypto';
import { OwnerIdSchema } from '@sagasync/core';
import { readNotionConnection } from '@sagasync/host';
import { loadDatabases, pushToNotion, type PushResult } from '@sagasync/notion-mirror';
import * as z from 'zod';
import type { LambdaRuntime } from '../runtime/context.js';
import { completeImportJob } from './complete-job.js';
import { IMPORTED_BUT, toWorkflowError, WorkflowError } from './errors.js';
import { STAGING_TTL_MS } from './pieces.js';
import { KINDS } from './staging.js';
import { ownerContext, parseInput, runTask } from './task.js';

/**
 * The Notion step's input: the owner, the cursor of the step before (none to start), and for the
 * import workflow its job (ended when the mirror is done) and whether the import was committed.
 */
const NotionStepInputSchema = z.object({
  ownerId: OwnerIdSchema,
  jobId: z.string().min(1).max(100).optional(),
  cursor: z.string().min(1).nullable().optional(),
  commit: z.boolean().optional(),
});

export const NotionStepOutputSchema = z.object({
  /** The Choice state loops while this is false, passing `cursor` back. */
  done: z.boolean(),
  cursor: z.string().nullable(),
  /** Why nothing was mirrored: `preview`, `notion_not_configured` (no databases set up), `no_notion_token`; null when it ran. */
  skipped: z.string().nullable(),
  writes: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  failed: z.number().int(),
});
export type NotionStepOutput = z.infer<typeof NotionStepOutputSchema>;

export interface NotionStepOptions {
  /** Time left before the function's timeout (Lambda's `getRemainingTimeInMillis()`). */
  remainingMs?: number;
  /** Notion's rate for this deployment's integration. Default 3 a second, Notion's limit. */
  requestsPerSecond?: number;
  /** Stop after this many page writes (tests, to make the loop go round). */
  maxWrites?: number;
}

/** Kept back from the function's time left, to save the cursor and answer. */
const DEADLINE_MARGIN_MS = 30_000;
/** The step's budget when the caller does not say (a 5-minute function less the margin). */
const DEFAULT_BUDGET_MS = 4 * 60_000;

const skipped = (reason: string): NotionStepOutput => ({ done: true, cursor: null, skipped: reason, writes: 0, created: 0, updated: 0, failed: 0 });

/**
 * One step of the Notion mirror: a push (@sagasync/notion-mirror's `pushToNotion`) until a
 * deadline under the function's timeout, answering `done` and the cursor to continue with. The
 * push holds the owner's push lease (a second push at once gets `store_locked`, retried by the
 * state), stores each page's mirror record right after its Notion write and, on a retry whose
 * cursor the store no longer confirms, scans Notion again and adopts pages a lost answer left, so
 * a repeated step does not create a page twice. Within an import (`jobId`), each step's answer is
 * kept by its cursor, so the same step run again answers the same without pushing; the last step
 * ends the job. Skipped (done) for a preview, or when the owner has no Notion set-up.
 */
export async function notionStep(runtime: LambdaRuntime, input: unknown, options: NotionStepOptions = {}): Promise<NotionStepOutput> {
  const { ownerId, jobId, cursor, commit } = parseInput(NotionStepInputSchema, input, 'notion-mirror');
  return runTask(runtime, 'notion-mirror', jobId ? { ownerId, jobId } : null, async () => {
    const now = runtime.clock();
    const answerKey = jobId ? `${jobId}/${createHash('sha256').update(cursor ?? '').digest('hex').slice(0, 32)}` : null;
    if (answerKey) {
      const kept = await runtime.storage.getExpiring(ownerId, KINDS.notion, answerKey, now);
      const parsed = kept ? NotionStepOutputSchema.safeParse(kept.value) : null;
      if (parsed?.success) {
        if (parsed.data.done && jobId) await completeImportJob(runtime, ownerId, jobId);
        return parsed.data;
      }
    }

    let output: NotionStepOutput;
    // The user's own token when they stored one (sealed, as on the server), else the deployment's.
    const token = commit === false ? null : ((await readNotionConnection(runtime.storage, runtime.sealer, ownerId))?.token ?? runtime.secrets.notionToken);
    if (commit === false) output = skipped('preview');
    else if (!token) output = skipped('no_notion_token');
    else if (!(await loadDatabases(runtime.storage, ownerId))) output = skipped('notion_not_configured');
    else {
      const budget = options.remainingMs !== undefined ? Math.max(1_000, options.remainingMs - DEADLINE_MARGIN_MS) : DEFAULT_BUDGET_MS;
      let result: PushResult;
      try {
        result = await pushToNotion(
          {
            ...ownerContext(runtime, ownerId),
            notion: { token, requestsPerSecond: options.requestsPerSecond ?? 3, ...(runtime.env.SAGASYNC_NOTION_API_URL ? { baseUrl: runtime.env.SAGASYNC_NOTION_API_URL } : {}) },
          },
          { deadline: new Date(now.getTime() + budget), cursor: cursor ?? null, ...(options.maxWrites !== undefined ? { maxWrites: options.maxWrites } : {}) },
        );
      } catch (error) {
        const failure = toWorkflowError(error);
        // The job's error says the import itself is in.
        if (failure.retryable || !jobId) throw failure;
        throw new WorkflowError(failure.code, `${IMPORTED_BUT}${failure.message}`, { retryable: false, ...(failure.location ? { location: failure.location } : {}), cause: error });
      }
      const sum = (k: 'created' | 'updated' | 'failed') => result.books[k] + result.series[k];
      output = { done: result.done, cursor: result.cursor, skipped: null, writes: result.writes, created: sum('created'), updated: sum('updated'), failed: sum('failed') };
    }

    if (answerKey) {
      const { current } = await runtime.storage.putExpiring(
        ownerId,
        { kind: KINDS.notion, key: answerKey, value: output, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + STAGING_TTL_MS).toISOString() },
        { ifAbsent: true, now },
      );
      output = NotionStepOutputSchema.parse(current.value);
    }
    if (output.done && jobId) await completeImportJob(runtime, ownerId, jobId);
    return output;
  });
}
