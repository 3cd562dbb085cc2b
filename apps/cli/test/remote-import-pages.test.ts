import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importLibrary, type LibraryRecords, type ProgressReport, type SeriesRecord, type TitleRecord } from '@sagasync/core';
import { createLogger, loadSettings, openStores, runServerCli, startServer, type RunningServer } from '@sagasync/server';
import { createMemoryStorage, dumpOwner } from '@sagasync/storage';
import { openSqliteStorage } from '@sagasync/storage-sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postImport } from '../src/runtime/remote-api.js';
import { run, scratch } from './harness.js';

const SECRET = Buffer.alloc(32, 7).toString('base64');
const BODY_LIMIT = 200 * 1024;

// ---- A generated library -------------------------------------------------------------------

const asin = (prefix: string, n: number) => `${prefix}${String(n).padStart(10 - prefix.length, '0')}`;
const at = (day: number, hour = 12) => new Date(Date.UTC(2024, 0, 1 + day, hour)).toISOString();
const membership = (seriesAsin: string | null, seriesTitle: string, n: number) => ({
  seriesKey: seriesAsin ?? `title:${seriesTitle.toLowerCase()}`,
  seriesAsin,
  seriesTitle,
  sequence: String(n),
  position: { kind: 'number' as const, value: n },
});
// Enough text that a title is a few hundred bytes, as real ones are.
const title = (id: string, name: string, owned: boolean, series: TitleRecord['series']): TitleRecord => ({
  asin: id,
  title: name,
  subtitle: `${name}: a novel of the long night, the second age and the far shore`,
  authors: ['Ada Quill', 'Bram Stone'],
  narrators: ['Cleo Vale', 'Dev Marsh', 'Elin Frost'],
  runtimeMinutes: 600 + (id.charCodeAt(9) % 60),
  releaseDate: '2023-05-01',
  language: 'english',
  coverUrl: `https://m.media-amazon.com/images/I/${id}._SL500_.jpg`,
  owned,
  series,
});

/**
 * Titles in many series of 8 (6 owned, 2 not: what a series metadata file adds), one series of
 * 400 volumes (larger than a page), series that an export names only by title beside series
 * records that give their ASIN (core joins them), a title in two series, duplicate records of one
 * ASIN far apart, progress with one or two reports per title, a report for a title nobody has.
 * Everything is shuffled, series records and progress at the end, as files are.
 */
function generatedLibrary(): LibraryRecords {
  const titles: TitleRecord[] = [];
  const series: SeriesRecord[] = [];
  const progress: ProgressReport[] = [];
  for (let s = 0; s < 140; s++) {
    const seriesAsin = asin('B0S', s);
    const name = `Saga ${s}`;
    series.push({ key: seriesAsin, asin: seriesAsin, title: name, catalogueComplete: s % 2 === 0 });
    for (let v = 1; v <= 8; v++) titles.push(title(asin(`B1${String(s).padStart(3, '0')}`, v), `${name}, Book ${v}`, v <= 6, [membership(seriesAsin, name, v)]));
  }
  const big = asin('B0BIG', 1);
  series.push({ key: big, asin: big, title: 'The Long Chronicle', catalogueComplete: true });
  for (let v = 1; v <= 400; v++) titles.push(title(asin('B2', v), `The Long Chronicle ${v}`, v % 5 !== 0, [membership(big, 'The Long Chronicle', v)]));
  // An export knows these series by name only; the series metadata gives their ASIN.
  for (let s = 0; s < 5; s++) {
    const name = `named saga ${s}`;
    const seriesAsin = asin('B0N', s);
    series.push({ key: seriesAsin, asin: seriesAsin, title: `Named Saga ${s}`, catalogueComplete: true });
    for (let v = 1; v <= 4; v++) titles.push(title(asin(`B3${s}`, v), `Named Saga ${s}, Book ${v}`, true, [membership(null, name, v)]));
    titles.push(title(asin(`B3${s}`, 5), `Named Saga ${s}, Book 5`, false, [membership(seriesAsin, `Named Saga ${s}`, 5)]));
  }
  // In two series at once.
  titles.push(title(asin('B4', 1), 'Crossover', true, [membership(asin('B0S', 3), 'Saga 3', 9), membership(asin('B0S', 100), 'Saga 100', 9)]));
  // Two records of one ASIN: the catalogue's (not owned) and the library's.
  titles.unshift(title(asin('B1000', 1), 'Saga 0, Book 1 (catalogue)', false, [membership(asin('B0S', 0), 'Saga 0', 1)]));

  for (const [i, t] of titles.entries()) {
    if (!t.owned || i % 3 === 2) continue;
    progress.push({ asin: t.asin, percentComplete: 40, isFinished: false, observedAt: at(i % 200, 9) });
    if (i % 3 === 0) progress.push({ asin: t.asin, percentComplete: 100, isFinished: true, finishedAt: at(i % 200, 20), observedAt: at(i % 200, 20) });
  }
  progress.push({ asin: 'B0NOBODY01', percentComplete: 10, observedAt: at(3) });
  return { titles: shuffled(titles), series: shuffled(series), progress: shuffled(progress) };
}

/** A fixed shuffle (a small LCG), so failures repeat. */
function shuffled<T>(items: T[]): T[] {
  const out = items.slice();
  let seed = 42;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function libraryFile(dir: string, records: LibraryRecords): string {
  const file = join(dir, 'library.json');
  writeFileSync(file, JSON.stringify({ format: 'sagasync-library', version: 1, exportedAt: at(300), ...records }));
  return file;
}

// ---- The server, behind a proxy that counts requests -----------------------------------------

interface Seen {
  method: string;
  path: string;
  bytes: number;
  status: number;
  key: string | null;
  replayed: boolean;
}

/**
 * A pass-through proxy to the server that notes each request; `dropAnswer(n)` makes it forward
 * the n-th keyed POST from then on but lose its answer (the connection is cut), as a network would.
 */
async function proxyTo(target: () => string) {
  const seen: Seen[] = [];
  const drop = new Set<number>();
  let keyed = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => ['authorization', 'content-type', 'accept', 'idempotency-key'].includes(k))) as Record<string, string>;
      const index = key && req.method === 'POST' ? ++keyed : 0;
      void fetch(`${target()}${req.url}`, { method: req.method, headers, body: req.method === 'GET' ? undefined : body }).then(async (answer) => {
        const text = await answer.text();
        seen.push({ method: req.method!, path: req.url!, bytes: body.length, status: answer.status, key, replayed: answer.headers.get('idempotent-replayed') === 'true' });
        if (drop.has(index)) return void res.destroy();
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
        res.end(text);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    seen,
    /** The n-th keyed POST from now on is forwarded, but its answer lost. */
    dropAnswer: (n: number) => drop.add(keyed + n),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function serverWithBodyLimit(limit: string) {
  const dir = mkdtempSync(join(tmpdir(), 'sagasync-remote-pages-'));
  const env = { HOST: '127.0.0.1', PORT: '0', SAGASYNC_SECRET: SECRET, SAGASYNC_STORE: join(dir, 'server.db'), LOG_LEVEL: 'silent', SAGASYNC_BODY_LIMIT: limit, SAGASYNC_SCHEDULER_TICK: '0' };
  const state = { server: null as RunningServer | null };
  beforeAll(async () => {
    state.server = await startServer(loadSettings(env, dir), { log: createLogger('silent') });
  });
  afterAll(async () => {
    await state.server?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    get url() {
      return state.server!.url;
    },
    async addUser(name: string): Promise<{ user: { id: string }; token: string }> {
      let stdout = '';
      const code = await runServerCli(['user', 'add', name, '--json'], { stdout: { write: (s) => (stdout += s) }, stderr: { write: () => true }, env, cwd: dir });
      if (code !== 0) throw new Error(`user add ${name} failed`);
      return JSON.parse(stdout) as { user: { id: string }; token: string };
    },
    async withStores<T>(work: (stores: Awaited<ReturnType<typeof openStores>>) => Promise<T>): Promise<T> {
      const stores = await openStores(loadSettings(env, dir));
      try {
        return await work(stores);
      } finally {
        await stores.close();
      }
    },
  };
}

// ---- Comparing libraries ---------------------------------------------------------------------

/** The kinds that make the library (runs, settings and caches differ by nature: one run per page). */
const LIBRARY_KINDS = ['series', 'titles', 'progress', 'history', 'baselines', 'seriesAliases'];

/** Times stamped when the import ran (the generated ones are in 2024) read `<now>`: the two imports ran at different times. */
function withoutNow(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) =>
    typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) && Math.abs(Date.parse(v) - Date.now()) < 86_400_000 ? '<now>' : v,
  );
}

async function libraryDump(storage: Parameters<typeof dumpOwner>[0], ownerId: string) {
  const { records } = await dumpOwner(storage, ownerId);
  return withoutNow(records.filter((r) => LIBRARY_KINDS.includes(r.kind)));
}

async function localDump(store: string) {
  const storage = openSqliteStorage({ path: store });
  try {
    return await libraryDump(storage, 'local');
  } finally {
    await storage.close();
  }
}

interface ImportJson {
  committed: boolean;
  titles: Record<string, number>;
  series: Record<string, number>;
  progress: Record<string, number>;
  changes: Record<string, unknown>;
  pages?: number;
}

// ---- The tests -------------------------------------------------------------------------------

describe(`import --api-url to a server with SAGASYNC_BODY_LIMIT=${BODY_LIMIT / 1024}kb`, () => {
  const server = serverWithBodyLimit(`${BODY_LIMIT / 1024}kb`);
  const s = scratch();
  const records = generatedLibrary();
  const file = libraryFile(s.dir, records);
  const proxy = { current: null as Awaited<ReturnType<typeof proxyTo>> | null };
  beforeAll(async () => {
    proxy.current = await proxyTo(() => server.url);
  });
  afterAll(async () => {
    await proxy.current?.close();
    s.cleanup();
  });

  it('previews in pages writing nothing, commits in pages, and ends with the library a local import makes', async () => {
    expect(Buffer.byteLength(JSON.stringify(records))).toBeGreaterThan(4 * BODY_LIMIT);
    const { url, seen } = proxy.current!;
    const localPreview = (await run(['import', file, '--json'], { store: s.store })).json<ImportJson>();
    const local = await run(['import', file, '--commit', '--json'], { store: s.store });
    expect(local.code, local.stderr).toBe(0);
    const localCommit = local.json<ImportJson>();

    // A preview, in pages, writes nothing at all: not even an Idempotency-Key record.
    const bob = await server.addUser('bob');
    const preview = await run(['import', file, '--api-url', url, '--json'], { store: s.store, env: { SAGASYNC_API_TOKEN: bob.token } });
    expect(preview.code, preview.stderr).toBe(0);
    const previewJson = preview.json<ImportJson>();
    expect(previewJson.pages).toBeGreaterThan(3);
    expect(previewJson).toMatchObject({ committed: false, titles: localPreview.titles, series: localPreview.series, progress: localPreview.progress });
    expect(previewJson.changes).toEqual(localPreview.changes);
    expect(seen.filter((r) => r.method === 'POST').every((r) => r.key === null)).toBe(true);
    await server.withStores(async ({ storage }) => {
      expect((await dumpOwner(storage, bob.user.id)).records).toEqual([]);
      for (const kind of ['idempotency', 'job', 'series-status']) expect((await storage.listExpiring(bob.user.id, kind, new Date())).items, kind).toEqual([]);
    });

    // The commit: 413s first (pages of 4 MiB, then half as large each time), then pages that fit.
    seen.length = 0;
    const alice = await server.addUser('alice');
    const remote = await run(['import', file, '--commit', '--api-url', url, '--json'], { store: s.store, env: { SAGASYNC_API_TOKEN: alice.token } });
    expect(remote.code, remote.stderr).toBe(0);
    const remoteJson = remote.json<ImportJson>();
    const posts = seen.filter((r) => r.method === 'POST');
    const accepted = posts.filter((r) => r.status < 400);
    expect(posts.filter((r) => r.status === 413).length).toBeGreaterThan(0);
    expect(posts.every((r) => r.status === 413 || r.status === 200)).toBe(true);
    expect(accepted.length).toBe(remoteJson.pages);
    expect(remoteJson.pages).toBeGreaterThan(3);
    for (const r of accepted) expect(r.bytes).toBeLessThanOrEqual(BODY_LIMIT);
    expect(new Set(accepted.map((r) => r.key)).size).toBe(accepted.length);
    // One answer, as the local import's.
    expect(remoteJson).toMatchObject({ committed: true, titles: localCommit.titles, series: localCommit.series, progress: localCommit.progress });
    expect(remoteJson.changes).toEqual(localCommit.changes);

    // The same library: every record, and what the series report makes of them (missing volumes included).
    const serverDump = await server.withStores(({ storage }) => libraryDump(storage, alice.user.id));
    expect(serverDump).toEqual(await localDump(s.store));
    const api = async (path: string) => (await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${alice.token}` } })).json();
    expect(withoutNow(await api('/api/books'))).toEqual(withoutNow((await run(['books', 'list', '--json'], { store: s.store })).json()));
    expect(withoutNow(await api('/api/series'))).toEqual(withoutNow((await run(['series', 'list', '--json'], { store: s.store })).json()));
    // Once more: nothing changes.
    const again = await run(['import', file, '--commit', '--api-url', url, '--json'], { store: s.store, env: { SAGASYNC_API_TOKEN: alice.token } });
    expect(again.json<ImportJson>()).toMatchObject({ titles: { created: 0, updated: 0 }, series: { created: 0, updated: 0 }, progress: { created: 0, updated: 0 } });
  });

  it('retries a page whose answer was lost with the same Idempotency-Key, and the server applies it once', async () => {
    // The records themselves (a library file keeps one progress report per title, and none for
    // titles it lacks): two reports for a title, one for a title nobody has.
    expect(records.progress.length).toBeGreaterThan(new Set(records.progress.map((p) => p.asin)).size);
    const { url, seen, dropAnswer } = proxy.current!;
    seen.length = 0;
    const carol = await server.addUser('carol');
    dropAnswer(2);
    const answer = await postImport(url, records, { commit: true, source: 'library.json', token: carol.token, pageBytes: 150 * 1024, retryDelayMs: 10 });
    const posts = seen.filter((r) => r.method === 'POST');
    expect(answer.pages).toBeGreaterThan(3);
    expect(posts.length).toBe(answer.pages + 1);
    // The second page went twice with one key; the second time the server answered with the first answer.
    expect(posts[1]!.key).toBe(posts[2]!.key);
    expect(posts.map((r) => r.replayed)).toEqual(posts.map((_, i) => i === 2));
    expect(answer.runIds).toHaveLength(answer.pages);

    // What one import of all the records at once makes.
    const once = createMemoryStorage();
    const report = await importLibrary({ storage: once, ownerId: 'once' }, records, { commit: true, source: 'library.json' });
    expect(answer.summary).toEqual(report.summary);
    expect(answer.notes).toEqual(report.notes);
    await server.withStores(async ({ storage }) => {
      expect((await storage.listSyncRuns(carol.user.id, { kind: 'import' })).items).toHaveLength(answer.pages);
      expect(await libraryDump(storage, carol.user.id)).toEqual(await libraryDump(once, 'once'));
    });
  });

  it('stops with a clear error when one title’s records are larger than the server takes', async () => {
    const dave = await server.addUser('dave');
    const huge = { titles: [{ ...records.titles[0]!, subtitle: 'x'.repeat(BODY_LIMIT) }], series: [], progress: [] };
    await expect(postImport(proxy.current!.url, huge, { commit: true, source: 'x', token: dave.token })).rejects.toMatchObject({
      message: expect.stringContaining('cannot be split'),
      hint: expect.stringContaining('SAGASYNC_BODY_LIMIT'),
    });
  });
});
