import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServerCli } from '../src/index.js';
import { createDatabase, eventually, fakeAudibleFor, signInThroughServer } from './audible-fixtures.js';
import { SECRET } from './harness.js';

const repo = join(import.meta.dirname, '../../..');
const USERS = 8;

interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** The users whose scheduled sync this process ran (from its log). */
  synced: string[];
  exited: Promise<number | null>;
}

/** `sagasync-server serve` as its own process, from the sources (as `npx tsx` would run it). */
function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--conditions=@sagasync/source', '--import', 'tsx', 'apps/server/src/main.ts', 'serve'], {
    cwd: repo,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const proc: ServerProcess = { child, url: '', synced: [], exited };
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: { msg?: string; url?: string; userId?: string };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        return;
      }
      if (entry.msg === 'SagaSync server listening' && entry.url) {
        proc.url = entry.url;
        resolve(proc);
      }
      if (entry.msg === 'scheduled Audible sync done' && entry.userId) proc.synced.push(entry.userId);
    });
    void exited.then((code) => reject(new Error(`the server process exited (${code}) before listening: ${stderr}`)));
  });
}

describe('two server processes on one PostgreSQL', () => {
  const fakeEnv: Record<string, string> = {};
  // Each Audible call takes a little while, so the two instances' passes overlap on the same users.
  const audible = fakeAudibleFor(fakeEnv, { faults: { latencyMs: 20 } });
  const dir = mkdtempSync(join(tmpdir(), 'sagasync-two-processes-'));
  const state = { db: null as Awaited<ReturnType<typeof createDatabase>> | null, servers: [] as ServerProcess[], env: {} as Record<string, string> };

  beforeAll(async () => {
    state.db = await createDatabase('scheduler');
    state.env = {
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: state.db.url,
      SAGASYNC_SECRET: SECRET,
      LOG_LEVEL: 'info',
      // Both instances look every 50 ms; each user is due once an hour.
      SAGASYNC_SCHEDULER_TICK: '50ms',
      SAGASYNC_SYNC_CONCURRENCY: '4',
      ...fakeEnv,
    };
    state.servers = await Promise.all([spawnServer(state.env), spawnServer(state.env)]);
  }, 60_000);

  afterAll(async () => {
    for (const server of state.servers) server.child.kill('SIGKILL');
    await state.db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs each user's scheduled sync once, whichever instance takes it, and both stop gracefully", async () => {
    const users: { id: string; token: string }[] = [];
    for (let i = 0; i < USERS; i++) {
      let out = '';
      const code = await runServerCli(['user', 'add', `reader-${i}`, '--json'], { stdout: { write: (s) => (out += s) }, stderr: { write: () => true }, env: state.env, cwd: dir });
      expect(code).toBe(0);
      const added = JSON.parse(out) as { user: { id: string }; token: string };
      users.push({ id: added.user.id, token: added.token });
    }
    // Half the users sign in through each instance; each is due for a sync at once.
    await Promise.all(users.map((u, i) => signInThroughServer(state.servers[i % 2]!.url, u.token)));

    // As the superuser: the check reads every user's rows, which row-level security hides from the app's role.
    const db = new pg.Client({ connectionString: state.db!.adminUrl });
    await db.connect();
    try {
      const runsPerUser = async () => {
        const { rows } = await db.query<{ owner_id: string; runs: string }>("SELECT owner_id, count(*) AS runs FROM sync_runs WHERE kind = 'audible_sync' GROUP BY owner_id");
        return new Map(rows.map((r) => [r.owner_id, Number(r.runs)]));
      };
      await eventually(async () => ((await runsPerUser()).size === USERS ? true : undefined), 30_000, 'every user synced');
      // Many more passes of both instances: none syncs anyone again.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const runs = await runsPerUser();
      expect(Object.fromEntries(users.map((u) => [u.id, runs.get(u.id)]))).toEqual(Object.fromEntries(users.map((u) => [u.id, 1])));
      const { rows: schedules } = await db.query<{ syncs_today: number }>('SELECT syncs_today FROM sync_schedules');
      expect(schedules.map((s) => Number(s.syncs_today))).toEqual(users.map(() => 1));
      const { rows: failed } = await db.query("SELECT data FROM sync_runs WHERE data->>'status' <> 'succeeded'");
      expect(failed).toEqual([]);
    } finally {
      await db.end();
    }

    // Each user's sync was one instance's, and between them they synced everyone.
    const [a, b] = state.servers.map((s) => s.synced);
    expect([...a!, ...b!].sort()).toEqual(users.map((u) => u.id).sort());

    for (const server of state.servers) server.child.kill('SIGTERM');
    expect(await Promise.all(state.servers.map((s) => s.exited))).toEqual([0, 0]);
    expect(audible.fake.state.counters.requests.library).toBeGreaterThanOrEqual(USERS);
  });
});
