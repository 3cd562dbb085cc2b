import type { RouteResult } from '@sagasync/api';
import { createMemoryStorage } from '@sagasync/storage';
import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_CLAIM_MS, IDEMPOTENCY_KIND, IDEMPOTENCY_TTL_MS, idempotencyKeyOf, requestFingerprint, runIdempotent } from '@sagasync/host';
import { call, exampleLibrary, openStoresOf, serverFor, startAnotherServer, type Backend } from './harness.js';

describe('runIdempotent', () => {
  const start = new Date('2026-03-01T10:00:00.000Z');
  const setup = () => {
    const storage = createMemoryStorage();
    const time = { now: start };
    const options = (run: () => Promise<RouteResult<unknown>>, fingerprint = 'f1') => ({ storage, ownerId: 'alice', key: 'k1', fingerprint, clock: () => time.now, run });
    return { storage, time, options };
  };

  it('runs once: a concurrent duplicate is 409 while the first runs, and gets the stored answer after', async () => {
    const { storage, options } = setup();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const run = async () => {
      runs += 1;
      await gate;
      return { status: 202, body: { job: 'j1' } };
    };
    const first = runIdempotent(options(run));
    await expect(runIdempotent(options(run))).rejects.toMatchObject({ code: 'already_exists', details: { location: 'headers.idempotency-key' } });
    release();
    expect(await first).toEqual({ status: 202, body: { job: 'j1' }, replayed: false });
    expect(await runIdempotent(options(run))).toEqual({ status: 202, body: { job: 'j1' }, replayed: true });
    expect(runs).toBe(1);
    // Another owner's key of the same text is theirs.
    expect(await runIdempotent({ ...options(run), ownerId: 'bob' })).toMatchObject({ replayed: false });
    expect(runs).toBe(2);
    expect(await storage.getExpiring('alice', IDEMPOTENCY_KIND, 'k1', start)).toMatchObject({ value: { state: 'done', status: 202 } });
  });

  it('refuses the key for another request with 422, and answers malformed keys with 400', async () => {
    const { options } = setup();
    await runIdempotent(options(async () => ({ status: 200, body: {} })));
    const other = await runIdempotent(options(async () => ({ status: 200, body: { other: true } }), 'f2'));
    expect(other).toMatchObject({ status: 422, body: { error: { code: 'invalid_input', location: 'headers.idempotency-key' } } });
    for (const bad of ['', 'x'.repeat(256), 'tab\there', 'clé']) {
      expect(() => idempotencyKeyOf(bad), bad).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    }
    expect(idempotencyKeyOf('x'.repeat(255))).toHaveLength(255);
    expect(idempotencyKeyOf(undefined)).toBeNull();
    expect(requestFingerprint('post', '/a', Buffer.from('{}'))).toBe(requestFingerprint('POST', '/a', Buffer.from('{}')));
    expect(requestFingerprint('POST', '/a', Buffer.from('{}'))).not.toBe(requestFingerprint('POST', '/b', Buffer.from('{}')));
  });

  it('releases the key when the request fails, and when a claimed request never finished', async () => {
    const { time, options } = setup();
    let runs = 0;
    const failing = async () => {
      runs += 1;
      return { status: 409, body: { error: { code: 'version_conflict', message: 'x' } } };
    };
    expect((await runIdempotent(options(failing))).status).toBe(409);
    expect((await runIdempotent(options(failing))).status).toBe(409);
    expect(runs).toBe(2);

    const { storage } = setup();
    // A server died after claiming: the claim lapses, and the retry runs.
    await storage.putExpiring(
      'alice',
      { kind: IDEMPOTENCY_KIND, key: 'k1', value: { state: 'running', fingerprint: 'f1' }, createdAt: start.toISOString(), expiresAt: new Date(start.getTime() + IDEMPOTENCY_CLAIM_MS).toISOString() },
      { now: start },
    );
    const run = async () => ({ status: 200, body: { ran: true } });
    await expect(runIdempotent({ ...options(run), storage })).rejects.toMatchObject({ code: 'already_exists' });
    time.now = new Date(start.getTime() + IDEMPOTENCY_CLAIM_MS + 1);
    expect(await runIdempotent({ ...options(run), storage })).toMatchObject({ status: 200, replayed: false });
    // The answer is kept a day.
    time.now = new Date(time.now.getTime() + IDEMPOTENCY_TTL_MS - 1000);
    expect(await runIdempotent({ ...options(async () => ({ status: 200, body: { again: true } })), storage })).toMatchObject({ body: { ran: true }, replayed: true });
    time.now = new Date(time.now.getTime() + 2000);
    expect(await runIdempotent({ ...options(async () => ({ status: 200, body: { again: true } })), storage })).toMatchObject({ body: { again: true }, replayed: false });
  });
});

describe.each<Backend>(['sqlite', 'postgres'])('Idempotency-Key on %s', (backend) => {
  const server = serverFor(backend);

  async function importRuns(ownerId: string): Promise<number> {
    const stores = await openStoresOf(server);
    try {
      return (await stores.storage.listSyncRuns(ownerId, { kind: 'import' })).items.length;
    } finally {
      await stores.close();
    }
  }

  it('a retried import returns the first answer without writing twice; another body with the key is 422', async () => {
    const alice = await server.addUser(`alice-${backend}`);
    const records = await exampleLibrary();
    const body = { records, commit: true, source: 'library.tsv' };
    const headers = { 'idempotency-key': 'import-2026-03-01' };
    const first = await call(server.url, 'POST', '/api/import', { token: alice.token, body, headers });
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    expect(first.json.committed).toBe(true);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const retry = await call(server.url, 'POST', '/api/import', { token: alice.token, body, headers });
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual(first.json);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await importRuns(alice.user.id)).toBe(1);

    const other = await call(server.url, 'POST', '/api/import', { token: alice.token, body: { ...body, source: 'other.tsv' }, headers });
    expect(other).toMatchObject({ status: 422, json: { error: { code: 'invalid_input', location: 'headers.idempotency-key' } } });
    const elsewhere = await call(server.url, 'POST', '/api/series/recompute', { token: alice.token, headers });
    expect(elsewhere.status).toBe(422);

    // Without the header, every request runs.
    await call(server.url, 'POST', '/api/import', { token: alice.token, body });
    expect(await importRuns(alice.user.id)).toBe(2);

    // Another user's key of the same text is theirs.
    const bob = await server.addUser(`bob-${backend}`);
    const bobs = await call(server.url, 'POST', '/api/import', { token: bob.token, body, headers });
    expect(bobs.status).toBe(200);
    expect(bobs.headers.get('idempotent-replayed')).toBeNull();
    expect(await importRuns(bob.user.id)).toBe(1);
  });

  it('of concurrent duplicates exactly one runs; the others are 409 or the stored answer', async () => {
    const carol = await server.addUser(`carol-${backend}`);
    const body = { records: await exampleLibrary(), commit: true };
    const headers = { 'idempotency-key': 'concurrent-1' };
    const answers = await Promise.all(Array.from({ length: 6 }, () => call(server.url, 'POST', '/api/import', { token: carol.token, body, headers })));
    const ran = answers.filter((a) => a.status === 200 && a.headers.get('idempotent-replayed') === null);
    expect(ran).toHaveLength(1);
    for (const answer of answers) {
      if (answer.status === 409) expect(answer.json).toMatchObject({ error: { code: 'already_exists', location: 'headers.idempotency-key' } });
      else expect(answer.json).toEqual(ran[0]!.json);
    }
    expect(await importRuns(carol.user.id)).toBe(1);
  });

  it('holds across server instances on one store', async () => {
    const dave = await server.addUser(`dave-${backend}`);
    const other = await startAnotherServer(server);
    try {
      const body = { records: await exampleLibrary(), commit: true };
      const headers = { 'idempotency-key': 'two-instances' };
      const first = await call(server.url, 'POST', '/api/import', { token: dave.token, body, headers });
      const second = await call(other.url, 'POST', '/api/import', { token: dave.token, body, headers });
      expect(first.status).toBe(200);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(second.json).toEqual(first.json);
      expect(await importRuns(dave.user.id)).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('refuses a malformed key with 400 before running, and a failed request can be retried with its key', async () => {
    const erin = await server.addUser(`erin-${backend}`);
    const tooLong = await call(server.url, 'POST', '/api/import', { token: erin.token, body: { records: await exampleLibrary() }, headers: { 'idempotency-key': 'k'.repeat(256) } });
    expect(tooLong).toMatchObject({ status: 400, json: { error: { code: 'invalid_input', location: 'headers.idempotency-key' } } });
    // A key does not get past authentication.
    expect((await call(server.url, 'POST', '/api/import', { body: {}, headers: { 'idempotency-key': 'k' } })).status).toBe(401);

    const headers = { 'idempotency-key': 'fails-then-works' };
    const bad = await call(server.url, 'POST', '/api/import', { token: erin.token, body: { records: { titles: 'nope' } }, headers });
    expect(bad.status).toBe(400);
    const good = await call(server.url, 'POST', '/api/import', { token: erin.token, body: { records: await exampleLibrary(), commit: true }, headers });
    expect(good.status).toBe(200);
    expect(good.headers.get('idempotent-replayed')).toBeNull();
  });
});
