import { startFakeOpenLibrary, type FakeOpenLibrary } from '@sagasync/fake-openlibrary';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createMatcher,
  createOpenLibraryClient,
  createRateLimiter,
  decideWithEvidence,
  gatherEvidence,
  memoryAnswerCache,
  type MatchableTitle,
} from '../src/index.js';
import { evaluate, loadEvalSet, loadOpenLibraryCatalogue } from './eval-set.js';

const titles: MatchableTitle[] = [
  { asin: 'B0ORIENT01', title: 'Murder on the Orient Express', subtitle: 'A Hercule Poirot Mystery', authors: ['Agatha Christie'] },
  { asin: 'B0NORWAY01', title: 'Norwegian Wood', authors: ['Haruki Murakami', 'Jay Rubin (translator)'] },
  { asin: 'B0HARKON01', title: 'Dune: House Atreides', authors: ['Brian Herbert', 'Kevin J. Anderson'], series: [{ seriesTitle: 'Prelude to Dune', sequence: '1' }] },
];
const fast = () => createRateLimiter({ minIntervalMs: 0 });

describe('the online step against fake Open Library', () => {
  let fake: FakeOpenLibrary;
  beforeAll(async () => {
    fake = await startFakeOpenLibrary({ works: loadOpenLibraryCatalogue() });
  });
  afterAll(() => fake.close());

  it('links a regional title and a name in kanji once Open Library places both in one work, and says so', async () => {
    const matcher = createMatcher(titles);
    const books = [
      { trackerId: 'calais', title: 'Murder in the Calais Coach', authors: ['Agatha Christie'] },
      { trackerId: 'kanji', title: 'Norwegian Wood', authors: ['村上春樹'] },
      { trackerId: 'harkonnen', title: 'Dune: House Harkonnen', authors: ['Brian Herbert', 'Kevin J. Anderson'] },
    ];
    expect(books.map((b) => matcher.match(b).kind)).toEqual(['none', 'conflict', 'conflict']);
    const client = createOpenLibraryClient({ baseUrl: fake.url, cache: memoryAnswerCache(), limiter: fast() });
    const evidence = await gatherEvidence(matcher, titles, books, client);
    const decide = (i: number) => decideWithEvidence(matcher, books[i]!, evidence.get(books[i]!.trackerId));
    expect(decide(0)).toMatchObject({ kind: 'link', asin: 'B0ORIENT01', method: 'title_author', reason: expect.stringContaining('Open Library: the same work, OL9001W') });
    expect(decide(1)).toMatchObject({ kind: 'link', asin: 'B0NORWAY01', reason: expect.stringContaining('OL9030W') });
    // Open Library places the two Dune preludes in two works: the conflict goes, nothing is linked.
    expect(decide(2)).toMatchObject({ kind: 'none', reason: expect.stringContaining('another work') });
    expect(client.stats.requests).toBeGreaterThan(0);
  });

  it('treats a malformed or failed answer as no answer, and does not cache it', async () => {
    const cache = memoryAnswerCache();
    const problems: string[] = [];
    const client = createOpenLibraryClient({ baseUrl: fake.url, cache, limiter: fast(), onProblem: (m) => problems.push(m) });
    fake.injectFault({ kind: 'malformed', pathPrefix: '/search.json' });
    expect(await client.searchWorks('Norwegian Wood', 'Haruki Murakami')).toBeNull();
    fake.injectFault({ kind: 'server_error', pathPrefix: '/search.json' });
    expect(await client.searchWorks('Norwegian Wood', 'Haruki Murakami')).toBeNull();
    fake.injectFault({ kind: 'html', pathPrefix: '/works/' });
    expect(await client.editionIsbns('OL9030W')).toBeNull();
    expect(cache.size).toBe(0);
    expect(problems).toHaveLength(3);
    const answer = await client.searchWorks('Norwegian Wood', 'Haruki Murakami');
    expect(answer?.works.map((w) => w.key)).toEqual(['OL9030W']);
    // A second ask is answered from the cache, and so is a known absence.
    expect(await client.worksOfIsbn('9780000000002')).toEqual([]);
    const sent = client.stats.requests;
    await client.searchWorks('Norwegian Wood', 'Haruki Murakami');
    expect(await client.worksOfIsbn('9780000000002')).toEqual([]);
    expect(client.stats).toMatchObject({ requests: sent, cached: 2 });
    expect(await client.worksOfIsbn('9780140449136')).toEqual(['OL9043W']);
    expect(await client.editionIsbns('OL9043W')).toEqual(['9780140449136', '9780679734505']);
  });

  it('sends a User-Agent naming SagaSync and spaces requests by the limiter', async () => {
    const waits: number[] = [];
    let clock = 0;
    const limiter = createRateLimiter({ now: () => clock, sleep: async (ms) => {
      waits.push(ms);
      clock += ms;
    } });
    const client = createOpenLibraryClient({ baseUrl: fake.url, cache: memoryAnswerCache(), limiter, userAgent: 'SagaSync/9.9.9 (+https://example.test)' });
    const before = fake.requests.length;
    await client.searchWorks('We', 'Yevgeny Zamyatin');
    await client.searchWorks('Dead Souls', 'Nikolai Gogol');
    await client.searchWorks('Zorba the Greek', 'Nikos Kazantzakis');
    expect(waits).toEqual([1000, 1000]);
    expect(fake.requests.slice(before).map((r) => r.userAgent)).toEqual(Array(3).fill('SagaSync/9.9.9 (+https://example.test)'));
  });

  it('makes no request when nothing asks, and none for books the matcher links or whose authors the library lacks', async () => {
    const spy = vi.fn<typeof fetch>();
    const client = createOpenLibraryClient({ baseUrl: 'http://127.0.0.1:9', cache: memoryAnswerCache(), limiter: fast(), fetch: spy });
    const matcher = createMatcher(titles);
    await gatherEvidence(matcher, titles, [{ trackerId: 'x', title: 'Murder on the Orient Express', authors: ['Agatha Christie'] }, { trackerId: 'y', title: 'Gone Girl', authors: ['Gillian Flynn'] }], client);
    expect(spy).not.toHaveBeenCalled();
  });

  it('meets the figures on the labelled set, held-out part included', async () => {
    for (const [part, floors] of [['dev', { precision: 0.99, recall: 0.98 }], ['held-out', { precision: 0.99, recall: 0.95 }]] as const) {
      const set = loadEvalSet(part);
      const matcher = createMatcher(set.titles);
      const client = createOpenLibraryClient({ baseUrl: fake.url, cache: memoryAnswerCache(), limiter: fast() });
      const evidence = await gatherEvidence(matcher, set.titles, set.books, client);
      const result = evaluate(set, (book) => decideWithEvidence(matcher, book, evidence.get(book.trackerId)));
      expect(result.falseLinks.map((f) => f.book.title), part).toEqual([]);
      expect(result.precision, part).toBeGreaterThanOrEqual(floors.precision);
      expect(result.recall, part).toBeGreaterThanOrEqual(floors.recall);
      expect(result.conflicts / result.books, part).toBeLessThanOrEqual(0.05);
    }
  });
});
