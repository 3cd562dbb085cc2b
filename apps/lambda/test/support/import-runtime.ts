import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { saveJob, type Job } from '@sagasync/api';
import { newId, silentLogger, type Logger } from '@sagasync/core';
import { createLambdaRuntime, type LambdaRuntime } from '../../src/runtime/context.js';
import { cascadeImport } from '../../src/workflows/cascade.js';
import { lookupSeries } from '../../src/workflows/lookup-series.js';
import { notionStep, type NotionStepOptions } from '../../src/workflows/notion-step.js';
import { recordFailure } from '../../src/workflows/record-failure.js';
import { stageImport } from '../../src/workflows/stage-import.js';
import { stageImportInput } from '../../src/workflows/staging.js';
import { upsertChunk } from '../../src/workflows/upsert-chunk.js';
import type { TaskFunction } from './local-workflow.js';

/** The SagaSync secret of every test runtime (32 bytes, base64). */
export const TEST_SECRET = Buffer.alloc(32, 7).toString('base64');

/** A low-level client on a DynamoDB Local (dummy credentials; nothing leaves loopback). */
export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 3 });
}

export interface TestRuntimeOptions {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  audibleUrl?: string;
  notionUrl?: string;
  notionToken?: string | null;
  clock?: () => Date;
  log?: Logger;
}

/** A Lambda runtime on DynamoDB Local and the fakes, with fixed secrets (no Secrets Manager). */
export function testRuntime(options: TestRuntimeOptions): Promise<LambdaRuntime> {
  return createLambdaRuntime({
    env: {
      SAGASYNC_TABLE: options.tableName,
      SAGASYNC_STAGE: 'test',
      LOG_LEVEL: 'silent',
      ...(options.audibleUrl ? { SAGASYNC_AUDIBLE_API_URL: options.audibleUrl } : {}),
      ...(options.notionUrl ? { SAGASYNC_NOTION_API_URL: options.notionUrl } : {}),
    },
    documentClient: options.documentClient,
    secrets: { sagasyncSecret: TEST_SECRET, notionToken: options.notionToken ?? null },
    ...(options.clock ? { clock: options.clock } : {}),
    log: options.log ?? silentLogger,
  });
}

/** The import workflow's task functions on `runtime`, by the placeholder each Task state invokes. */
export function importTasks(runtime: LambdaRuntime, options: { notion?: NotionStepOptions } = {}): Record<string, TaskFunction> {
  return {
    ImportStageFunctionArn: (input) => stageImport(runtime, input),
    ImportLookupFunctionArn: (input) => lookupSeries(runtime, input),
    ImportUpsertFunctionArn: (input) => upsertChunk(runtime, input),
    ImportCascadeFunctionArn: (input) => cascadeImport(runtime, input),
    NotionMirrorFunctionArn: (input) => notionStep(runtime, input, options.notion),
    ImportFailedFunctionArn: (input) => recordFailure(runtime, input),
  };
}

/**
 * What the HTTP API does for an import job on AWS: saves the job (running), stages its input, and
 * would start the execution with `{ownerId, jobId}` (returned here for the local run).
 */
export async function startImportJob(runtime: LambdaRuntime, ownerId: string, input: unknown): Promise<{ job: Job; execution: { ownerId: string; jobId: string } }> {
  const now = runtime.clock().toISOString();
  const job: Job = { id: newId(Date.parse(now)), kind: 'import', state: 'running', createdAt: now, updatedAt: now, result: null, error: null };
  await saveJob({ storage: runtime.storage, ownerId }, job);
  await stageImportInput({ storage: runtime.storage, clock: runtime.clock }, ownerId, job.id, input);
  return { job, execution: { ownerId, jobId: job.id } };
}
