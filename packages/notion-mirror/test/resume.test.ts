import type { StoragePort } from '@sagasync/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pushToNotion, type PushDeps, type PushResult } from '../src/apply/push.js';
import { hashValues, valueFromResponse, type PropertyValues } from '../src/plan/property-values.js';
import { listRecords, loadMirror } from '../src/state/mirror-records.js';
import { SETTINGS_KEYS } from '../src/state/settings.js';
import { dyingAfterCreates, OWNER, world, type World } from './helpers.js';

const TITLES = 500;
const SERIES = 20;
const WRITES = TITLES + SERIES;
const MAX_STOPS = 80;
/** The fake answers this fast, and the client paces itself to it: no 429s, no waiting. */
const FAST = { requestsPerSecond: 5000, burst: 5000 };

const queries = (w: World) => w.fake.stats.byRoute['POST /v1/data_sources/:id/query'] ?? 0;
const creates = (w: World) => w.fake.stats.byRoute['POST /v1/pages'] ?? 0;
const patches = (w: World) => w.fake.stats.byRoute['PATCH /v1/pages/:id'] ?? 0;

/**
 * What a push leaves behind, free of page ids (which differ between two fakes): every live page's
 * values by key, relations as the keys they point at, and every mirror record. Checks on the way
 * that each record names the one live page with its key and hashes exactly that page's values.
 */
async function finalState(w: World) {
  const pageValues = (id: string): PropertyValues => {
    const res = w.fake.state.pageResponse(w.fake.state.getPage(id)) as { properties: Record<string, unknown> };
    return Object.fromEntries(Object.entries(res.properties).flatMap(([k, p]) => (valueFromResponse(p) ? [[k, valueFromResponse(p)!]] : [])));
  };
  const seriesPages = w.fake.state.listPages(w.seriesDs);
  const bookPages = w.fake.state.listPages(w.booksDs);
  const keyOfSeries = new Map(seriesPages.map((p) => [p.id, String(w.fake.state.plainValues(p).Key)]));
  const keyOfBook = new Map(bookPages.map((p) => [p.id, String(w.fake.state.plainValues(p).ASIN)]));
  const series = seriesPages
    .map((p) => {
      const v = w.fake.state.plainValues(p);
      return { ...v, Books: (v.Books as string[]).map((id) => keyOfBook.get(id)).sort() } as Record<string, unknown>;
    })
    .sort((a, b) => String(a.Key).localeCompare(String(b.Key)));
  const books = bookPages
    .map((p) => {
      const v = w.fake.state.plainValues(p);
      return { ...v, Series: (v.Series as string[]).map((id) => keyOfSeries.get(id)) } as Record<string, unknown>;
    })
    .sort((a, b) => String(a.ASIN).localeCompare(String(b.ASIN)));

  const records = [...(await listRecords(w.storage, OWNER, 'series')), ...(await listRecords(w.storage, OWNER, 'books'))];
  const pageIdByKey = { series: new Map([...keyOfSeries].map(([id, k]) => [k, id])), books: new Map([...keyOfBook].map(([id, k]) => [k, id])) };
  for (const r of records) {
    expect(r.pageId, `${r.table} ${r.key}`).toBe(pageIdByKey[r.table].get(r.key));
    const live = hashValues(pageValues(r.pageId));
    for (const [name, hash] of Object.entries(r.hashes)) expect(live[name], `${r.key}.${name}`).toBe(hash);
  }
  // Relation hashes name page ids; everything else must be equal between two worlds.
  const portable = records.map(({ table, key, origin, synthetic, hashes }) => ({ table, key, origin, synthetic, hashes: Object.fromEntries(Object.entries(hashes).filter(([n]) => n !== 'Series')) }));
  return { series, books, records: portable };
}

async function syncRuns(storage: StoragePort) {
  return (await storage.listSyncRuns(OWNER, { kind: 'notion_push' })).items;
}

describe('a push stopped after k writes and resumed', () => {
  let baseline: World;
  let expected: Awaited<ReturnType<typeof finalState>>;
  let baselineStats: { creates: number; patches: number; queries: number };

  beforeAll(async () => {
    baseline = await world(TITLES, SERIES, FAST, FAST);
    const once = await pushToNotion(baseline.deps);
    expect(once).toMatchObject({ done: true, cursor: null, writes: WRITES, run: { status: 'succeeded' } });
    baselineStats = { creates: creates(baseline), patches: patches(baseline), queries: queries(baseline) };
    expected = await finalState(baseline);
  });
  afterAll(async () => {
    await baseline.close();
  });

  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('one uninterrupted push is the reference: every page once, records for all of them', () => {
    expect(baselineStats).toEqual({ creates: WRITES, patches: 0, queries: 2 });
    expect(expected.books).toHaveLength(TITLES);
    expect(expected.series).toHaveLength(SERIES);
    expect(expected.records).toHaveLength(WRITES);
    expect(expected.books[4]).toMatchObject({ ASIN: 'B000000005', Owned: false, Series: ['S000000005'] });
  });

  it.each([1, 7, 250, 499])('k = %i: ends in the same Notion pages and mirror records, no write repeated', { timeout: 60_000 }, async (k) => {
    w = await world(TITLES, SERIES, FAST, FAST);
    const calls: PushResult[] = [await pushToNotion(w.deps, { maxWrites: k })];
    expect(calls[0]).toMatchObject({ done: false, stoppedBy: 'max_writes', writes: k, run: { status: 'stopped', counts: { created: k } } });
    expect(calls[0]!.cursor).toEqual(expect.any(String));
    // Nothing is logged as a finished run while it is stopped.
    expect(await syncRuns(w.storage)).toEqual([]);
    expect((await listRecords(w.storage, OWNER, 'series')).length + (await listRecords(w.storage, OWNER, 'books')).length).toBe(k);

    // Stop after every k writes, up to MAX_STOPS calls (k = 1 would take 520), then run to the end.
    while (!calls.at(-1)!.done) {
      const limited = calls.length < MAX_STOPS;
      const next = await pushToNotion(w.deps, { ...(limited ? { maxWrites: k } : {}), cursor: calls.at(-1)!.cursor });
      if (limited) expect(next.writes).toBeLessThanOrEqual(k);
      expect(next.writes).toBeGreaterThan(0);
      calls.push(next);
    }
    expect(calls).toHaveLength(Math.min(Math.ceil(WRITES / k), MAX_STOPS + 1));
    expect(calls.reduce((n, c) => n + c.writes, 0)).toBe(WRITES);
    // Only the first call scanned; every page was created once, none patched afterwards.
    expect({ creates: creates(w), patches: patches(w), queries: queries(w) }).toEqual(baselineStats);
    expect(await finalState(w)).toEqual(expected);

    const last = calls.at(-1)!;
    expect(last.run).toMatchObject({ id: calls[0]!.run!.id, startedAt: calls[0]!.run!.startedAt, status: 'succeeded', counts: { created: WRITES, updated: 0, failed: 0 } });
    const runs = await syncRuns(w.storage);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: calls[0]!.run!.id, status: 'succeeded', startedAt: calls[0]!.run!.startedAt, counts: { created: WRITES, updated: 0, failed: 0 } });
    expect(await w.storage.getSetting(OWNER, SETTINGS_KEYS.push)).toBeNull();
  });
});

describe('deadline and cursor', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('stops before the next write once the injected clock reaches the deadline, and resumes from the cursor', async () => {
    w = await world(30, 4);
    const t0 = Date.parse('2026-03-01T08:00:00.000Z');
    let now = t0;
    // Every Notion request takes one second of the injected clock.
    const deps: PushDeps = { ...w.deps, clock: () => new Date(now), notion: { ...w.notion, onRequest: () => void (now += 1000) } };
    const at = (seconds: number) => new Date(t0 + seconds * 1000);

    // 2 schema reads and 2 scan requests, then writes while the clock is before 10.5 s: writes 1..7 end at 5..11 s.
    const first = await pushToNotion(deps, { deadline: at(10.5) });
    expect(first).toMatchObject({ done: false, stoppedBy: 'deadline', writes: 7, series: { created: 4 }, books: { created: 3 } });
    expect(queries(w)).toBe(2);
    // Records carry the injected time: the first write (Series S000000001) ended at 5 s.
    expect((await w.storage.getMirrorRecord(OWNER, 'series', 'S000000001'))?.updatedAt).toBe(at(5).toISOString());
    expect((await w.storage.getMirrorRecord(OWNER, 'books', 'B000000003'))?.updatedAt).toBe(at(11).toISOString());

    // The continuation reads neither the schema nor the pages again: from 11 s, writes until 16.5 s.
    w.fake.resetStats();
    const second = await pushToNotion(deps, { deadline: at(16.5), cursor: first.cursor });
    expect(second).toMatchObject({ done: false, stoppedBy: 'deadline', writes: 6 });
    expect(w.fake.stats.total).toBe(6);
    expect(queries(w)).toBe(0);

    // A deadline already passed writes nothing, and the cursor it returns still works.
    const idle = await pushToNotion(deps, { deadline: at(0), cursor: second.cursor });
    expect(idle).toMatchObject({ done: false, stoppedBy: 'deadline', writes: 0 });
    expect(w.fake.stats.total).toBe(6);

    const last = await pushToNotion(deps, { cursor: idle.cursor });
    expect(last).toMatchObject({ done: true, cursor: null, stoppedBy: null, writes: 34 - 13, run: { status: 'succeeded', startedAt: at(0).toISOString() } });
    expect(w.fake.stats.byRoute['POST /v1/pages']).toBe(6 + 21);
    expect(w.fake.state.listPages(w.booksDs)).toHaveLength(30);
    const runs = await syncRuns(w.storage);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: first.run!.id, startedAt: at(0).toISOString(), finishedAt: at(38).toISOString(), counts: { created: 34 } });
  });

  it('scans again when a cursor was already used by a call that crashed, and so never duplicates a page', async () => {
    w = await world(30, 4);
    const first = await pushToNotion(w.deps, { maxWrites: 10 });
    expect(first.done).toBe(false);

    // A call continues from the cursor and dies right after its 3rd create, before storing its record.
    const { storage: dying, notion } = dyingAfterCreates(w, 3);
    await expect(pushToNotion({ ...w.deps, storage: dying, notion }, { cursor: first.cursor })).rejects.toThrow();
    expect(w.fake.state.listPages(w.booksDs)).toHaveLength(6 + 3);
    expect(Object.keys((await loadMirror(w.storage, OWNER)).books)).toHaveLength(6 + 2);

    // The same cursor again: the store says it was taken, so this call scans and adopts the unrecorded page.
    w.fake.resetStats();
    const retry = await pushToNotion(w.deps, { cursor: first.cursor });
    expect(queries(w)).toBe(2);
    expect(retry).toMatchObject({ done: true, books: { adopted: 1, created: 30 - 9 } });
    const asins = w.fake.state.listPages(w.booksDs).map((p) => w!.fake.state.plainValues(p).ASIN);
    expect(new Set(asins).size).toBe(30);
    expect(asins).toHaveLength(30);
    // The crashed call could not log itself (its store was gone); the run, once done, is logged under its id.
    const runs = await syncRuns(w.storage);
    // Its totals are those the cursor carried plus the retry's: the crashed call's two recorded creates are in neither.
    expect(runs).toMatchObject([{ id: first.run!.id, status: 'succeeded', counts: { created: 10 + 21 } }]);
  });

  it('refuses a cursor it did not make and a maxWrites that is not a positive integer', async () => {
    w = await world(3, 1);
    await expect(pushToNotion(w.deps, { cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(pushToNotion(w.deps, { maxWrites: 0 })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(w.fake.stats.total).toBe(0);
  });
});
