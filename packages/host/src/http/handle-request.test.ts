import { createInlineJobRunner } from '@sagasync/api';
import { createCredentialSealer, createMemoryDirectory, createMemoryStorage } from '@sagasync/storage';
import { Webhook } from 'standardwebhooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { userAdmin } from '../users/user-admin.js';
import { createRequestHandler, type HostRequest } from './handle-request.js';

// Whole seconds of the real clock: the standardwebhooks library checks the timestamp against it too.
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const sealer = createCredentialSealer({ secret: Buffer.alloc(32, 7).toString('base64') });

function request(method: string, url: string, options: { token?: string; body?: string; headers?: Record<string, string> } = {}): HostRequest {
  const parsed = new URL(url, 'http://sagasync.test');
  return {
    method,
    path: parsed.pathname,
    url,
    query: Object.fromEntries(parsed.searchParams),
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    rawBody: options.body === undefined ? undefined : Buffer.from(options.body),
    origin: 'http://sagasync.test',
  };
}

const title = (asin: string) => ({ asin, title: `Book ${asin}`, subtitle: null, authors: ['A. Writer'], narrators: [], series: [], owned: true });

describe('the host request handler', () => {
  let handle: ReturnType<typeof createRequestHandler>;
  let alice: { token: string; webhookSecret: string };
  let bob: { token: string };

  beforeEach(async () => {
    const storage = createMemoryStorage();
    const directory = createMemoryDirectory();
    const admin = userAdmin(directory, sealer, () => NOW);
    alice = await admin.add('alice');
    bob = await admin.add('bob');
    handle = createRequestHandler({ storage, directory, sealer, jobs: createInlineJobRunner(), services: () => ({}), clock: () => NOW, bodyLimitBytes: 10_000 });
  });

  it('answers health, readiness and the OpenAPI document without a token', async () => {
    expect(await handle(request('GET', '/health'))).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await handle(request('GET', '/ready'))).toMatchObject({ status: 200 });
    expect((await handle(request('GET', '/api/openapi.json'))).body).toMatchObject({ openapi: expect.any(String) });
  });

  it('refuses a missing or unknown token, and names no route that does not exist', async () => {
    expect(await handle(request('GET', '/api/books'))).toMatchObject({ status: 401, body: { error: { code: 'auth_failed' } } });
    expect(await handle(request('GET', '/api/books', { token: 'not-a-token' }))).toMatchObject({ status: 401 });
    expect(await handle(request('GET', '/api/nothing-here', { token: alice.token }))).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    const wrongMethod = await handle(request('DELETE', '/api/books', { token: alice.token }));
    expect(wrongMethod).toMatchObject({ status: 405, headers: { allow: 'GET' } });
  });

  it("answers from the token owner's store only", async () => {
    const body = JSON.stringify({ records: { titles: [title('B000000001')], series: [], progress: [] }, commit: true });
    expect((await handle(request('POST', '/api/import', { token: alice.token, body }))).status).toBeLessThan(300);
    const mine = await handle(request('GET', '/api/books', { token: alice.token }));
    const theirs = await handle(request('GET', '/api/books', { token: bob.token }));
    expect((mine.body as { items: unknown[] }).items).toHaveLength(1);
    expect((theirs.body as { items: unknown[] }).items).toHaveLength(0);
  });

  it('refuses bad JSON and a body over the limit before any route runs', async () => {
    expect(await handle(request('POST', '/api/import', { token: alice.token, body: '{"records":' }))).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
    expect(await handle(request('POST', '/api/import', { token: alice.token, body: 'x'.repeat(10_001) }))).toMatchObject({ status: 413 });
  });

  it('takes a signed webhook once, and refuses a bad signature and a replay', async () => {
    await handle(request('POST', '/api/import', { token: alice.token, body: JSON.stringify({ records: { titles: [title('B000000001')], series: [], progress: [] }, commit: true }) }));
    const body = JSON.stringify({ asin: 'B000000001' });
    const signed = (id: string, secret = alice.webhookSecret) => ({ 'webhook-id': id, 'webhook-timestamp': String(NOW.getTime() / 1000), 'webhook-signature': new Webhook(secret).sign(id, NOW, body) });
    const first = await handle(request('POST', '/webhook/finished', { token: alice.token, body, headers: signed('msg_1') }));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(await handle(request('POST', '/webhook/finished', { token: alice.token, body, headers: signed('msg_1') }))).toMatchObject({ status: 409 });
    const forged = signed('msg_2', `whsec_${Buffer.alloc(24, 1).toString('base64')}`);
    expect(await handle(request('POST', '/webhook/finished', { token: alice.token, body, headers: forged }))).toMatchObject({ status: 401 });
  });

  it("takes a sender's retry of a delivery that failed, under the same webhook-id, and still refuses a replay of one that succeeded", async () => {
    const body = JSON.stringify({ asin: 'B000000007' });
    const headers = { 'webhook-id': 'msg_retry', 'webhook-timestamp': String(NOW.getTime() / 1000), 'webhook-signature': new Webhook(alice.webhookSecret).sign('msg_retry', NOW, body) };
    // The title is not in the library yet: the delivery fails, and its id is given back.
    expect(await handle(request('POST', '/webhook/finished', { token: alice.token, body, headers }))).toMatchObject({ status: 404 });
    await handle(request('POST', '/api/import', { token: alice.token, body: JSON.stringify({ records: { titles: [title('B000000007')], series: [], progress: [] }, commit: true }) }));
    const retried = await handle(request('POST', '/webhook/finished', { token: alice.token, body, headers }));
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body).toMatchObject({ progress: { status: 'finished' } });
    expect(await handle(request('POST', '/webhook/finished', { token: alice.token, body, headers }))).toMatchObject({ status: 409, body: { error: { code: 'already_exists' } } });
  });

  it('replays an answer for a repeated Idempotency-Key', async () => {
    const body = JSON.stringify({ records: { titles: [title('B000000002')], series: [], progress: [] }, commit: true });
    const headers = { 'idempotency-key': 'import-1' };
    const first = await handle(request('POST', '/api/import', { token: alice.token, body, headers }));
    const again = await handle(request('POST', '/api/import', { token: alice.token, body, headers }));
    expect(again.body).toEqual(first.body);
    expect(again.headers).toMatchObject({ 'idempotent-replayed': 'true' });
  });
});
