import type { StoragePort, TitleData } from '@sagasync/core';
import { createMemoryStorage } from '@sagasync/storage';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TrackerBookInput } from '../sources/types.js';
import { linkManually, resolveConflict, unlink } from './decide-by-hand.js';
import type { MatcherDeps } from './deps.js';
import { listConflicts } from './list-conflicts.js';
import { toMatchJson } from './plan-match.js';
import { runMatch } from './run-match.js';

const T0 = '2026-01-01T00:00:00.000Z';

function title(asin: string, name: string, authors: string[], extra: Partial<TitleData> = {}): TitleData {
  return {
    asin, title: name, subtitle: null, authors, narrators: [], runtimeMinutes: null, releaseDate: null, purchaseDate: null, coverUrl: null,
    language: null, marketplace: 'us', sourceAccount: null, owned: true, isPodcast: false, contributors: [], forSale: null, series: [], createdAt: T0, updatedAt: T0, ...extra,
  };
}

function book(trackerId: string, name: string, authors: string[], extra: Partial<TrackerBookInput> = {}): TrackerBookInput {
  return { source: 'goodreads', trackerId, title: name, authors, isbn10: null, isbn13: null, asin: null, seriesHint: null, status: 'finished', ...extra };
}

const books = [
  book('1', 'Dune', ['Frank Herbert'], { seriesHint: { title: 'Dune', sequence: '1' } }),
  book('2', 'Misery', ['Stephen King']),
  book('3', 'Project Hail Mary', ['Andy Weir']),
  book('4', 'Emma', ['Jane Austen']),
  book('5', 'Whatever', [], { isbn13: '9780553418026' }), // ISBN of the audio edition whose ASIN is its ISBN-10
];

let storage: StoragePort;
let deps: MatcherDeps;
let tick = 0;

beforeEach(async () => {
  storage = createMemoryStorage();
  tick = 0;
  deps = { storage, ownerId: 'local', clock: () => new Date(Date.parse(T0) + 60_000 * ++tick) };
  await storage.applyBatch('local', [
    { op: 'putTitle', value: title('B000000001', 'Dune', ['Frank Herbert'], { series: [{ seriesKey: 'title:dune', seriesAsin: null, seriesTitle: 'Dune', sequence: '1', position: { kind: 'number', value: 1 } }] }) },
    { op: 'putTitle', value: title('B000000002', 'Misery', ['Stephen King']) },
    { op: 'putTitle', value: title('B000000003', 'Misery', ['Stephen King'], { marketplace: 'uk' }) },
    { op: 'putTitle', value: title('B000000004', 'Emma', ['Alexander McCall Smith']) },
    { op: 'putTitle', value: title('0553418025', 'The Martian', ['Andy Weir']) },
  ]);
});

describe('runMatch', () => {
  it('previews without writing, then commits links, conflicts and tracker books in one batch', async () => {
    const preview = await runMatch(deps, books, { commit: false });
    expect(preview.committed).toBe(false);
    expect((await storage.listLinks('local')).items).toEqual([]);
    expect(toMatchJson(preview)).toEqual({
      links: [
        { trackerId: '1', asin: 'B000000001', method: 'title_author', score: expect.any(Number) },
        { trackerId: '5', asin: '0553418025', method: 'isbn', score: 1 },
      ],
      conflicts: [{ trackerId: '2', candidates: [{ asin: 'B000000002', score: 1 }, { asin: 'B000000003', score: 1 }] }],
      unmatched: ['3', '4'],
    });

    const report = await runMatch(deps, books, { commit: true });
    expect(report.committed).toBe(true);
    expect(report.counts).toMatchObject({ books: 5, trackerBooksWritten: 5, linksCreated: 2, conflictsOpened: 1 });
    expect((await storage.listLinks('local')).items.map((l) => [l.asin, l.trackerId, l.method])).toEqual([
      ['0553418025', '5', 'isbn'],
      ['B000000001', '1', 'title_author'],
    ]);
    const [conflict] = (await storage.listConflicts('local')).items;
    expect(conflict).toMatchObject({ id: 'goodreads:2', status: 'open', trackerId: '2' });
    expect(conflict!.candidates[0]!.reason).toMatch(/title 1\.00/);
    expect((await storage.listTrackerBooks('local', { source: 'goodreads' })).items).toHaveLength(5);
  });

  it('is idempotent: a second run changes nothing', async () => {
    await runMatch(deps, books, { commit: true });
    const again = await runMatch(deps, books, { commit: true });
    expect(again.counts).toMatchObject({ trackerBooksWritten: 0, linksCreated: 0, linksUpdated: 0, linksRemoved: 0, conflictsOpened: 0, conflictsUpdated: 0, operations: 0 });
    expect(again.links.every((l) => l.change === 'unchanged')).toBe(true);
    expect(again.conflicts.map((c) => c.change)).toEqual(['unchanged']);
  });

  it('never reopens a resolved conflict and remembers the decision', async () => {
    await runMatch(deps, books, { commit: true });
    const resolved = await resolveConflict(deps, 'goodreads:2', { link: 'B000000003' });
    expect(resolved.success).toBe(true);
    const again = await runMatch(deps, books, { commit: true });
    expect(again.conflicts).toEqual([]);
    expect(again.links.find((l) => l.trackerId === '2')).toMatchObject({ asin: 'B000000003', method: 'manual', score: 1, reason: 'remembered decision' });
    expect((await storage.getConflict('local', 'goodreads:2'))!.status).toBe('resolved');
  });

  it('keeps a "none of these" answer on later runs', async () => {
    await runMatch(deps, books, { commit: true });
    const resolved = await resolveConflict(deps, 'goodreads:2', { none: true });
    expect(resolved.success && resolved.value.conflict.status).toBe('resolved');
    const again = await runMatch(deps, books, { commit: true });
    expect(again.unmatched).toContain('2');
    expect(again.unmatchedDetails.find((u) => u.trackerId === '2')!.reason).toMatch(/none of these/);
    expect((await storage.listConflicts('local', { status: 'open' })).items).toEqual([]);
  });

  it('lets one title link to one book per source: an exact tie becomes two conflicts', async () => {
    const twins = [book('10', 'Dune', ['Frank Herbert']), book('11', 'Dune', ['Frank Herbert'])];
    const report = await runMatch(deps, twins, { commit: true });
    expect(report.links).toEqual([]);
    expect(report.conflicts.map((c) => c.trackerId)).toEqual(['10', '11']);
    expect(report.conflicts[0]!.reason).toMatch(/several tracker books/);
  });

  it('an identifier claim beats a fuzzy claim on the same title', async () => {
    const report = await runMatch(deps, [book('20', 'The Martian', ['Andy Weir']), book('21', 'Mars book', [], { isbn10: '0553418025' })], { commit: false });
    expect(toMatchJson(report).links).toEqual([{ trackerId: '21', asin: '0553418025', method: 'isbn', score: 1 }]);
    expect(report.conflicts.map((c) => [c.trackerId, c.reason])).toEqual([['20', '0553418025 is a stronger match for tracker book 21']]);
  });

  it('drops a stale open conflict when the book is no longer ambiguous', async () => {
    await runMatch(deps, books, { commit: true });
    await storage.applyBatch('local', [{ op: 'deleteTitle', asin: 'B000000003' }]);
    const again = await runMatch(deps, books, { commit: true });
    expect(again.links.find((l) => l.trackerId === '2')).toMatchObject({ asin: 'B000000002', method: 'title_author', change: 'created' });
    expect(again.counts.conflictsClosed).toBe(1);
    expect(await storage.getConflict('local', 'goodreads:2')).toBeNull();
  });

  it('a second resolution replaces the first decision', async () => {
    await runMatch(deps, books, { commit: true });
    await resolveConflict(deps, 'goodreads:2', { link: 'B000000003' });
    const again = await resolveConflict(deps, 'goodreads:2', { link: 'B000000002' });
    expect(again.success).toBe(true);
    expect((await storage.listLinks('local', { trackerId: '2' })).items.map((l) => l.asin)).toEqual(['B000000002']);
    expect((await storage.listDecisions('local', { trackerId: '2' })).items.map((d) => [d.asin, d.decision])).toEqual([['B000000002', 'link']]);
    const rerun = await runMatch(deps, books, { commit: true });
    expect(rerun.links.find((l) => l.trackerId === '2')).toMatchObject({ asin: 'B000000002', method: 'manual' });
  });

  it('stores only the tracker book fields, whatever else a caller passes', async () => {
    const withExtra = { ...books[0]!, updatedAt: '2020-01-01T00:00:00.000Z', note: 'x' } as TrackerBookInput;
    await runMatch(deps, [withExtra], { commit: true });
    const stored = await storage.getTrackerBook('local', 'goodreads', '1');
    expect(stored).not.toHaveProperty('note');
    expect(stored!.updatedAt).not.toBe('2020-01-01T00:00:00.000Z');
  });

  it('refuses books from another source than the one asked for', async () => {
    await expect(runMatch(deps, [book('1', 'Dune', [], { source: 'storygraph' })], { commit: false, source: 'goodreads' })).rejects.toThrow(/storygraph/);
  });
});

describe('manual links', () => {
  it('a manual link wins over automatic matching and survives re-runs', async () => {
    await runMatch(deps, books, { commit: true });
    const linked = await linkManually(deps, 'B000000004', '4');
    expect(linked.success).toBe(true);
    const again = await runMatch(deps, books, { commit: true });
    expect(again.links.find((l) => l.trackerId === '4')).toMatchObject({ asin: 'B000000004', method: 'manual' });
  });

  it('linking a title already linked to another book moves it and stops the other book from taking it back', async () => {
    await runMatch(deps, books, { commit: true });
    const moved = await linkManually(deps, 'B000000001', '3', 'goodreads');
    expect(moved.success && moved.value.replaced?.trackerId).toBe('1');
    const again = await runMatch(deps, books, { commit: true });
    expect(toMatchJson(again).links.filter((l) => l.asin === 'B000000001')).toEqual([{ trackerId: '3', asin: 'B000000001', method: 'manual', score: 1 }]);
    expect(again.unmatched).toContain('1');
  });

  it('linking settles an open conflict for that book', async () => {
    await runMatch(deps, books, { commit: true });
    const linked = await linkManually(deps, 'B000000002', '2');
    expect(linked.success && linked.value.resolvedConflict?.status).toBe('resolved');
  });

  it('unlink removes the link and remembers "not this one"', async () => {
    await runMatch(deps, books, { commit: true });
    const removed = await unlink(deps, 'B000000001');
    expect(removed.success && removed.value.removed.map((l) => l.trackerId)).toEqual(['1']);
    const again = await runMatch(deps, books, { commit: true });
    expect(again.links.find((l) => l.trackerId === '1')).toBeUndefined();
    expect(again.unmatched).toContain('1');
  });

  it('returns not-found errors as values', async () => {
    const noTitle = await linkManually(deps, 'B0ZZZZZZZZ', '1');
    expect(!noTitle.success && noTitle.error.code).toBe('not_found');
    await runMatch(deps, books, { commit: true });
    const noBook = await linkManually(deps, 'B000000001', '999');
    expect(!noBook.success && noBook.error.code).toBe('not_found');
    const noConflict = await resolveConflict(deps, 'goodreads:999', { none: true });
    expect(!noConflict.success && noConflict.error.code).toBe('not_found');
    const noLink = await unlink(deps, 'B000000004');
    expect(!noLink.success && noLink.error.code).toBe('not_found');
  });
});

describe('listConflicts', () => {
  it('shows each conflict with its book and candidate titles', async () => {
    await runMatch(deps, books, { commit: true });
    const [view] = await listConflicts(deps, { status: 'open' });
    expect(view!.book).toMatchObject({ trackerId: '2', title: 'Misery' });
    expect(view!.candidates.map((c) => [c.asin, c.title])).toEqual([
      ['B000000002', 'Misery'],
      ['B000000003', 'Misery'],
    ]);
    expect(await listConflicts(deps, { status: 'resolved' })).toEqual([]);
  });
});
