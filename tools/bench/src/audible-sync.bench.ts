import { spawn } from 'node:child_process';
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
  const [{ AudibleClient, createLoginRequest, createMemorySeriesCache, parseMaplandingUrl, registerDevice, syncLibrary }, { startFakeAudible }, { createMemoryStorage }] = await Promise.all([
    import('@sagasync/audible-client'),
    import('@sagasync/fake-audible'),
    import('@sagasync/storage'),
  ]);
  const titles = options.titles ?? 2000;
  const seriesCount = options.series ?? 300;
  const fake = await startFakeAudible({ titles, series: seriesCount, seed: 2026 });
  const storage = createMemoryStorage();
  try {
    const endpoints = { apiUrl: fake.apiUrl, amazonUrl: fake.amazonUrl };
    const login = createLoginRequest({ locale: 'us', endpoints });
    const landing = (await fetch(login.url, { redirect: 'manual' })).headers.get('location') ?? '';
    const credentials = await registerDevice(login, parseMaplandingUrl(landing), { endpoints });
    // Retry-After from the fake is 1 s; the faulty run scales waits down so it measures work, not sleeping.
    const client = new AudibleClient({ credentials, endpoints });
    const seriesCache = createMemorySeriesCache();

    const first = await syncLibrary({ client, storage, ownerId: 'bench', seriesCache });
    const requestsFirst = total(fake.state.counters.requests);
    fake.state.resetCounters();
    const second = await syncLibrary({ client, storage, ownerId: 'bench', seriesCache });
    const requestsSecond = total(fake.state.counters.requests);

    // A cold cache and a hostile API: another owner, so everything is created again.
    fake.state.faults = { rate429: 0.05, rate503: 0.05, dropRate: 0.05, retryAfterSeconds: 1 };
    fake.state.resetCounters();
    const faulty = new AudibleClient({ credentials: client.credentials, endpoints, sleep: (ms) => new Promise((r) => setTimeout(r, ms / 100)), retry: { maxAttempts: 12 } });
    const third = await syncLibrary({ client: faulty, storage, ownerId: 'bench-faulty' });
    const c = fake.state.counters;

    const ok = first.durationMs < 5000 && second.writes === 0 && first.fetched.ownedTitles === titles && third.fetched.missingVolumes.length === 0;
    return {
      name: `audible sync: ${titles} titles, ${seriesCount} series against fake-audible`,
      ok,
      lines: [
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
