import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { startFakeAudible, type FakeAudible } from '@sagasync/fake-audible';
import { runServerCli } from '@sagasync/server';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHttpHandler } from '../src/http/http-handler.js';
import type { LambdaRuntime } from '../src/runtime/context.js';
import { listDueUsers } from '../src/sync/list-due-users.js';
import { syncOneUser } from '../src/sync/sync-one-user.js';
import { importTasks, suiteTable, TEST_SECRET, testRuntime } from './support/import-workflow.js';
import { loadWorkflow, runLocalWorkflow } from './support/local-workflow.js';

const table = suiteTable();

/** What API Gateway's HTTP API (payload 2.0) hands the function. */
function apiEvent(method: string, path: string, options: { token?: string; body?: string; base64?: boolean; headers?: Record<string, string>; query?: string } = {}): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = { host: 'abc123.execute-api.us-east-1.amazonaws.com', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: options.query ?? '',
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    isBase64Encoded: Boolean(options.base64),
    ...(options.body !== undefined ? { body: options.base64 ? Buffer.from(options.body).toString('base64') : options.body } : {}),
  };
}

/** `sagasync-server <args>` run in this process, pointed at the suite's table on DynamoDB Local. */
async function serverCli(args: string[], directory = `dynamodb:${table.tableName}`): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const env = {
    SAGASYNC_SECRET: TEST_SECRET,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
  };
  const saved = { ...process.env };
  // The DynamoDB client finds its endpoint and credentials in the environment, as on a laptop.
  Object.assign(process.env, env);
  try {
    const code = await runServerCli([...args, '--directory', directory], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      env,
      cwd: process.cwd(),
    });
    return { code, stdout, stderr };
  } finally {
    for (const key of Object.keys(env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

const json = (result: { body?: string }) => JSON.parse(result.body ?? 'null');

describe('the HTTP API on Lambda, users from sagasync-server, scheduled syncs from Step Functions', () => {
  let audible: FakeAudible;
  let now = new Date('2026-12-01T08:00:00.000Z');
  let runtime: LambdaRuntime;
  let http: ReturnType<typeof createHttpHandler>;
  let alice: { user: { id: string }; token: string; webhookSecret: string };
  let bob: { user: { id: string }; token: string };
  const importWorkflow = loadWorkflow('import.asl.json');

  beforeAll(async () => {
    audible = await startFakeAudible({ titles: 8, series: 2, seed: 5 });
    runtime = await testRuntime({ documentClient: table.documentClient, tableName: table.tableName, audibleUrl: audible.apiUrl, clock: () => now });
    (runtime.env as { SAGASYNC_AMAZON_API_URL?: string }).SAGASYNC_AMAZON_API_URL = audible.amazonUrl;
    // The import route's job: the import workflow, run here as Step Functions would run it.
    http = createHttpHandler(runtime, {
      startImport: async (execution) => {
        const run = await runLocalWorkflow(importWorkflow, execution, { tasks: importTasks(runtime) });
        expect(run.status, JSON.stringify(run.error)).toBe('succeeded');
      },
    });
  });
  afterAll(async () => audible?.close());

  it("manages the deployment's users with sagasync-server user ... --directory dynamodb:<table>", async () => {
    const added = await serverCli(['user', 'add', 'alice', '--json']);
    expect(added.code, added.stderr).toBe(0);
    alice = JSON.parse(added.stdout);
    bob = JSON.parse((await serverCli(['user', 'add', 'bob', '--json'])).stdout);
    const listed = await serverCli(['user', 'list', '--json']);
    expect(JSON.parse(listed.stdout).items.map((u: { name: string }) => u.name).sort()).toEqual(['alice', 'bob']);
    const bad = await serverCli(['user', 'list'], 'dynamo:table');
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error: setting --directory: "dynamo:table" is not dynamodb:<table>/) });
  });

  it('answers health, refuses a missing token, and scopes every read to the token owner', async () => {
    expect(await http(apiEvent('GET', '/health'))).toMatchObject({ statusCode: 200 });
    const anonymous = await http(apiEvent('GET', '/api/books'));
    expect(anonymous.statusCode).toBe(401);
    expect(json(anonymous)).toMatchObject({ error: { code: 'auth_failed' } });
    expect((await http(apiEvent('GET', '/api/books', { token: alice.token }))).statusCode).toBe(200);
    expect(await http(apiEvent('PATCH', '/api/books', { token: alice.token }))).toMatchObject({ statusCode: 405 });
  });

  it('answers an import with a job that the import workflow runs, and the library is the caller\'s alone', async () => {
    const titles = ['B0LAMBDA01', 'B0LAMBDA02'].map((asin, i) => ({ asin, title: `Lambda Book ${i + 1}`, subtitle: null, authors: ['A. Writer'], narrators: [], series: [], owned: true }));
    const body = JSON.stringify({ records: { titles, series: [], progress: [] }, commit: true });
    // A large body arrives base64-encoded: its bytes are what the handler reads.
    const started = await http(apiEvent('POST', '/api/import', { token: alice.token, body, base64: true }));
    expect(started.statusCode, started.body).toBe(202);
    const job = json(started);
    const finished = json(await http(apiEvent('GET', `/api/jobs/${job.id}`, { token: alice.token })));
    expect(finished).toMatchObject({ state: 'succeeded', result: { committed: true } });
    const books = json(await http(apiEvent('GET', '/api/books', { token: alice.token, query: 'limit=10' })));
    expect(books.items.map((b: { asin: string }) => b.asin).sort()).toEqual(['B0LAMBDA01', 'B0LAMBDA02']);
    expect(json(await http(apiEvent('GET', '/api/books', { token: bob.token }))).items).toEqual([]);
    expect((await http(apiEvent('GET', `/api/jobs/${job.id}`, { token: bob.token }))).statusCode).toBe(404);
  });

  it('takes a signed webhook once and refuses a replay or a forged signature', async () => {
    const body = JSON.stringify({ asin: 'B0LAMBDA01' });
    const at = new Date();
    const sign = (id: string, secret: string) => ({ 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, at, body) });
    now = at;
    const done = await http(apiEvent('POST', '/webhook/finished', { token: alice.token, body, headers: sign('msg_lambda_1', alice.webhookSecret) }));
    expect(done.statusCode, done.body).toBe(200);
    expect(json(done)).toMatchObject({ asin: 'B0LAMBDA01' });
    expect((await http(apiEvent('POST', '/webhook/finished', { token: alice.token, body, headers: sign('msg_lambda_1', alice.webhookSecret) }))).statusCode).toBe(409);
    const forged = sign('msg_lambda_2', `whsec_${Buffer.alloc(24, 9).toString('base64')}`);
    expect((await http(apiEvent('POST', '/webhook/finished', { token: alice.token, body, headers: forged }))).statusCode).toBe(401);
    // Bob's token with Alice's signature: Bob's secret is the one checked.
    expect((await http(apiEvent('POST', '/webhook/finished', { token: bob.token, body, headers: sign('msg_lambda_3', alice.webhookSecret) }))).statusCode).toBe(401);
  });

  it('syncs each signed-in user once per interval from the scheduled-sync workflow, even when every task runs twice', async () => {
    // Alice connects Audible through the HTTP API, as in a browser.
    const start = await http(apiEvent('POST', '/api/audible/auth', { token: alice.token, body: JSON.stringify({ locale: 'us' }) }));
    expect(start.statusCode, start.body).toBe(200);
    const redirect = await fetch(json(start).url, { redirect: 'manual' });
    const finish = await http(apiEvent('POST', '/api/audible/auth', { token: alice.token, body: JSON.stringify({ signInId: json(start).signInId, redirectUrl: redirect.headers.get('location') }) }));
    expect(finish.statusCode, finish.body).toBe(200);

    const workflow = loadWorkflow('scheduled-sync.asl.json');
    const tasks = { SyncFanoutFunctionArn: (input: unknown) => listDueUsers(runtime, input), SyncUserFunctionArn: (input: unknown) => syncOneUser(runtime, input) };
    const runs = async () => (await runtime.storage.listSyncRuns(alice.user.id, { kind: 'audible_sync' })).items;

    // An hour after the sign-in: Alice is due; Bob never signed in.
    now = new Date(now.getTime() + 61 * 60_000);
    const first = await runLocalWorkflow(workflow, {}, { tasks, twice: 'sequential' });
    expect(first.status, JSON.stringify(first.error)).toBe('succeeded');
    const userCalls = first.calls.filter((c) => c.placeholder === 'SyncUserFunctionArn');
    expect(userCalls.map((c) => (c.input as { userId: string }).userId)).toEqual([alice.user.id, alice.user.id]);
    expect(userCalls.map((c) => (c.output as { outcome: string }).outcome)).toEqual(['synced', 'skipped']);
    expect((await runs()).filter((r) => r.status === 'succeeded')).toHaveLength(1);
    expect((await runtime.storage.countTitles(alice.user.id)) > 2).toBe(true);

    // The same hour again (the schedule fires twice): nobody is due, nothing runs.
    const again = await runLocalWorkflow(workflow, {}, { tasks });
    expect(again.status).toBe('succeeded');
    expect(again.calls.filter((c) => c.placeholder === 'SyncUserFunctionArn')).toEqual([]);
    expect(await runs()).toHaveLength(1);

    // The next hour: one more sync.
    now = new Date(now.getTime() + 61 * 60_000);
    expect((await runLocalWorkflow(workflow, {}, { tasks })).status).toBe('succeeded');
    expect((await runs()).filter((r) => r.status === 'succeeded')).toHaveLength(2);
  });
});
