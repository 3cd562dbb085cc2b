/**
 * Notion mirror benchmark (issue: Notion figures), against tools/fake-notion limited to 3
 * requests a second, as Notion is, with the client's own limiter at the same rate:
 * - a first push of N titles and S series uses at most N + S + ceil((N+S)/100) + 10 requests;
 * - an unchanged re-push at most ceil((N+S)/100) + 5;
 * - sustained throughput of the first push at least 90 % of the limit;
 * - with 10 % injected faults (429 with Retry-After, 500, HTML 502, 503, 504, 409, writes applied
 *   behind a 5xx) the final Notion state equals the store, with 0 duplicates.
 *
 * Run alone: `npx tsx tools/bench/src/notion.bench.ts [--titles 60] [--series 8]` (about a minute).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SeriesData, StoragePort, TitleData } from '@sagasync/core';
import type { FakeNotion } from '@sagasync/fake-notion';
import type { NotionConnectionOptions, PropertyValues } from '@sagasync/notion-mirror';

type Result = { name: string; lines: string[]; ok: boolean };
const CHILD_FLAG = '--in-process';
const MARKER = '__NOTION_BENCH__ ';

// The workspace packages resolve to their TypeScript source only under the `@sagasync/source`
// condition, which a plain `npx tsx` does not set: the measurement runs in a child that has it.
const load = async () => {
  const [core, fakeNotion, mirror, storage] = await Promise.all([import('@sagasync/core'), import('@sagasync/fake-notion'), import('@sagasync/notion-mirror'), import('@sagasync/storage')]);
  return { ...core, ...fakeNotion, ...mirror, ...storage };
};
type Deps = Awaited<ReturnType<typeof load>>;

const OWNER = 'bench';
const RATE = 3;
const NOW = '2024-05-01T10:00:00.000Z';

const asinOf = (prefix: string, n: number) => `${prefix}${String(n).padStart(10 - prefix.length, '0')}`;

/** N titles over S series; every fifth volume synthetic (not owned), a third of the owned ones finished. */
async function seededStore(d: Deps, titles: number, series: number): Promise<StoragePort> {
  const storage = d.createMemoryStorage();
  const seriesData: SeriesData[] = Array.from({ length: series }, (_, i) => ({
    key: asinOf('S', i + 1),
    asin: asinOf('S', i + 1),
    title: `Saga ${i + 1}`,
    catalogueComplete: true,
    createdAt: NOW,
    updatedAt: NOW,
  }));
  const titleData: TitleData[] = Array.from({ length: titles }, (_, i) => {
    const s = seriesData[i % series]!;
    const position = Math.floor(i / series) + 1;
    return {
      asin: asinOf('B', i + 1),
      title: `Book ${i + 1}`,
      subtitle: i % 3 === 0 ? 'A Novel' : null,
      authors: [`Author ${i % 11}`],
      narrators: [`Narrator ${i % 7}`, `Narrator ${(i + 3) % 7}`],
      runtimeMinutes: 240 + i,
      releaseDate: '2019-06-01',
      purchaseDate: i % 5 === 4 ? null : '2021-02-03',
      coverUrl: `https://m.media-amazon.com/images/I/cover-${i + 1}._SL500_.jpg`,
      language: 'english',
      marketplace: 'us',
      sourceAccount: null,
      owned: i % 5 !== 4,
      isPodcast: false, contributors: [], forSale: null,
      series: [{ seriesKey: s.key, seriesAsin: s.asin, seriesTitle: s.title, sequence: String(position), position: { kind: 'number', value: position } }],
      createdAt: NOW,
      updatedAt: NOW,
    };
  });
  const finished = titleData.filter((t, i) => t.owned && i % 3 === 0);
  await storage.applyBatch(OWNER, [
    ...seriesData.map((value) => ({ op: 'putSeries' as const, value })),
    ...titleData.map((value) => ({ op: 'putTitle' as const, value })),
    ...finished.map((t) => ({
      op: 'putProgress' as const,
      value: { asin: t.asin, status: 'finished' as const, percentComplete: 100, isFinished: true, startedAt: NOW, finishedAt: NOW, lastPositionMs: null, finishCount: 1, updatedAt: NOW },
    })),
  ]);
  return storage;
}

async function freshWorld(d: Deps, titles: number, series: number) {
  const fake = await d.startFakeNotion({ requestsPerSecond: RATE, seed: 7 });
  const storage = await seededStore(d, titles, series);
  const notion: NotionConnectionOptions = { token: fake.token, baseUrl: fake.url, requestsPerSecond: RATE };
  const { databases } = await d.setupNotion({ storage, ownerId: OWNER, notion }, { parentPageId: fake.state.addParentPage() });
  return { fake, storage, notion, databases };
}

/** Compares every live page with what the store wants; counts duplicates, strays and differing pages. */
async function compareWithStore(d: Deps, fake: FakeNotion, storage: StoragePort, booksDs: string, seriesDs: string) {
  const pageValues = (id: string): PropertyValues => {
    const response = fake.state.pageResponse(fake.state.getPage(id)) as { properties: Record<string, unknown> };
    const out: PropertyValues = {};
    for (const [name, prop] of Object.entries(response.properties)) {
      const v = d.valueFromResponse(prop);
      if (v) out[name] = v;
    }
    return out;
  };
  const group = (ds: string, key: string) => {
    const by = new Map<string, string[]>();
    for (const page of fake.state.listPages(ds)) {
      const k = String(fake.state.plainValues(page)[key]);
      by.set(k, [...(by.get(k) ?? []), page.id]);
    }
    return by;
  };
  const books = group(booksDs, 'ASIN');
  const series = group(seriesDs, 'Key');
  const seriesIds = new Map([...series].map(([k, ids]) => [k, ids[0]!]));
  let duplicates = 0;
  let differing = 0;
  let missing = 0;
  const check = (by: Map<string, string[]>, key: string, want: PropertyValues) => {
    const ids = by.get(key);
    by.delete(key);
    if (!ids) return void (missing += 1);
    duplicates += ids.length - 1;
    const have = d.hashValues(pageValues(ids[0]!));
    if (Object.entries(d.hashValues(want)).some(([name, hash]) => have[name] !== hash)) differing += 1;
  };
  const progress = new Map((await storage.listProgress(OWNER)).items.map((p) => [p.asin, p]));
  for (const view of await d.buildSeriesReport({ storage, ownerId: OWNER })) check(series, view.key, d.seriesValues(d.seriesRowFrom(view)));
  for (const title of (await storage.listTitles(OWNER)).items) check(books, title.asin, d.bookValues(title, progress.get(title.asin) ?? null, seriesIds));
  const strays = [...books.values(), ...series.values()].reduce((n, ids) => n + ids.length, 0);
  return { duplicates, differing, missing, strays };
}

export async function runNotionBench(options: { titles?: number; series?: number } = {}): Promise<Result> {
  const file = fileURLToPath(import.meta.url);
  const args = ['--conditions=@sagasync/source', '--import', 'tsx', file, CHILD_FLAG, String(options.titles ?? 60), String(options.series ?? 8)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', done);
  });
  const line = stdout.split('\n').find((l) => l.startsWith(MARKER));
  if (!line) throw new Error(`notion bench child exited ${code} without a result`);
  return JSON.parse(line.slice(MARKER.length)) as Result;
}

async function measure(options: { titles: number; series: number }): Promise<Result> {
  const d = await load();
  const n = options.titles;
  const s = options.series;
  const pages = Math.ceil((n + s) / 100);
  const lines: string[] = [];

  // 1. First push and unchanged re-push, no faults.
  const clean = await freshWorld(d, n, s);
  let firstRequests: number;
  let rePushRequests: number;
  let throughput: number;
  let rateLimited: number;
  try {
    clean.fake.resetStats();
    const started = performance.now();
    const first = await d.pushToNotion({ storage: clean.storage, ownerId: OWNER, notion: clean.notion });
    const seconds = (performance.now() - started) / 1000;
    firstRequests = clean.fake.stats.total;
    rateLimited = clean.fake.stats.rateLimited;
    // The first request goes out at once; the rest are spaced, so rate = (requests - 1) / elapsed.
    throughput = (firstRequests - 1) / seconds;
    lines.push(
      `first push of ${n} titles + ${s} series: ${firstRequests} requests (goal <= ${n + s + pages + 10}), ${first.books.created + first.series.created} pages created, ${seconds.toFixed(1)} s`,
      `sustained throughput: ${throughput.toFixed(2)} req/s = ${((throughput / RATE) * 100).toFixed(0)} % of ${RATE} req/s (goal >= 90 %); 429s from the fake: ${rateLimited}`,
    );
    clean.fake.resetStats();
    const again = await d.pushToNotion({ storage: clean.storage, ownerId: OWNER, notion: clean.notion });
    rePushRequests = clean.fake.stats.total;
    lines.push(`unchanged re-push: ${rePushRequests} requests (goal <= ${pages + 5}), ${again.books.updated + again.series.updated} updates`);
  } finally {
    await clean.fake.close();
  }

  // 2. The same first push with 10 % of requests failing.
  const faulty = await freshWorld(d, n, s);
  let result: Awaited<ReturnType<typeof compareWithStore>>;
  let runs = 0;
  try {
    faulty.fake.resetStats();
    faulty.fake.setFaults({ rate: 0.1, retryAfterSeconds: 1 });
    const started = performance.now();
    for (;;) {
      runs += 1;
      try {
        await d.pushToNotion({ storage: faulty.storage, ownerId: OWNER, notion: faulty.notion });
        break;
      } catch (error) {
        // A push that gives up is resumable; the figure reports how many runs it took.
        if (runs >= 3) throw error;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const stats = faulty.fake.stats;
    faulty.fake.setFaults(undefined);
    result = await compareWithStore(d, faulty.fake, faulty.storage, faulty.databases.books.dataSourceId, faulty.databases.series.dataSourceId);
    const injected = Object.entries(stats.faults)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    lines.push(
      `with 10 % faults: ${stats.total} requests, ${Object.values(stats.faults).reduce((a, b) => a + (b ?? 0), 0)} faults injected (${injected}), ${runs} push run(s), ${seconds.toFixed(1)} s`,
      `final state vs store: ${result.duplicates} duplicates, ${result.missing} missing, ${result.differing} differing, ${result.strays} stray pages (goal: all 0)`,
    );
  } finally {
    await faulty.fake.close();
  }

  const ok =
    firstRequests <= n + s + pages + 10 &&
    rePushRequests <= pages + 5 &&
    throughput >= 0.9 * RATE &&
    result.duplicates === 0 &&
    result.missing === 0 &&
    result.differing === 0 &&
    result.strays === 0;
  return { name: 'notion mirror (3 req/s)', lines, ok };
}

if (process.argv[2] === CHILD_FLAG) {
  const result = await measure({ titles: Number(process.argv[3]), series: Number(process.argv[4]) });
  process.stdout.write(`${MARKER}${JSON.stringify(result)}\n`);
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const result = await runNotionBench({ titles: arg('titles'), series: arg('series') });
  console.log(`${result.ok ? 'PASS' : 'FAIL'} ${result.name}\n  ${result.lines.join('\n  ')}`);
  process.exitCode = result.ok ? 0 : 1;
}
