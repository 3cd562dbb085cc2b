import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, serverFor, signWebhook, type Backend } from './harness.js';

const examples = join(import.meta.dirname, '../../../examples');

describe.each<Backend>(['sqlite', 'postgres'])('the server on %s', (backend) => {
  const server = serverFor(backend);

  it('answers health, readiness and its OpenAPI document without a token', async () => {
    expect(await call(server.url, 'GET', '/health')).toMatchObject({ status: 200, json: { status: 'ok' } });
    expect(await call(server.url, 'GET', '/ready')).toMatchObject({ status: 200, json: { status: 'ready' } });
    const doc = await call(server.url, 'GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.json.paths)).toContain('/api/import');
    // helmet's headers.
    expect(doc.headers.get('x-content-type-options')).toBe('nosniff');
    expect(doc.headers.get('x-powered-by')).toBeNull();
  });

  it('refuses the API without a valid token, with the error body and status of the table', async () => {
    for (const token of [undefined, 'ssk_not-a-token']) {
      const answer = await call(server.url, 'GET', '/api/books', token ? { token } : {});
      expect(answer.status).toBe(401);
      expect(answer.json).toMatchObject({ error: { code: 'auth_failed' } });
    }
    expect((await call(server.url, 'GET', '/api/nothing-here')).status).toBe(404);
    const wrongMethod = await call(server.url, 'DELETE', '/api/books');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });

  it('imports a library for the token owner, and answers bad bodies clearly', async () => {
    const alice = await server.addUser(`alice-${backend}`);
    const { parseExportFile } = await import('@sagasync/audible-parser');
    const parsed = await parseExportFile(join(examples, 'library.tsv'));
    if (!parsed.success) throw new Error('example does not parse');
    const preview = await call(server.url, 'POST', '/api/import', { token: alice.token, body: { records: parsed.value.records } });
    expect(preview.status, JSON.stringify(preview.json)).toBe(200);
    expect(preview.json.committed).toBe(false);
    const committed = await call(server.url, 'POST', '/api/import', { token: alice.token, body: { records: parsed.value.records, commit: true } });
    expect(committed.status, JSON.stringify(committed.json)).toBeLessThan(300);
    const books = await call(server.url, 'GET', '/api/books?limit=5', { token: alice.token });
    expect(books.status).toBe(200);
    expect(books.json.items).toHaveLength(5);

    const badJson = await call(server.url, 'POST', '/api/import', { token: alice.token, raw: '{"records":' });
    expect(badJson).toMatchObject({ status: 400, json: { error: { code: 'invalid_input', location: 'body' } } });
    const badField = await call(server.url, 'POST', '/api/import', { token: alice.token, body: { records: { titles: [{ asin: 'nope' }] } } });
    expect(badField.status).toBe(400);
    expect(badField.json.error.location).toMatch(/^body\.records/);
  });

  it('takes signed webhooks: started then finished update progress; replays, stale and forged ones are refused', async () => {
    const bob = await server.addUser(`bob-${backend}`);
    const { parseExportFile } = await import('@sagasync/audible-parser');
    const parsed = await parseExportFile(join(examples, 'library.tsv'));
    if (!parsed.success) throw new Error('example does not parse');
    await call(server.url, 'POST', '/api/import', { token: bob.token, body: { records: parsed.value.records, commit: true } });
    const finishedAlready = new Set(parsed.value.records.progress.filter((p) => p.isFinished || (p.percentComplete ?? 0) > 0).map((p) => p.asin));
    const asin = parsed.value.records.titles.find((t) => t.owned && !finishedAlready.has(t.asin))!.asin;

    const started = JSON.stringify({ asin, percent: 12 });
    const first = await call(server.url, 'POST', '/webhook/started', { token: bob.token, raw: started, headers: signWebhook(bob.webhookSecret, started, { id: 'msg_1' }) });
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    const replay = await call(server.url, 'POST', '/webhook/started', { token: bob.token, raw: started, headers: signWebhook(bob.webhookSecret, started, { id: 'msg_1' }) });
    expect(replay).toMatchObject({ status: 409, json: { error: { code: 'already_exists', location: 'headers.webhook-id' } } });
    const stale = await call(server.url, 'POST', '/webhook/started', {
      token: bob.token,
      raw: started,
      headers: signWebhook(bob.webhookSecret, started, { id: 'msg_2', at: new Date(Date.now() - 6 * 60_000) }),
    });
    expect(stale).toMatchObject({ status: 401, json: { error: { location: 'headers.webhook-timestamp' } } });
    const forged = await call(server.url, 'POST', '/webhook/started', { token: bob.token, raw: started, headers: signWebhook('whsec_' + Buffer.alloc(32, 1).toString('base64'), started) });
    expect(forged).toMatchObject({ status: 401, json: { error: { location: 'headers.webhook-signature' } } });
    const unsigned = await call(server.url, 'POST', '/webhook/started', { token: bob.token, raw: started });
    expect(unsigned.status).toBe(401);

    const finished = JSON.stringify({ asin });
    const done = await call(server.url, 'POST', '/webhook/finished', { token: bob.token, raw: finished, headers: signWebhook(bob.webhookSecret, finished) });
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    const history = await call(server.url, 'GET', `/api/progress/${asin}/history`, { token: bob.token });
    expect(history.json.items.map((e: { source: string; event: string }) => `${e.source} ${e.event}`)).toEqual(['webhook started', 'webhook finished']);
    expect(history.json.items.at(-1)).toMatchObject({ source: 'webhook' });
  });

  it('manages users from the command line: list, rotate a token, remove', async () => {
    const carol = await server.addUser(`carol-${backend}`);
    const listed = await server.cli(['user', 'list', '--json']);
    expect(JSON.parse(listed.stdout).items.map((u: { name: string }) => u.name)).toContain(`carol-${backend}`);
    const rotated = await server.cli(['token', 'rotate', `carol-${backend}`, '--json']);
    const { token } = JSON.parse(rotated.stdout) as { token: string };
    expect((await call(server.url, 'GET', '/api/books', { token: carol.token })).status).toBe(401);
    expect((await call(server.url, 'GET', '/api/books', { token })).status).toBe(200);
    expect((await server.cli(['user', 'remove', `carol-${backend}`])).code).toBe(0);
    expect((await call(server.url, 'GET', '/api/books', { token })).status).toBe(401);
    const again = await server.cli(['user', 'add', 'Bad Name!']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^error: user name "Bad Name!": /);
  });
});
