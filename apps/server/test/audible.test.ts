import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, loadSettings, openStores, runServerCli, startServer, type RunningServer } from '../src/index.js';
import { browserSignIn, fakeAudibleFor, finishedJob, signInThroughServer } from './audible-fixtures.js';
import { call, SECRET, serverFor, type Backend } from './harness.js';

/** What must never appear in an answer, a stored record or a log line: the device's secrets. */
function deviceSecrets(fake: ReturnType<typeof fakeAudibleFor>['fake']): string[] {
  return [...fake.state.auth.devices.values()].flatMap((d) => [d.adpToken, d.refreshToken, d.privateKeyPem.split('\n')[1]!]);
}

describe.each<Backend>(['sqlite', 'postgres'])('Audible sign-in and sync settings on %s', (backend) => {
  // No scheduler loop here: these tests drive every sync themselves.
  const env: Record<string, string> = { SAGASYNC_SCHEDULER_TICK: '0' };
  const audible = fakeAudibleFor(env);
  const server = serverFor(backend, env);

  it('signs in with the URL to open and the pasted address, keeps the account sealed, and syncs with it', async () => {
    const alice = await server.addUser(`alice-${backend}`);
    const started = await call(server.url, 'POST', '/api/audible/auth', { token: alice.token, body: { locale: 'us' } });
    expect(started.status, JSON.stringify(started.json)).toBe(200);
    expect(started.json).toMatchObject({ state: 'pending', locale: 'us', signInId: expect.any(String) });
    expect(started.json.url).toMatch(new RegExp(`^${audible.fake.amazonUrl}/ap/signin\\?`));
    expect(Date.parse(started.json.expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);
    const redirectUrl = await browserSignIn(started.json.url);

    // A wrong paste is refused and can be corrected: the sign-in is still waiting.
    const wrong = await call(server.url, 'POST', '/api/audible/auth', { token: alice.token, body: { signInId: started.json.signInId, redirectUrl: 'https://www.amazon.com/gp/yourstore' } });
    expect(wrong).toMatchObject({ status: 400, json: { error: { code: 'invalid_input', location: 'body.redirectUrl' } } });

    const finished = await call(server.url, 'POST', '/api/audible/auth', { token: alice.token, body: { signInId: started.json.signInId, redirectUrl } });
    expect(finished.status, JSON.stringify(finished.json)).toBe(200);
    expect(finished.json).toMatchObject({ state: 'connected', replaced: false, sync: { enabled: true }, account: { locale: 'us', marketplace: 'AF2M0KC94RCEA', label: 'Jane Doe' } });
    const again = await call(server.url, 'POST', '/api/audible/auth', { token: alice.token, body: { signInId: started.json.signInId, redirectUrl } });
    expect(again).toMatchObject({ status: 404, json: { error: { location: 'body.signInId' } } });

    // The account is a directory record owned by Alice, its credentials sealed with the server's key.
    const stores = await openStores(loadSettings(server.env, server.dir));
    try {
      const accounts = await stores.directory.listAudibleAccounts(alice.user.id);
      expect(accounts.map((a) => ({ id: a.id, userId: a.userId, locale: a.locale }))).toEqual([{ id: finished.json.account.id, userId: alice.user.id, locale: 'us' }]);
      expect(accounts[0]!.ciphertext).toMatch(/^v1\./);
      for (const secret of deviceSecrets(audible.fake)) {
        expect(accounts[0]!.ciphertext).not.toContain(secret);
        expect(JSON.stringify(finished.json)).not.toContain(secret);
      }
    } finally {
      await stores.close();
    }

    const config = await call(server.url, 'GET', '/api/audible/config', { token: alice.token });
    expect(config.json).toMatchObject({ enabled: true, locale: 'us', marketplace: 'AF2M0KC94RCEA', syncIntervalMs: 3_600_000, dailyCap: 600, sync: { status: 'never_synced' } });
    expect(config.json.accounts).toHaveLength(1);

    const sync = await call(server.url, 'POST', '/api/audible/sync', { token: alice.token });
    expect(sync.status, JSON.stringify(sync.json)).toBe(202);
    const job = await finishedJob(server.url, alice.token, sync.json.id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.result.summary.titles.created).toBeGreaterThan(0);
    const status = await call(server.url, 'GET', '/api/audible/status', { token: alice.token });
    expect(status.json).toMatchObject({ can_sync: false, reason: 'too_soon', syncs_remaining_today: 599, stats: { last_status: 'succeeded' } });
    expect(status.json.stats.total_mappings).toBeGreaterThan(0);
    expect((await call(server.url, 'GET', '/api/audible/config', { token: alice.token })).json.sync).toMatchObject({ status: 'ok', failures: 0 });
    expect((await call(server.url, 'POST', '/api/audible/sync', { token: alice.token })).status).toBe(429);
  });

  it("keeps each user's sign-in theirs: another user's token can neither finish nor spoil it", async () => {
    const bob = await server.addUser(`bob-${backend}`);
    const carol = await server.addUser(`carol-${backend}`);
    const started = await call(server.url, 'POST', '/api/audible/auth', { token: bob.token, body: {} });
    const redirectUrl = await browserSignIn(started.json.url);
    const stolen = await call(server.url, 'POST', '/api/audible/auth', { token: carol.token, body: { signInId: started.json.signInId, redirectUrl } });
    expect(stolen).toMatchObject({ status: 404, json: { error: { location: 'body.signInId' } } });
    expect((await call(server.url, 'GET', '/api/audible/config', { token: carol.token })).json.accounts).toEqual([]);
    const finished = await call(server.url, 'POST', '/api/audible/auth', { token: bob.token, body: { signInId: started.json.signInId, redirectUrl } });
    expect(finished.json.state).toBe('connected');
    // Signing in again on the marketplace replaces the account (after a revoked device, say).
    const replaced = await signInThroughServer(server.url, bob.token);
    expect(replaced).toMatchObject({ state: 'connected', replaced: true, account: { id: finished.json.account.id } });
  });

  it('says what is missing: an unknown marketplace, a username account where there are none, no account to sync', async () => {
    const dave = await server.addUser(`dave-${backend}`);
    expect(await call(server.url, 'POST', '/api/audible/auth', { token: dave.token, body: { locale: 'xx' } })).toMatchObject({ status: 400, json: { error: { location: 'body.locale' } } });
    expect(await call(server.url, 'POST', '/api/audible/auth', { token: dave.token, body: { locale: 'fr', withUsername: true } })).toMatchObject({
      status: 400,
      json: { error: { location: 'body.withUsername' } },
    });
    const sync = await call(server.url, 'POST', '/api/audible/sync', { token: dave.token });
    expect(sync.status).toBe(422);
    expect(sync.json.error.message).toContain('POST /api/audible/auth');
    const status = await call(server.url, 'GET', '/api/audible/status', { token: dave.token });
    expect(status.json).toMatchObject({ can_sync: false, reason: expect.stringMatching(/^signed_out: /) });
    expect((await call(server.url, 'PUT', '/api/audible/config', { token: dave.token, body: { enabled: true } })).status).toBe(422);
    expect((await call(server.url, 'GET', '/api/audible/config', { token: dave.token })).json).toMatchObject({ enabled: false, locale: null, sync: { status: 'signed_out' } });
  });

  it("changes the sync settings within the server's limits, and refuses them past it naming the field", async () => {
    const erin = await server.addUser(`erin-${backend}`);
    await signInThroughServer(server.url, erin.token);
    const put = (body: unknown) => call(server.url, 'PUT', '/api/audible/config', { token: erin.token, body });
    expect(await put({ syncIntervalMs: 60_000 })).toMatchObject({ status: 400, json: { error: { location: 'body.syncIntervalMs', message: expect.stringContaining('900000') } } });
    expect(await put({ dailyCap: 601 })).toMatchObject({ status: 400, json: { error: { location: 'body.dailyCap' } } });
    expect(await put({ locale: 'de' })).toMatchObject({ status: 400, json: { error: { location: 'body.locale' } } });
    const changed = await put({ enabled: false, syncIntervalMs: 7_200_000, dailyCap: 24 });
    expect(changed.status, JSON.stringify(changed.json)).toBe(200);
    expect(changed.json).toMatchObject({ enabled: false, syncIntervalMs: 7_200_000, dailyCap: 24, limits: { minSyncIntervalMs: 900_000, maxDailyCap: 600, defaultSyncIntervalMs: 3_600_000 } });
    expect((await call(server.url, 'GET', '/api/audible/config', { token: erin.token })).json).toMatchObject({ enabled: false, syncIntervalMs: 7_200_000, dailyCap: 24 });
    expect((await call(server.url, 'GET', '/api/audible/status', { token: erin.token })).json.syncs_remaining_today).toBe(24);
    const reset = await put({ enabled: true, syncIntervalMs: null });
    expect(reset.json).toMatchObject({ enabled: true, syncIntervalMs: 3_600_000, dailyCap: 24 });
  });
});

describe('secrets in the logs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sagasync-audible-logs-'));
  const env: Record<string, string> = { SAGASYNC_SCHEDULER_TICK: '0' };
  const audible = fakeAudibleFor(env);
  const lines: string[] = [];
  let server: RunningServer;
  let serverEnv: Record<string, string>;
  beforeAll(async () => {
    serverEnv = { HOST: '127.0.0.1', PORT: '0', SAGASYNC_SECRET: SECRET, SAGASYNC_STORE: join(dir, 'store.db'), ...env };
    const capture = new Writable({ write: (chunk: Buffer, _encoding, done) => void (lines.push(chunk.toString('utf8')), done()) });
    server = await startServer(loadSettings(serverEnv, dir), { log: createLogger('trace', capture) });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('never logs the API token, the pasted address, or the device credentials, through a sign-in and a sync', async () => {
    let out = '';
    await runServerCli(['user', 'add', 'frank', '--json'], { stdout: { write: (s) => (out += s) }, stderr: { write: () => true }, env: serverEnv, cwd: dir });
    const { token } = JSON.parse(out) as { token: string };
    const started = await call(server.url, 'POST', '/api/audible/auth', { token, body: {} });
    const redirectUrl = await browserSignIn(started.json.url);
    const code = new URL(redirectUrl).searchParams.get('openid.oa2.authorization_code')!;
    await call(server.url, 'POST', '/api/audible/auth', { token, body: { signInId: started.json.signInId, redirectUrl } });
    const sync = await call(server.url, 'POST', '/api/audible/sync', { token });
    expect((await finishedJob(server.url, token, sync.json.id)).state).toBe('succeeded');
    const log = lines.join('');
    expect(log).toContain('Audible account connected');
    for (const secret of [token, code, ...deviceSecrets(audible.fake)]) expect(log).not.toContain(secret);
  });
});
