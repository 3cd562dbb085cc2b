import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncRun } from '@sagasync/core';
import { startFakeNotion, type FakeNotion } from '@sagasync/fake-notion';
import { setupNotion } from '@sagasync/notion-mirror';
import { createCredentialSealer } from '@sagasync/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, loadSettings, openStores, runServerCli, SettingsError, startServer } from '../src/index.js';
import { saveNotionConnection } from '@sagasync/host';
import { eventually, fakeAudibleFor, finishedJob, signInThroughServer } from './audible-fixtures.js';
import { call, SECRET, serverFor } from './harness.js';

/** A server's audible_sync runs of one user, oldest first, read from its store. */
async function syncRuns(server: ReturnType<typeof serverFor>, userId: string): Promise<SyncRun[]> {
  const stores = await openStores(loadSettings(server.env, server.dir));
  try {
    return (await stores.storage.listSyncRuns(userId, { kind: 'audible_sync' })).items.reverse();
  } finally {
    await stores.close();
  }
}

/** When each of a user's audible_sync jobs started (right after its claim), oldest first. */
async function syncJobStarts(server: ReturnType<typeof serverFor>, userId: string): Promise<number[]> {
  const stores = await openStores(loadSettings(server.env, server.dir));
  try {
    const jobs = (await stores.storage.listExpiring(userId, 'job', new Date())).items.map((r) => r.value as { kind: string; createdAt: string });
    return jobs
      .filter((j) => j.kind === 'audible_sync')
      .map((j) => Date.parse(j.createdAt))
      .sort((a, b) => a - b);
  } finally {
    await stores.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the scheduler settings', () => {
  it('read durations in ms, s, m, h or d, with the defaults of the auto-tracking design', () => {
    expect(loadSettings({}, '/tmp').sync).toEqual({
      tickMs: 60_000,
      intervalMs: 3_600_000,
      minIntervalMs: 900_000,
      dailyCap: 600,
      concurrency: 2,
      backoffMs: 900_000,
      backoffMaxMs: 86_400_000,
      logRetentionMs: 30 * 86_400_000,
    });
    const fast = loadSettings({ SAGASYNC_SCHEDULER_TICK: '250ms', SAGASYNC_SYNC_INTERVAL: '2s', SAGASYNC_SYNC_MIN_INTERVAL: '2000', SAGASYNC_SYNC_LOG_RETENTION: '7d' }, '/tmp').sync;
    expect(fast).toMatchObject({ tickMs: 250, intervalMs: 2000, minIntervalMs: 2000, logRetentionMs: 7 * 86_400_000 });
  });

  it('stop the start with one line naming a bad one', () => {
    const line = (env: Record<string, string>) => {
      try {
        loadSettings(env, '/tmp');
        return null;
      } catch (error) {
        expect(error).toBeInstanceOf(SettingsError);
        return (error as Error).message;
      }
    };
    expect(line({ SAGASYNC_SYNC_INTERVAL: 'hourly' })).toBe('SAGASYNC_SYNC_INTERVAL: must be a duration such as 90s, 15m, 1h or 30d');
    expect(line({ SAGASYNC_SYNC_MIN_INTERVAL: '10ms' })).toBe('SAGASYNC_SYNC_MIN_INTERVAL: must be at least 1000 ms');
    expect(line({ SAGASYNC_SYNC_INTERVAL: '10m' })).toMatch(/^SAGASYNC_SYNC_INTERVAL: must not be shorter than SAGASYNC_SYNC_MIN_INTERVAL/);
    expect(line({ SAGASYNC_SYNC_DAILY_CAP: '0' })).toMatch(/^SAGASYNC_SYNC_DAILY_CAP: /);
  });
});

describe('the scheduler on SQLite', () => {
  // A pass every 100 ms; a sync every second at most: the hourly schedule, in seconds.
  const env: Record<string, string> = { SAGASYNC_SCHEDULER_TICK: '100ms', SAGASYNC_SYNC_INTERVAL: '1s', SAGASYNC_SYNC_MIN_INTERVAL: '1s' };
  fakeAudibleFor(env);
  const server = serverFor('sqlite', env);

  it("runs a signed-in user's sync on schedule, each interval once, and stops when they turn it off", async () => {
    const alice = await server.addUser('alice');
    const idle = await server.addUser('idle');
    await signInThroughServer(server.url, alice.token);
    const runs = await eventually(async () => {
      const found = await syncRuns(server, alice.user.id);
      return found.length >= 3 ? found : undefined;
    }, 20_000, 'three scheduled syncs');
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    // Claimed never sooner than the interval apart, and not much later than it plus a pass.
    const starts = await syncJobStarts(server, alice.user.id);
    expect(starts.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(1000);
    expect(starts[1]! - starts[0]!).toBeLessThan(3000);
    expect(await syncRuns(server, idle.user.id)).toEqual([]);
    const status = await call(server.url, 'GET', '/api/audible/status', { token: alice.token });
    expect(status.json.stats).toMatchObject({ last_status: 'succeeded' });
    expect(status.json.stats.total_mappings).toBeGreaterThan(0);

    expect((await call(server.url, 'PUT', '/api/audible/config', { token: alice.token, body: { enabled: false } })).status).toBe(200);
    await sleep(300); // a sync that had started finishes
    const stopped = (await syncRuns(server, alice.user.id)).length;
    await sleep(1500);
    expect((await syncRuns(server, alice.user.id)).length).toBe(stopped);
  });

  it("follows the user's own interval when it is longer than the server's", async () => {
    const bob = await server.addUser('bob');
    await signInThroughServer(server.url, bob.token);
    expect((await call(server.url, 'PUT', '/api/audible/config', { token: bob.token, body: { syncIntervalMs: 60_000 } })).status).toBe(200);
    const first = await eventually(async () => ((await syncRuns(server, bob.user.id)).length === 1 ? true : undefined), 10_000, 'the first sync');
    expect(first).toBe(true);
    await sleep(1500);
    expect(await syncRuns(server, bob.user.id)).toHaveLength(1);
    const config = await call(server.url, 'GET', '/api/audible/config', { token: bob.token });
    expect(config.json).toMatchObject({ syncIntervalMs: 60_000, schedule: { syncsToday: 1 }, sync: { status: 'ok' } });
  });
});

describe('backoff', () => {
  const env: Record<string, string> = { SAGASYNC_SCHEDULER_TICK: '100ms', SAGASYNC_SYNC_INTERVAL: '1s', SAGASYNC_SYNC_MIN_INTERVAL: '1s', SAGASYNC_SYNC_BACKOFF: '2s' };
  const audible = fakeAudibleFor(env);
  const server = serverFor('sqlite', env);

  it('waits longer after a failed sync, then syncs again', async () => {
    const carol = await server.addUser('carol');
    await signInThroughServer(server.url, carol.token);
    await eventually(async () => ((await syncRuns(server, carol.user.id)).length >= 1 ? true : undefined), 10_000, 'the first sync');
    // Audible answers the next library call with a 500 (not retried by the client).
    audible.fake.state.queueFault({ status: 500, pathPrefix: '/1.0/library', times: 1 });
    const failed = await eventually(async () => {
      const config = await call(server.url, 'GET', '/api/audible/config', { token: carol.token });
      return config.json.sync.status === 'backing_off' ? config.json.sync : undefined;
    }, 10_000, 'a backoff');
    expect(failed).toMatchObject({ failures: 1, message: expect.stringContaining('failed'), retryAt: expect.any(String) });
    const failedAt = Date.parse(failed.lastFailureAt);
    expect(Date.parse(failed.retryAt) - failedAt).toBe(2000);
    const runs = await eventually(async () => {
      const found = await syncRuns(server, carol.user.id);
      return found.at(-1)?.status === 'succeeded' && Date.parse(found.at(-1)!.startedAt) > failedAt ? found : undefined;
    }, 10_000, 'a sync after the backoff');
    const failedRun = runs.find((r) => r.status === 'failed')!;
    expect(failedRun.error).toMatch(/^remote_failure: /);
    // Nothing ran during the backoff (the interval alone would have allowed one a second).
    expect(Date.parse(runs.at(-1)!.startedAt) - failedAt).toBeGreaterThanOrEqual(2000);
    expect((await call(server.url, 'GET', '/api/audible/config', { token: carol.token })).json.sync).toMatchObject({ status: 'ok', failures: 0 });
  });

  it('stops when Audible revokes the device, says so in the status, and resumes after a new sign-in', async () => {
    const dave = await server.addUser('dave');
    await signInThroughServer(server.url, dave.token);
    await eventually(async () => ((await syncRuns(server, dave.user.id)).some((r) => r.status === 'succeeded') ? true : undefined), 10_000, 'a first sync');
    audible.fake.state.revokeAllDevices();
    const revoked = await eventually(async () => {
      const status = await call(server.url, 'GET', '/api/audible/status', { token: dave.token });
      return status.json.reason.startsWith('revoked') ? status.json : undefined;
    }, 10_000, 'the revoked status');
    expect(revoked).toMatchObject({ can_sync: false, reason: expect.stringContaining('sign in again with POST /api/audible/auth'), stats: { last_status: 'failed' } });
    const config = await call(server.url, 'GET', '/api/audible/config', { token: dave.token });
    expect(config.json.sync).toMatchObject({ status: 'revoked', retryAt: null });
    // No more calls to Audible for dave, scheduled or by hand.
    const calls = () => audible.fake.state.counters.requests.library ?? 0;
    const before = calls();
    await sleep(1500);
    expect(calls()).toBe(before);
    const manual = await call(server.url, 'POST', '/api/audible/sync', { token: dave.token });
    expect(manual).toMatchObject({ status: 422, json: { error: { code: 'config_missing', message: expect.stringContaining('sign in again') } } });

    const again = await signInThroughServer(server.url, dave.token);
    expect(again.replaced).toBe(true);
    const resumedAt = Date.now();
    await eventually(async () => {
      const runs = await syncRuns(server, dave.user.id);
      return runs.at(-1)?.status === 'succeeded' && Date.parse(runs.at(-1)!.startedAt) >= resumedAt ? true : undefined;
    }, 10_000, 'a sync after signing in again');
    expect((await call(server.url, 'GET', '/api/audible/config', { token: dave.token })).json.sync.status).toBe('ok');
  });
});

describe.each(['sqlite', 'postgres'] as const)('the sync log on %s', (backend) => {
  const env: Record<string, string> = { SAGASYNC_SCHEDULER_TICK: '100ms', SAGASYNC_SYNC_INTERVAL: '1s', SAGASYNC_SYNC_MIN_INTERVAL: '1s', SAGASYNC_SYNC_LOG_RETENTION: '2s' };
  fakeAudibleFor(env);
  // On PostgreSQL as the application role, under row-level security: the purge runs as each user.
  const server = serverFor(backend, env);

  it('keeps sync runs for the retention only', async () => {
    const erin = await server.addUser('erin');
    await signInThroughServer(server.url, erin.token);
    const first = await eventually(async () => (await syncRuns(server, erin.user.id))[0], 10_000, 'a first sync');
    await eventually(async () => ((await syncRuns(server, erin.user.id)).some((r) => r.id === first.id) ? undefined : true), 10_000, 'the first run to be deleted');
    const runs = await syncRuns(server, erin.user.id);
    expect(runs.length).toBeGreaterThan(0);
    // What is left started within the retention (plus the housekeeping's own period).
    for (const run of runs) expect(Date.now() - Date.parse(run.startedAt)).toBeLessThan(2000 + 2000 + 500);
  });
});

describe('GET /api/cron/audible-sync', () => {
  describe('without SAGASYNC_CRON_SECRET', () => {
    const server = serverFor('sqlite', { SAGASYNC_SCHEDULER_TICK: '0' });
    it('is off, and says how to turn it on', async () => {
      const answer = await call(server.url, 'GET', '/api/cron/audible-sync', { headers: { 'x-cron-secret': 'anything' } });
      expect(answer).toMatchObject({ status: 404, json: { error: { code: 'not_found', message: expect.stringContaining('SAGASYNC_CRON_SECRET') } } });
    });
  });

  describe('with SAGASYNC_CRON_SECRET', () => {
    // No loop: only the cron route runs syncs here.
    const env: Record<string, string> = { SAGASYNC_SCHEDULER_TICK: '0', SAGASYNC_CRON_SECRET: 'cron-secret-0123456789' };
    fakeAudibleFor(env);
    const server = serverFor('sqlite', env);

    it("refuses a missing or wrong secret, and with the secret runs the due users' syncs once", async () => {
      const frank = await server.addUser('frank');
      await signInThroughServer(server.url, frank.token);
      expect(await call(server.url, 'GET', '/api/cron/audible-sync')).toMatchObject({ status: 401, json: { error: { code: 'auth_failed', location: 'headers.x-cron-secret' } } });
      expect((await call(server.url, 'GET', '/api/cron/audible-sync', { headers: { 'x-cron-secret': 'cron-secret-wrong' } })).status).toBe(401);
      // A user's API token is not the cron secret.
      expect((await call(server.url, 'GET', '/api/cron/audible-sync', { token: frank.token })).status).toBe(401);
      expect(await syncRuns(server, frank.user.id)).toEqual([]);

      const ran = await call(server.url, 'GET', '/api/cron/audible-sync', { headers: { 'x-cron-secret': 'cron-secret-0123456789' } });
      expect(ran.status, JSON.stringify(ran.json)).toBe(200);
      expect(ran.json).toMatchObject({ due: 1, synced: 1, failed: 0, users: [{ userId: frank.user.id, outcome: 'synced', changes: expect.any(Number), notion: 'not_connected' }] });
      const job = await finishedJob(server.url, frank.token, ran.json.users[0].jobId);
      expect(job.state).toBe('succeeded');
      // Run again at once: the user is not due (the interval is an hour).
      const again = await call(server.url, 'GET', '/api/cron/audible-sync', { headers: { authorization: 'Bearer cron-secret-0123456789' } });
      expect(again).toMatchObject({ status: 200, json: { due: 0, synced: 0 } });
      expect(await syncRuns(server, frank.user.id)).toHaveLength(1);
    });
  });
});

describe('shutdown during a scheduled sync', () => {
  const env: Record<string, string> = {};
  const audible = fakeAudibleFor(env);
  const dir = mkdtempSync(join(tmpdir(), 'sagasync-scheduler-shutdown-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('abandons the sync past the grace period, logs it, gives the lease back, and holds nothing against the user', async () => {
    const serverEnv = {
      HOST: '127.0.0.1',
      PORT: '0',
      SAGASYNC_SECRET: SECRET,
      SAGASYNC_STORE: join(dir, 'store.db'),
      SAGASYNC_SCHEDULER_TICK: '100ms',
      SAGASYNC_SHUTDOWN_GRACE_MS: '300',
      ...env,
    };
    const settings = loadSettings(serverEnv, dir);
    const server = await startServer(settings, { log: createLogger('silent') });
    let out = '';
    await runServerCli(['user', 'add', 'gina', '--json'], { stdout: { write: (s) => (out += s) }, stderr: { write: () => true }, env: serverEnv, cwd: dir });
    const gina = JSON.parse(out) as { user: { id: string }; token: string };
    // Signed in with automatic syncs off; then Audible answers slowly, and they are turned on:
    // the first scheduled sync is still waiting for Audible at shutdown.
    expect((await call(server.url, 'PUT', '/api/audible/config', { token: gina.token, body: { enabled: false } })).status).toBe(200);
    await signInThroughServer(server.url, gina.token);
    audible.fake.state.faults.latencyMs = 5_000;
    expect((await call(server.url, 'PUT', '/api/audible/config', { token: gina.token, body: { enabled: true } })).status).toBe(200);
    const stores = await openStores(settings);
    try {
      await eventually(async () => ((await stores.storage.getLease(gina.user.id, 'audible-sync')) ? true : undefined), 5_000, 'the sync lease');
      const closing = Date.now();
      await server.close();
      // The grace period, then the abandoned sync unwinds at once: not the 5 s Audible takes.
      expect(Date.now() - closing).toBeLessThan(3_000);
      audible.fake.state.faults.latencyMs = 0;
      expect(await stores.storage.getLease(gina.user.id, 'audible-sync')).toBeNull();
      const runs = (await stores.storage.listSyncRuns(gina.user.id, { kind: 'audible_sync' })).items;
      expect(runs).toMatchObject([{ status: 'failed', error: expect.stringContaining('abandoned: the server shut down') }]);
      // No backoff: the user did nothing wrong.
      expect(await stores.storage.getSetting(gina.user.id, 'audible.sync-health')).toBeNull();
    } finally {
      await stores.close();
    }
  });
});

describe('the Notion mirror after a scheduled sync', () => {
  const env: Record<string, string> = {
    SAGASYNC_SCHEDULER_TICK: '100ms',
    SAGASYNC_SYNC_INTERVAL: '1s',
    SAGASYNC_SYNC_MIN_INTERVAL: '1s',
    SAGASYNC_NOTION_MIN_INTERVAL: '1h',
    SAGASYNC_NOTION_REQUESTS_PER_SECOND: '100',
  };
  const notion = { fake: null as FakeNotion | null };
  beforeAll(async () => {
    notion.fake = await startFakeNotion();
    env.NOTION_BASE_URL = notion.fake.url;
  });
  afterAll(async () => notion.fake?.close());
  const audible = fakeAudibleFor(env);
  const server = serverFor('sqlite', env);

  it('pushes what a sync changed for a user who connected Notion, then not again within its own interval', async () => {
    const hana = await server.addUser('hana');
    const ivan = await server.addUser('ivan');
    // Hana connects Notion (her token sealed among her credentials, her databases set up) before syncs start.
    for (const user of [hana, ivan]) expect((await call(server.url, 'PUT', '/api/audible/config', { token: user.token, body: { enabled: false } })).status).toBe(200);
    const stores = await openStores(loadSettings(server.env, server.dir));
    try {
      const sealer = createCredentialSealer({ secret: SECRET });
      await saveNotionConnection(stores.storage, sealer, hana.user.id, { token: notion.fake!.token }, new Date());
      const parentPageId = notion.fake!.state.addParentPage();
      await setupNotion({ storage: stores.storage, ownerId: hana.user.id, notion: { token: notion.fake!.token, baseUrl: notion.fake!.url, requestsPerSecond: 1000 } }, { parentPageId });
    } finally {
      await stores.close();
    }
    for (const user of [hana, ivan]) {
      await signInThroughServer(server.url, user.token);
      expect((await call(server.url, 'PUT', '/api/audible/config', { token: user.token, body: { enabled: true } })).status).toBe(200);
    }

    const status = await eventually(async () => {
      const answer = await call(server.url, 'GET', '/api/notion/status', { token: hana.token });
      return answer.json.mirrored?.books > 0 ? answer.json : undefined;
    }, 15_000, 'the mirror');
    expect(status).toMatchObject({ connected: true, configured: true });
    expect(notion.fake!.state.pages.size).toBeGreaterThan(0);
    const notionRuns = async (userId: string) => {
      const opened = await openStores(loadSettings(server.env, server.dir));
      try {
        return (await opened.storage.listSyncRuns(userId, { kind: 'notion_push' })).items.length;
      } finally {
        await opened.close();
      }
    };
    // The push's run row is written when it is done.
    await eventually(async () => ((await notionRuns(hana.user.id)) === 1 ? true : undefined), 10_000, 'the push to finish');

    // Progress changes at Audible: the next syncs take it in, and the mirror waits for its interval.
    const asin = audible.fake.state.library.owned[0]!.asin;
    audible.fake.state.setProgress(asin, { percentComplete: 42, isFinished: false, positionMs: 1_000_000 });
    const synced = Date.now();
    await eventually(async () => ((await syncRuns(server, hana.user.id)).some((r) => Date.parse(r.startedAt) > synced && r.counts.created + r.counts.updated > 0) ? true : undefined), 10_000, 'a sync that took the change in');
    await sleep(1000); // a push it started would be done by now
    expect(await notionRuns(hana.user.id)).toBe(1);
    // Ivan has no Notion: his syncs run without it.
    expect((await syncRuns(server, ivan.user.id)).length).toBeGreaterThan(0);
    expect(await call(server.url, 'GET', '/api/notion/status', { token: ivan.token })).toMatchObject({ status: 200, json: { connected: false, configured: false } });
    const push = await call(server.url, 'POST', '/api/notion/push', { token: ivan.token, body: {} });
    expect((await finishedJob(server.url, ivan.token, push.json.id)).error).toMatchObject({ code: 'config_missing', message: expect.stringContaining('Notion is not connected') });
  });
});
