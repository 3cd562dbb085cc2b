import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseExportFile } from '@sagasync/audible-parser';
import { freePort, startPostgresCluster } from '@sagasync/test-services';
import autocannon from 'autocannon';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { generateAudibleCliTsv } from './generators/audible-cli.js';
import type { BenchResult } from './support/measure.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const serverBin = join(repoRoot, 'apps/server/dist/main.js');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONNECTIONS = 10;
const TITLES = 5_000;

interface Load {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  total: number;
}

/**
 * Issue 14's figures: `POST /webhook/finished` under load for 30 s (autocannon, 10 connections,
 * each request signed with its own webhook-id) against the built server on PostgreSQL and on
 * SQLite, beside a bare Express route that verifies the same signature and inserts one row with pg.
 */
export async function runServerWebhooksBench(): Promise<BenchResult> {
  const build = spawnSync('npx', ['--no-install', 'nx', 'run', '@sagasync/server:build', '--output-style=static'], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
  });
  if (build.status !== 0) throw new Error(`server build failed: ${build.stdout}${build.stderr}`);
  const dir = mkdtempSync(join(tmpdir(), 'sagasync-bench-webhooks-'));
  const cluster = await startPostgresCluster();
  const children: ChildProcess[] = [];
  try {
    const file = join(dir, 'library.tsv');
    await generateAudibleCliTsv(file, TITLES, 14);
    const parsed = await parseExportFile(file);
    if (!parsed.success) throw new Error('the generated library does not parse');
    const records = parsed.value.records;
    const asins = records.titles.filter((t) => t.owned).map((t) => t.asin);
    const databaseUrl = async (name: string) => {
      const admin = new pg.Client({ connectionString: cluster.adminUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      return cluster.adminUrl.replace(/\/postgres$/, `/${name}`);
    };
    const secret = Buffer.alloc(32, 3).toString('base64');

    const results: Load[] = [];
    // The baseline.
    {
      const webhookSecret = `whsec_${Buffer.alloc(32, 5).toString('base64')}`;
      const port = await freePort();
      const env = { ...process.env, DATABASE_URL: await databaseUrl('baseline'), WEBHOOK_SECRET: webhookSecret, PORT: String(port) };
      children.push(await started(spawn(process.execPath, [join(import.meta.dirname, 'baselines/webhook-baseline.mjs')], { env, stdio: ['ignore', 'pipe', 'pipe'] }), null));
      results.push(await load('baseline: bare Express + HMAC + one pg INSERT', `http://127.0.0.1:${port}`, null, webhookSecret, asins));
    }
    for (const backend of ['PostgreSQL', 'SQLite'] as const) {
      const port = await freePort();
      const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port), SAGASYNC_SECRET: secret, LOG_LEVEL: 'warn', SAGASYNC_STORE: join(dir, `${backend}.db`) };
      if (backend === 'PostgreSQL') env.DATABASE_URL = await databaseUrl('server');
      const added = spawnSync(process.execPath, [serverBin, 'user', 'add', 'bench', '--json'], { env, encoding: 'utf8' });
      if (added.status !== 0) throw new Error(`user add failed: ${added.stderr}`);
      const user = JSON.parse(added.stdout) as { token: string; webhookSecret: string };
      const base = `http://127.0.0.1:${port}`;
      children.push(await started(spawn(process.execPath, [serverBin, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] }), `${base}/ready`));
      await importLibrary(base, user.token, records);
      results.push(await load(`server on ${backend}`, base, user.token, user.webhookSecret, asins));
    }

    const baseline = results[0]!;
    const lines = results.map(
      (r) =>
        `${r.name}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.errors} errors of ${r.total.toLocaleString('en-US')}` +
        (r === baseline ? '' : ` (${((r.rps / baseline.rps) * 100).toFixed(0)} % of the baseline)`),
    );
    const ok = results.slice(1).every((r) => r.rps >= 200 && r.p99 < 50 && r.errors === 0);
    lines.push(`goal: at least 200 req/s with p99 under 50 ms and 0 errors on each (aim: half the baseline's throughput); ${SECONDS} s each, ${CONNECTIONS} connections`);
    return { name: 'server-webhooks (issue 14)', lines, ok };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => new Promise((done) => (child.exitCode !== null ? done(null) : child.once('exit', done)))));
    cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Resolves when the process listens: when `readyUrl` answers 200, or (without one) when it prints
 * that it listens. Fails if it exits first or takes over a minute.
 */
function started(child: ChildProcess, readyUrl: string | null): Promise<ChildProcess> {
  return new Promise((resolvePromise, reject) => {
    let output = '';
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearInterval(poll);
      clearTimeout(timer);
      if (error) {
        child.kill('SIGKILL');
        reject(error);
      } else resolvePromise(child);
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!readyUrl && /listening/i.test(output)) finish();
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => finish(new Error(`exited (${code}) before listening: ${output}`)));
    const poll = setInterval(() => {
      if (readyUrl) void fetch(readyUrl).then((r) => r.ok && finish(), () => undefined);
    }, 100);
    const timer = setTimeout(() => finish(new Error(`not listening after 60 s: ${output}`)), 60_000);
  });
}

async function importLibrary(base: string, token: string, records: unknown): Promise<void> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const answer = await fetch(`${base}/api/import`, { method: 'POST', headers, body: JSON.stringify({ records, commit: true }) });
  let body = (await answer.json()) as { id?: string; state?: string };
  if (answer.status === 202) {
    while (body.state === 'running') {
      await new Promise((r) => setTimeout(r, 250));
      body = (await (await fetch(`${base}/api/jobs/${body.id}`, { headers })).json()) as { id?: string; state?: string };
    }
    if (body.state !== 'succeeded') throw new Error(`import job ${JSON.stringify(body)}`);
  } else if (answer.status !== 200) throw new Error(`import failed: ${answer.status} ${JSON.stringify(body)}`);
}

/** 30 s of signed `finished` webhooks, each with its own id, cycling through the library's titles. */
async function load(name: string, base: string, token: string | null, secret: string, asins: string[]): Promise<Load> {
  const webhook = new Webhook(secret);
  let next = 0;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        path: '/webhook/finished',
        setupRequest: (request) => {
          const body = JSON.stringify({ asin: asins[next++ % asins.length] });
          const id = `msg_${randomUUID()}`;
          const at = new Date();
          return {
            ...request,
            body,
            headers: {
              'content-type': 'application/json',
              ...(token ? { authorization: `Bearer ${token}` } : {}),
              'webhook-id': id,
              'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
              'webhook-signature': webhook.sign(id, at, body),
            },
          };
        },
      },
    ],
  });
  return { name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts + result.non2xx, total: result.requests.total };
}
