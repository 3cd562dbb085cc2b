import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeOpenLibrary, type FakeOpenLibrary } from '@sagasync/fake-openlibrary';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { examples, run, scratch } from './harness.js';

interface MatchJson {
  committed: boolean;
  links: { trackerId: string; asin: string; method: string; score: number }[];
  conflicts: { trackerId: string; candidates: { asin: string; score: number }[] }[];
  unmatched: string[];
}

describe('sagasync match, conflicts, link and unlink', () => {
  let s: ReturnType<typeof scratch>;
  const goodreads = join(examples, 'goodreads_library_export.csv');
  const match = async (...extra: string[]) => {
    const result = await run(['match', goodreads, '--json', ...extra], { store: s.store });
    expect(result.code).toBe(0);
    return result.json<MatchJson>();
  };

  beforeEach(async () => {
    s = scratch();
    await run(['import', join(examples, 'library.tsv'), '--commit'], { store: s.store });
    await run(['import', join(examples, 'series-metadata.json'), '--commit'], { store: s.store });
  });
  afterEach(() => s.cleanup());

  it('links the certain ones, asks about the ambiguous one, and leaves the rest', async () => {
    const preview = await match();
    expect(preview.committed).toBe(false);
    expect(preview.links.map((l) => [l.trackerId, l.asin, l.method])).toEqual([
      ['9000001', 'B0DEMO0001', 'title_author'],
      ['9000002', 'B0DEMO0002', 'title_author'],
      ['9000003', 'B0DEMO0007', 'title_author'],
      ['9000007', 'B0DEMO0019', 'title_author'],
    ]);
    // "Starwake" could be any volume of the series: a person decides.
    expect(preview.conflicts.map((c) => c.trackerId)).toEqual(['9000004']);
    expect(preview.conflicts[0]!.candidates.map((c) => c.asin)).toContain('B0DEMO0005');
    // Same title, another author: never linked.
    expect(preview.unmatched).toEqual(expect.arrayContaining(['9000005', '9000006']));
    // A preview stores nothing.
    const list = await run(['conflicts', 'list', '--json'], { store: s.store });
    expect(list.json()).toEqual({ items: [], nextCursor: null });
  });

  it('remembers a decision and never reopens a decided conflict', async () => {
    await match('--commit');
    const open = await run(['conflicts', 'list', '--json'], { store: s.store });
    const conflicts = open.json<{ items: { id: string; candidates: { asin: string; title: string | null }[] }[] }>().items;
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]!.candidates[0]!.title).not.toBeNull();
    const resolved = await run(['conflicts', 'resolve', conflicts[0]!.id, '--link', 'B0DEMO0005', '--json'], { store: s.store });
    expect(resolved.code).toBe(0);
    expect(resolved.json()).toMatchObject({ status: 'resolved', link: { asin: 'B0DEMO0005', trackerId: '9000004', method: 'manual' } });

    const again = await match('--commit');
    expect(again.conflicts).toEqual([]);
    expect(again.links).toContainEqual(expect.objectContaining({ trackerId: '9000004', asin: 'B0DEMO0005', method: 'manual' }));
    expect((await run(['conflicts', 'list', '--json'], { store: s.store })).json()).toEqual({ items: [], nextCursor: null });
  });

  it('links and unlinks by hand, and an unlink is remembered', async () => {
    await match('--commit');
    const linked = await run(['link', 'B0DEMO0018', '9000005', '--json'], { store: s.store });
    expect(linked.code).toBe(0);
    expect(linked.json()).toMatchObject({ asin: 'B0DEMO0018', trackerId: '9000005', method: 'manual' });
    expect((await match()).links).toContainEqual(expect.objectContaining({ trackerId: '9000005', asin: 'B0DEMO0018', method: 'manual' }));

    const removed = await run(['unlink', 'B0DEMO0001', '--json'], { store: s.store });
    expect(removed.json()).toEqual({ removed: [{ asin: 'B0DEMO0001', trackerId: '9000001', source: 'goodreads' }] });
    const after = await match('--commit');
    expect(after.links.find((l) => l.trackerId === '9000001')).toBeUndefined();

    const none = await run(['unlink', 'B0DEMO0021'], { store: s.store });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('B0DEMO0021');
  });

  it('rejects a file it cannot read with exit 2 and a located message', async () => {
    const bad = join(s.dir, 'broken.csv');
    writeFileSync(bad, 'Book Id,Title,Author\n1,"unclosed,Someone\n');
    const result = await run(['match', bad], { store: s.store });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken\.csv.*line/);
    const badColumn = await run(['match', goodreads, '--source', 'csv', '--column', 'colour=Title'], { store: s.store });
    expect(badColumn.code).toBe(1);
    expect(badColumn.stderr).toContain('not field=Header');
  });
});

// `match --online` against tools/fake-openlibrary: a regional title of a library title is linked
// once Open Library says both are one work; answers are cached in the store; the rate stays polite.
describe('sagasync match --online', () => {
  let s: ReturnType<typeof scratch>;
  let fake: FakeOpenLibrary;
  let tracker: string;

  beforeEach(async () => {
    s = scratch();
    await run(['import', join(examples, 'library.tsv'), '--commit'], { store: s.store });
    fake = await startFakeOpenLibrary({
      works: [{ key: 'OL7001W', title: 'The Ashen Court', alternativeTitles: ['The Cinder Court'], authors: [{ name: 'Mara Vell' }] }],
    });
    tracker = join(s.dir, 'tracker.csv');
    writeFileSync(tracker, 'id,Title,Author\nt1,The Cinder Court,Mara Vell\nt2,An Unknown Book,Nobody Known\n');
  });
  afterEach(async () => {
    await fake.close();
    s.cleanup();
  });

  it('links what Open Library places in the same work, caches its answers, and keeps 1 request a second', async () => {
    const offline = await run(['match', tracker, '--source', 'csv', '--json'], { store: s.store });
    expect(offline.json<MatchJson>().links).toEqual([]);

    const first = await run(['match', tracker, '--source', 'csv', '--online', '--openlibrary-url', fake.url, '--commit', '--json'], { store: s.store });
    expect(first.code, first.stderr).toBe(0);
    const report = first.json<MatchJson & { online: { asked: number; requests: number; cached: number } }>();
    expect(report.links).toEqual([expect.objectContaining({ trackerId: 't1', asin: 'B0DEMO0003', method: 'title_author' })]);
    expect(report.online).toMatchObject({ asked: 1, cached: 0 });
    // The book by an author the library does not hold costs no request.
    expect(fake.requests.every((r) => !r.path.includes('Unknown'))).toBe(true);
    expect(fake.requests.length).toBe(report.online.requests);
    for (const r of fake.requests) expect(r.userAgent).toMatch(/^SagaSync\/\d+\.\d+\.\d+ \(\+https:\/\//);
    // Requests start a second apart; arrival at the server may jitter by some milliseconds.
    for (let i = 1; i < fake.requests.length; i++) expect(fake.requests[i]!.at - fake.requests[i - 1]!.at).toBeGreaterThanOrEqual(900);

    const sent = fake.requests.length;
    const again = await run(['match', tracker, '--source', 'csv', '--online', '--openlibrary-url', fake.url, '--json'], { store: s.store });
    expect(again.json<{ online: { requests: number; cached: number } }>().online).toMatchObject({ requests: 0 });
    expect(fake.requests.length).toBe(sent);

    const text = await run(['match', tracker, '--source', 'csv', '--online', '--openlibrary-url', fake.url], { store: s.store });
    expect(text.stdout).toMatch(/Open Library: asked about 1 book, 0 requests, \d+ answered from the store/);
  });

  it('makes no request at all without --online', async () => {
    const spy = vi.spyOn(globalThis, 'fetch');
    try {
      const result = await run(['match', tracker, '--source', 'csv', '--commit', '--json'], { store: s.store });
      expect(result.code).toBe(0);
      expect(spy).not.toHaveBeenCalled();
      expect(fake.requests).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });

  it('rejects --openlibrary-url without --online, and a URL that is not one', async () => {
    const alone = await run(['match', tracker, '--source', 'csv', '--openlibrary-url', fake.url], { store: s.store });
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain('only used with --online');
    const bad = await run(['match', tracker, '--source', 'csv', '--online', '--openlibrary-url', 'not a url'], { store: s.store });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('is not a URL');
  });
});
