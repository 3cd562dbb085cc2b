import { spawn } from 'node:child_process';
import os from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fmtMs } from './support/measure.js';

type Result = { name: string; lines: string[]; ok: boolean };
const CHILD_FLAG = '--in-process';
const MARKER = '__AUDIBLE_SYNC_BENCH__ ';

/**
 * The Audible sync issue's figures: a 2,000-title library with 300 series synced against
 * tools/fake-audible over loopback HTTP (signed requests, series hydrated in batches of 50, last
 * positions 25 at a time) into the in-memory store: the first sync under 5 s; a second sync with
 * nothing changed writes nothing. A third run with 5 % injected 429/503s and dropped catalogue
 * items shows the cost of resilience.
 */
export async function runAudibleSyncBench(options: { titles?: number; series?: number } = {}): Promise<Result> {
  // The workspace packages resolve to their TypeScript source only under the `@sagasync/source`
  // condition, which a plain `npx tsx` does not set: run the measurement in a child that has it.
  const file = fileURLToPath(import.meta.url);
  const args = ['--conditions=@sagasync/source', '--import', 'tsx', file, CHILD_FLAG, String(options.titles ?? 2000), String(options.series ?? 300)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const code = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', done);
  });
  const line = stdout.split('\n').find((l) => l.startsWith(MARKER));
  if (!line) throw new Error(`audible sync bench child exited ${code} without a result`);
  return JSON.parse(line.slice(MARKER.length)) as Result;
}

async function measure(options: { titles?: number; series?: number }): Promise<Result> {
  const [{ AudibleClient, createLoginRequest, createStorageSeriesCache, parseMaplandingUrl, registerDevice, syncLibrary }, { createMemoryStorage }] = await Promise.all([
    import('@sagasync/audible-client'),
    import('@sagasync/storage'),
  ]);
  const titles = options.titles ?? 2000;
  const seriesCount = options.series ?? 300;
  // The fake runs in its own process, as Audible's servers are not on the user's CPU.
  const fake = await spawnFake(titles, seriesCount);
  const storage = createMemoryStorage();
  try {
    const endpoints = { apiUrl: fake.apiUrl, amazonUrl: fake.amazonUrl };
    const login = createLoginRequest({ locale: 'us', endpoints });
    const landing = (await fetch(login.url, { redirect: 'manual' })).headers.get('location') ?? '';
    const credentials = await registerDevice(login, parseMaplandingUrl(landing), { endpoints });
    // Retry-After from the fake is 1 s; the faulty run scales waits down so it measures work, not sleeping.
    const client = new AudibleClient({ credentials, endpoints });
    // As the CLI keeps it: in the store's settings, one day's TTL.
    const seriesCache = createStorageSeriesCache({ storage, ownerId: 'bench' });

    // Warm the fake (its own process, compiled lazily by tsx) as a remote server would be warm.
    const groups = 'contributors,media,product_attrs,product_desc,series,relationships,category_ladders,rating,is_finished,percent_complete,listening_status';
    for (let i = 0; i < 3; i++) await (await fetch(`${fake.apiUrl}/1.0/library?num_results=1000&response_groups=${groups}`, { headers: { 'x-amz-access-token': credentials.accessToken } })).text();
    await fake.control('reset-counters');

    const load = os.loadavg()[0]!;
    const cpu0 = process.cpuUsage();
    const first = await syncLibrary({ client, storage, ownerId: 'bench', seriesCache });
    const cpuFirst = process.cpuUsage(cpu0);
    const requestsFirst = total((await fake.counters()).requests);
    await fake.control('reset-counters');
    const second = await syncLibrary({ client, storage, ownerId: 'bench', seriesCache });
    const requestsSecond = total((await fake.counters()).requests);

    // A cold cache and a hostile API: another owner, so everything is created again.
    await fake.control('faults', { rate429: 0.05, rate503: 0.05, dropRate: 0.05, retryAfterSeconds: 1 });
    await fake.control('reset-counters');
    const faulty = new AudibleClient({ credentials: client.credentials, endpoints, sleep: (ms) => new Promise((r) => setTimeout(r, ms / 100)), retry: { maxAttempts: 12 } });
    const third = await syncLibrary({ client: faulty, storage, ownerId: 'bench-faulty' });
    const c = await fake.counters();

    const ok = first.durationMs < 5000 && second.writes === 0 && first.fetched.ownedTitles === titles && third.fetched.missingVolumes.length === 0;
    return {
      name: `audible sync: ${titles} titles, ${seriesCount} series against fake-audible`,
      ok,
      lines: [
        `machine: ${os.cpus().length} CPUs, load average ${load.toFixed(1)} at the start; sync CPU time (client + store) ${fmtMs((cpuFirst.user + cpuFirst.system) / 1000)}`,
        `first sync:  ${fmtMs(first.durationMs)} (goal < 5 s; fetch ${fmtMs(first.timings.fetchMs)}, records ${fmtMs(first.timings.buildMs)}, import ${fmtMs(first.timings.importMs)}), ${requestsFirst} HTTP requests, ${first.writes} records written ` +
          `(titles ${first.import.titles.created} created: ${first.fetched.ownedTitles} owned + ${first.fetched.syntheticTitles} missing volumes; ` +
          `series ${first.import.series.created}; progress ${first.import.progress.created})`,
        `second sync: ${fmtMs(second.durationMs)} (fetch ${fmtMs(second.timings.fetchMs)}, import ${fmtMs(second.timings.importMs)}), ${requestsSecond} HTTP requests (series from cache: ${second.fetched.seriesFromCache}), ` +
          `${second.writes} records written (goal 0): created ${second.import.titles.created + second.import.series.created + second.import.progress.created}, ` +
          `updated ${second.import.titles.updated + second.import.series.updated + second.import.progress.updated}`,
        `with faults: ${fmtMs(third.durationMs)} (Retry-After waits scaled 1/100), ${c.injected429} x 429 + ${c.injected503} x 503 retried, ` +
          `${c.droppedProducts} dropped catalogue items re-requested (${third.fetched.missingVolumes.length} lost), ${third.fetched.ownedTitles} titles`,
      ],
    };
  } finally {
    await storage.close();
    await fake.close();
  }
}

interface FakeProcess {
  apiUrl: string;
  amazonUrl: string;
  counters(): Promise<{ requests: Record<string, number>; injected429: number; injected503: number; droppedProducts: number }>;
  control(action: string, body?: unknown): Promise<void>;
  close(): Promise<void>;
}

async function spawnFake(titles: number, series: number): Promise<FakeProcess> {
  const main = resolve(fileURLToPath(import.meta.url), '../../../fake-audible/src/main.ts');
  const args = ['--conditions=@sagasync/source', '--import', 'tsx', main, '--titles', String(titles), '--series', String(series), '--seed', '2026', '--until-stdin-closes'];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const urls = await new Promise<{ apiUrl: string; amazonUrl: string }>((done, fail) => {
    let buffer = '';
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{'));
      if (line) done(JSON.parse(line) as { apiUrl: string; amazonUrl: string });
    });
    child.on('error', fail);
    child.on('close', (code) => fail(new Error(`fake-audible exited ${code} before listening`)));
  });
  const control = async (action: string, body?: unknown) => {
    const response = await fetch(`${urls.apiUrl}/__fake/${action}`, { method: 'POST', body: JSON.stringify(body ?? {}) });
    if (!response.ok) throw new Error(`fake-audible ${action}: HTTP ${response.status}`);
  };
  return {
    ...urls,
    counters: async () => (await (await fetch(`${urls.apiUrl}/__fake/counters`)).json()) as Awaited<ReturnType<FakeProcess['counters']>>,
    control,
    close: () =>
      new Promise<void>((done) => {
        child.once('close', () => done());
        child.stdin.end();
      }),
  };
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

const invokedDirectly = process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url;
if (invokedDirectly && process.argv[2] === CHILD_FLAG) {
  const report = await measure({ titles: Number(process.argv[3]), series: Number(process.argv[4]) });
  console.log(MARKER + JSON.stringify(report));
} else if (invokedDirectly) {
  const report = await runAudibleSyncBench();
  console.log(report.name);
  for (const line of report.lines) console.log(`  ${line}`);
  console.log(report.ok ? '  OK' : '  GOAL MISSED');
  process.exitCode = report.ok ? 0 : 1;
}
