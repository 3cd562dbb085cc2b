import { AsinSchema, applyInChunks, readAll, readSequence, seriesKeyFor, type BatchOperation, type StoragePort, type TitleData } from '@sagasync/core';
import { createMemoryStorage } from '@sagasync/storage';
import { describe, expect, it } from 'vitest';
import { loadEvalSet } from '../../test/eval-set.js';
import type { TrackerBookInput } from '../sources/types.js';
import { linkManually, resolveConflict } from './decide-by-hand.js';
import type { MatcherDeps } from './deps.js';
import { planMatch, toMatchJson } from './plan-match.js';
import { runMatch, type MatchRunResult, type RunMatchOptions } from './run-match.js';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = new Date('2026-03-01T00:00:00.000Z');
const set = loadEvalSet();

const titleData = set.titles.map(
  (t): TitleData => ({
    asin: t.asin, title: t.title, subtitle: t.subtitle ?? null, authors: [...t.authors], narrators: [], runtimeMinutes: null, releaseDate: null, purchaseDate: null,
    coverUrl: null, language: null, marketplace: 'us', sourceAccount: null, owned: true, isPodcast: false, contributors: [], forSale: null, createdAt: T0, updatedAt: T0,
    series: (t.series ?? []).map((s) => ({ seriesKey: seriesKeyFor(null, s.seriesTitle), seriesAsin: null, seriesTitle: s.seriesTitle, ...readSequence(s.sequence) })),
  }),
);
/** The labelled set's 500-odd books, as one Goodreads export. */
const evalBooks = set.books.map(
  (b): TrackerBookInput => ({
    source: 'goodreads', trackerId: b.trackerId, title: b.title, authors: [...b.authors], isbn10: b.isbn10 ?? null, isbn13: b.isbn13 ?? null,
    asin: b.asin && AsinSchema.safeParse(b.asin).success ? b.asin : null, seriesHint: null, status: null,
  }),
);
const held = (i: number) => i % 9 === 0; // titles that arrive only after the first match

/** Counts what reaches the store, record writes apart from sync-run rows. */
function counting(inner: StoragePort) {
  const seen = { batches: 0, records: 0 };
  const storage: StoragePort = {
    ...inner,
    applyBatch: async (ownerId, operations) => {
      const result = await inner.applyBatch(ownerId, operations);
      seen.batches++;
      seen.records += operations.filter((o) => o.op !== 'putSyncRun').length;
      return result;
    },
  };
  return { storage, seen };
}

/**
 * A store with history: a first match ran before some titles arrived, then people decided a few
 * books. The match under test then creates, moves and removes links and opens, updates, deletes
 * and resolves conflicts.
 */
async function seededStore(limit = 25): Promise<StoragePort> {
  const storage = createMemoryStorage({ limits: { maxOperationsPerBatch: limit } });
  const deps: MatcherDeps = { storage, ownerId: 'local', clock: () => new Date(T0) };
  const put = (titles: TitleData[]) => applyInChunks(storage, 'local', titles.map((value): BatchOperation[] => [{ op: 'putTitle', value }]));
  await put(titleData.filter((_, i) => !held(i)));
  for (let r: MatchRunResult | null = null; !r?.done; ) r = await runMatch(deps, evalBooks.slice(0, 400), { commit: true, cursor: r?.cursor });
  await put(titleData.filter((_, i) => held(i)));
  const links = await readAll((cursor) => storage.listLinks('local', { cursor }));
  const conflicts = (await readAll((cursor) => storage.listConflicts('local', { status: 'open', cursor }))).filter((c) => c.candidates.length >= 2);
  // A person links one book by hand, says "none of these" to an ambiguous one, and unlinks nothing.
  expect((await linkManually(deps, links[3]!.asin, links[40]!.trackerId, 'goodreads')).success).toBe(true);
  expect((await resolveConflict(deps, conflicts[0]!.id, { none: true })).success).toBe(true);
  expect((await resolveConflict(deps, conflicts[1]!.id, { link: conflicts[1]!.candidates[1]!.asin })).success).toBe(true);
  return storage;
}

async function snapshot(storage: StoragePort, stripTimes = false) {
  const all = async <T>(list: (cursor: string | null) => Promise<{ items: T[]; nextCursor: string | null }>) => readAll(list);
  const strip = <T extends object>(rows: T[]) =>
    stripTimes ? rows.map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !['createdAt', 'updatedAt', 'resolvedAt', 'decidedAt'].includes(k)))) : rows;
  return {
    trackerBooks: strip(await all((cursor) => storage.listTrackerBooks('local', { cursor }))),
    links: strip(await all((cursor) => storage.listLinks('local', { cursor }))),
    conflicts: strip(await all((cursor) => storage.listConflicts('local', { cursor }))),
    decisions: strip(await all((cursor) => storage.listDecisions('local', { cursor }))),
  };
}

/** Calls `runMatch` until done; returns every call's result. */
async function untilDone(deps: MatcherDeps, options: Omit<RunMatchOptions, 'cursor'>, between?: (call: number) => Promise<void>): Promise<MatchRunResult[]> {
  const results: MatchRunResult[] = [];
  let cursor: string | null = null;
  for (;;) {
    const result = await runMatch(deps, evalBooks, { ...options, cursor });
    results.push(result);
    if (result.done) return results;
    expect(result.cursor).toEqual(expect.any(String));
    cursor = result.cursor;
    if (between) await between(results.length);
    if (results.length > 1000) throw new Error('no progress');
  }
}

async function baseline() {
  const { storage, seen } = counting(await seededStore());
  const deps: MatcherDeps = { storage, ownerId: 'local', clock: () => T1 };
  const [result] = await untilDone(deps, { commit: true });
  return { storage, seen, result: result! };
}

function recordKey(o: BatchOperation): string {
  switch (o.op) {
    case 'putTrackerBook': return `book:${o.value.trackerId}`;
    case 'putLink': return `link:${o.value.asin}`;
    case 'deleteLink': return `link:${o.asin}`;
    case 'putConflict': return `conflict:${o.value.id}`;
    case 'deleteConflict': return `conflict:${o.id}`;
    default: throw new Error(`unexpected ${o.op}`);
  }
}

const matchRuns = async (storage: StoragePort) => (await storage.listSyncRuns('local', { kind: 'match' })).items;

describe('runMatch in pieces', () => {
  it('plans the same groups from the same state, one per book that changes', async () => {
    const storage = await seededStore();
    const read = async () => ({
      titles: await readAll((cursor) => storage.listTitles('local', { cursor })),
      links: await readAll((cursor) => storage.listLinks('local', { cursor })),
      decisions: await readAll((cursor) => storage.listDecisions('local', { cursor })),
      conflicts: await readAll((cursor) => storage.listConflicts('local', { cursor })),
      trackerBooks: await readAll((cursor) => storage.listTrackerBooks('local', { cursor })),
    });
    const state = await read();
    const plan = planMatch(evalBooks, state, { now: T1.toISOString() });
    expect(planMatch(evalBooks, state, { now: T1.toISOString() })).toEqual(plan);
    expect(await read()).toEqual(state); // pure: nothing written
    expect(plan.groups.length).toBeGreaterThan(100);
    expect(new Set(plan.groups.map((g) => g.trackerId)).size).toBe(plan.groups.length);
    // No record is touched twice, so groups can land in any batches.
    const keys = plan.groups.flatMap((g) => g.operations).map(recordKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(plan.report.counts).toMatchObject({ linksCreated: expect.any(Number), conflictsClosed: expect.any(Number) });
    for (const kind of ['trackerBooksWritten', 'linksCreated', 'linksRemoved', 'conflictsOpened', 'conflictsUpdated', 'conflictsClosed'] as const) expect(plan.report.counts[kind], kind).toBeGreaterThan(0);
  });

  it.each([3, 7, 40, 150])('stops after %i write groups and resumes to the state of one uninterrupted run', async (k) => {
    const whole = await baseline();
    const groups = whole.result.counts.books - (await matchRuns(whole.storage))[0]!.counts.unchanged;

    const { storage, seen } = counting(await seededStore());
    const deps: MatcherDeps = { storage, ownerId: 'local', clock: () => T1 };
    const results = await untilDone(deps, { commit: true, maxWrites: k });

    expect(results).toHaveLength(Math.ceil(groups / k));
    expect(results.slice(0, -1).every((r) => !r.done && r.runId === null)).toBe(true);
    // Nothing was written twice: the pieces wrote exactly the records the single run wrote.
    expect(seen.records).toBe(whole.seen.records);
    expect(await snapshot(storage)).toEqual(await snapshot(whole.storage));
    const last = results.at(-1)!;
    expect(toMatchJson(last)).toEqual(toMatchJson(whole.result));
    expect(last.counts).toEqual(whole.result.counts);
    // One run row, written with the last batch, counting the whole run.
    const runs = await matchRuns(storage);
    expect(runs.filter((r) => r.startedAt === T1.toISOString())).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: last.runId, status: 'succeeded', counts: (await matchRuns(whole.storage))[0]!.counts });
  });

  it('lets a decision made between two calls win', async () => {
    const { storage } = counting(await seededStore());
    const deps: MatcherDeps = { storage, ownerId: 'local', clock: () => T1 };
    const late = evalBooks[395]!.trackerId; // stored by the seed run, not yet reached when the person decides
    const early = evalBooks[2]!.trackerId;
    const target = titleData[5]!.asin;
    const other = titleData[6]!.asin;
    await untilDone(deps, { commit: true, maxWrites: 60 }, async (call) => {
      if (call !== 1) return;
      expect((await linkManually(deps, target, late, 'goodreads')).success).toBe(true);
      expect((await linkManually(deps, other, early, 'goodreads')).success).toBe(true);
    });
    const links = await readAll((cursor) => storage.listLinks('local', { cursor }));
    expect(links.find((l) => l.asin === target)).toMatchObject({ trackerId: late, method: 'manual' });
    expect(links.find((l) => l.asin === other)).toMatchObject({ trackerId: early, method: 'manual' });
    // A rerun agrees with what the pieces left.
    const again = await runMatch(deps, evalBooks, { commit: true });
    expect(again.counts.operations).toBe(0);
  });

  it('stops at the deadline of the context clock, between batches', async () => {
    const whole = await baseline();
    let now = T1.getTime();
    const inner = await seededStore(10);
    // Each batch takes a minute on this clock.
    const storage: StoragePort = { ...inner, applyBatch: async (owner, ops) => { now += 60_000; return inner.applyBatch(owner, ops); } };
    const deps: MatcherDeps = { storage, ownerId: 'local', clock: () => new Date(now) };
    const batchesBefore = now;
    const first = await runMatch(deps, evalBooks, { commit: true, deadline: new Date(now + 3 * 60_000) });
    expect(first.done).toBe(false);
    expect((now - batchesBefore) / 60_000).toBe(3);
    expect(first.counts.operations).toBeGreaterThan(0);
    expect(first.counts.operations).toBeLessThanOrEqual(30);
    let result = first;
    while (!result.done) result = await runMatch(deps, evalBooks, { commit: true, deadline: new Date(now + 5 * 60_000), cursor: result.cursor });
    expect(await snapshot(storage, true)).toEqual(await snapshot(whole.storage, true));
    expect(result.counts).toEqual(whole.result.counts);
    const runs = await matchRuns(storage);
    expect(runs[0]).toMatchObject({ startedAt: T1.toISOString(), status: 'succeeded' });
  });

  it('refuses a cursor of another match and nonsense limits', async () => {
    const storage = await seededStore();
    const deps: MatcherDeps = { storage, ownerId: 'local', clock: () => T1 };
    const first = await runMatch(deps, evalBooks, { commit: true, maxWrites: 5 });
    await expect(runMatch(deps, evalBooks.slice(1), { commit: true, cursor: first.cursor })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(runMatch(deps, evalBooks, { commit: true, cursor: 'bm9wZQ' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(runMatch(deps, evalBooks, { commit: true, maxWrites: 0 })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('runMatch with a concurrent writer', () => {
  const book = (trackerId: string, name: string, authors: string[], status: TrackerBookInput['status'] = 'finished'): TrackerBookInput => ({
    source: 'goodreads', trackerId, title: name, authors, isbn10: null, isbn13: null, asin: null, seriesHint: null, status,
  });
  const title = (asin: string, name: string, authors: string[], marketplace = 'us'): TitleData => ({ ...titleData[0]!, asin, title: name, subtitle: null, authors, series: [], marketplace });
  // Book 2's group (its tracker book and its conflict) lands in the second batch.
  const books = [book('1', 'Dune', ['Frank Herbert']), book('3', 'Emma', ['Jane Austen']), book('2', 'Misery', ['Stephen King']), book('4', 'Persuasion', ['Jane Austen'])];

  it('re-reads and re-plans when a person settles a conflict between its read and its write', async () => {
    const inner = createMemoryStorage({ limits: { maxOperationsPerBatch: 3 } });
    const innerDeps: MatcherDeps = { storage: inner, ownerId: 'local', clock: () => T1 };
    await inner.applyBatch('local', [
      { op: 'putTitle', value: title('B000000001', 'Dune', ['Frank Herbert']) },
      { op: 'putTitle', value: title('B000000002', 'Misery', ['Stephen King']) },
      { op: 'putTitle', value: title('B000000003', 'Misery', ['Stephen King'], 'uk') },
    ]);
    await runMatch(innerDeps, books, { commit: true });
    expect((await inner.getConflict('local', 'goodreads:2'))!.candidates).toHaveLength(2);
    // A third edition: the open conflict must be refreshed (a versioned write).
    await inner.applyBatch('local', [{ op: 'putTitle', value: title('B000000004', 'Misery', ['Stephen King'], 'au') }]);

    let raced = false;
    const written: BatchOperation[] = [];
    const batches: (readonly BatchOperation[])[] = [];
    const storage: StoragePort = {
      ...inner,
      applyBatch: async (owner, ops) => {
        if (!raced && ops.some((o) => o.op === 'putConflict')) {
          raced = true;
          expect((await linkManually(innerDeps, 'B000000003', '2', 'goodreads')).success).toBe(true);
        }
        const result = await inner.applyBatch(owner, ops);
        written.push(...ops);
        batches.push(ops);
        return result;
      },
    };
    const changed = books.map((b) => ({ ...b, status: 'in_progress' as const }));
    const result = await runMatch({ storage, ownerId: 'local', clock: () => T1 }, changed, { commit: true });

    expect(raced).toBe(true);
    expect(result).toMatchObject({ done: true, attempts: 2 });
    // The person's answer stands; the stale conflict refresh was dropped, not forced.
    expect((await inner.getConflict('local', 'goodreads:2'))!.status).toBe('resolved');
    expect(result.links.find((l) => l.trackerId === '2')).toMatchObject({ asin: 'B000000003', method: 'manual' });
    expect(result.conflicts).toEqual([]);
    // Every tracker book written once, whichever attempt wrote it.
    expect(written.filter((o) => o.op === 'putTrackerBook').map((o) => (o as { value: { trackerId: string } }).value.trackerId).sort()).toEqual(['1', '2', '3', '4']);
    expect(result.counts.trackerBooksWritten).toBe(4);
    expect(written.filter((o) => o.op === 'putSyncRun')).toHaveLength(1);
    expect(batches.map((b) => b.length)).toEqual([2, 3]); // books 1 and 3 landed before the race; then book 2, book 4 and the run row
  });

  it('logs a failed run when a batch fails for another reason, and a rerun finishes the work', async () => {
    const inner = createMemoryStorage({ limits: { maxOperationsPerBatch: 2 } });
    await inner.applyBatch('local', [{ op: 'putTitle', value: title('B000000001', 'Dune', ['Frank Herbert']) }]);
    let failNext = false;
    let batches = 0;
    const storage: StoragePort = {
      ...inner,
      applyBatch: async (owner, ops) => {
        if (++batches === 2) failNext = true;
        if (failNext && ops.some((o) => o.op !== 'putSyncRun')) throw new Error('store went away');
        return inner.applyBatch(owner, ops);
      },
    };
    const deps: MatcherDeps = { storage, ownerId: 'local', clock: () => T1 };
    await expect(runMatch(deps, books, { commit: true })).rejects.toThrow('store went away');
    const [failed] = await matchRuns(inner);
    expect(failed).toMatchObject({ status: 'failed', error: 'store went away', counts: { created: 1, updated: 0, failed: 3 } }); // book 1 (its tracker book and link) landed in the first batch
    failNext = false;
    batches = 10;
    const rerun = await runMatch(deps, books, { commit: true });
    expect(rerun.counts.trackerBooksWritten).toBe(3);
    expect((await readAll((cursor) => inner.listTrackerBooks('local', { cursor }))).map((b) => b.trackerId)).toEqual(['1', '2', '3', '4']);
  });
});
