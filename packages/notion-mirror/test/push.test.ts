import { afterEach, describe, expect, it } from 'vitest';
import { pushToNotion } from '../src/apply/push.js';
import { loadMirror } from '../src/state/mirror-records.js';
import { booksByAsin, dyingAfterCreates, OWNER, world, type World } from './helpers.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe('pushToNotion against fake-notion', () => {
  it('creates every series and book once, with relations, synthetic volumes unowned, in N + S + 4 requests', async () => {
    w = await world(30, 4);
    const result = await pushToNotion(w.deps);
    expect(result.series).toMatchObject({ created: 4, failed: 0 });
    expect(result.books).toMatchObject({ created: 30, failed: 0 });
    // Two schema reads, two scans, one create per page.
    expect(w.fake.stats.total).toBe(30 + 4 + 4);
    const books = booksByAsin(w);
    expect(books.size).toBe(30);
    const b5 = books.get('B000000005')![0]!;
    expect(b5).toMatchObject({ Title: 'Book 5', Owned: false, Status: 'Not started', Sequence: '2', Position: 2, Runtime: 304, 'Release date': '2020-01-01' });
    expect(b5.Cover).toEqual(['https://m.media-amazon.com/images/I/5.jpg']);
    const seriesPages = w.fake.state.listPages(w.seriesDs).map((p) => w!.fake.state.plainValues(p));
    const saga1 = seriesPages.find((s) => s.Key === 'S000000001')!;
    expect(saga1).toMatchObject({ Title: 'Saga 1', Status: 'Not started', Owned: 6, Missing: 2, Finished: 0, 'Next up': '#1 Book 1', 'Next to buy': '#2 Book 5' });
    expect((saga1.Books as string[]).length).toBe(8);
    expect(b5.Series).toEqual([w.fake.state.listPages(w.seriesDs).find((p) => w!.fake.state.plainValues(p).Key === 'S000000001')!.id]);
    const mirror = await loadMirror(w.storage, OWNER);
    expect(mirror.books.B000000005).toMatchObject({ origin: 'created', synthetic: true });
    expect(mirror.books.B000000004).toMatchObject({ origin: 'created', synthetic: false });
    const run = (await w.storage.listSyncRuns(OWNER, { kind: 'notion_push' })).items[0];
    expect(run).toMatchObject({ status: 'succeeded', counts: { created: 34, updated: 0 } });
  });

  it('re-pushes an unchanged store with one schema read and one query page per table and no writes', async () => {
    w = await world(30, 4);
    await pushToNotion(w.deps);
    w.fake.resetStats();
    const again = await pushToNotion(w.deps);
    expect(w.fake.stats.total).toBe(4);
    expect(w.fake.stats.byRoute).toEqual({ 'GET /v1/data_sources/:id': 2, 'POST /v1/data_sources/:id/query': 2 });
    expect(again.books).toMatchObject({ created: 0, updated: 0, unchanged: 30 });
    expect(again.series).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
  });

  it('writes only the properties that changed, and flips Owned when a synthetic volume is bought', async () => {
    w = await world(10, 2);
    await pushToNotion(w.deps);
    const t = (await w.storage.getTitle(OWNER, 'B000000005'))!;
    const { ownerId: _o, version: _v, ...data } = t;
    await w.storage.applyBatch(OWNER, [{ op: 'putTitle', value: { ...data, owned: true, purchaseDate: '2024-04-01' } }]);
    w.fake.resetStats();
    const result = await pushToNotion(w.deps);
    const patches = w.fake.stats.requests.filter((r) => r.route === 'PATCH /v1/pages/:id');
    // The book (Owned, Purchase date) and its series (owned / missing counts, next to buy).
    expect(patches).toHaveLength(2);
    const bookPatch = patches.map((p) => p.body as { properties: Record<string, unknown> }).find((b) => 'Purchase date' in b.properties)!;
    expect(Object.keys(bookPatch.properties).sort()).toEqual(['Owned', 'Purchase date']);
    expect(result.planned.propertiesChanged).toEqual({ 'Books.Owned': 1, 'Books.Purchase date': 1, 'Series.Owned': 1, 'Series.Missing': 1, 'Series.Next to buy': 1 });
    expect(booksByAsin(w).get('B000000005')![0]).toMatchObject({ Owned: true, 'Purchase date': '2024-04-01' });
  });

  it('plans without writing on a dry run', async () => {
    w = await world(12, 3);
    const result = await pushToNotion(w.deps, { dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(result.planned.creates).toBe(15);
    expect(result.books.created).toBe(12);
    expect(w.fake.stats.requests.every((r) => r.route.includes('query') || r.method === 'GET')).toBe(true);
    expect(w.fake.state.listPages(w.booksDs)).toHaveLength(0);
    expect(await loadMirror(w.storage, OWNER)).toEqual({ books: {}, series: {} });
  });

  it('never duplicates a create whose answer was lost: it looks the ASIN up and adopts the page', async () => {
    w = await world(6, 1);
    w.fake.injectFault({ kind: 'applied_then_502', route: 'POST /v1/pages', times: 3 });
    w.fake.injectFault({ kind: 'applied_then_504', route: 'POST /v1/pages' });
    const result = await pushToNotion(w.deps);
    expect(result.books.created + result.series.created).toBe(7);
    const books = booksByAsin(w);
    expect(books.size).toBe(6);
    expect([...books.values()].every((pages) => pages.length === 1)).toBe(true);
    expect(w.fake.state.listPages(w.seriesDs)).toHaveLength(1);
    expect(w.fake.stats.byRoute['POST /v1/data_sources/:id/query']).toBeGreaterThanOrEqual(2 + 4);
  });

  it('resumes after a crash without duplicates, adopting the page created after the last stored record', async () => {
    w = await world(25, 2);
    // The process "dies" right after the 18th create succeeded in Notion: no more store writes.
    const { storage: dying, notion } = dyingAfterCreates(w, 18);
    await expect(pushToNotion({ ...w.deps, storage: dying, notion })).rejects.toThrow();
    // Each page's record is stored right after its create: all but the 18th page's.
    const saved = await loadMirror(w.storage, OWNER);
    expect(Object.keys(saved.series).length + Object.keys(saved.books).length).toBe(17);
    expect(w.fake.state.listPages(w.booksDs)).toHaveLength(16);

    w.fake.resetStats();
    const resumed = await pushToNotion(w.deps);
    // The 18th page was created but its record never stored: found by its ASIN and adopted.
    expect(resumed.books.adopted).toBe(1);
    expect(resumed.books.created).toBe(9);
    expect(resumed.books.updated).toBe(0);
    expect(w.fake.stats.byRoute['POST /v1/pages']).toBe(9);
    const books = booksByAsin(w);
    expect(books.size).toBe(25);
    expect([...books.values()].every((pages) => pages.length === 1)).toBe(true);
    expect((await loadMirror(w.storage, OWNER)).books).toHaveProperty('B000000025');
  });

  it('trashes SagaSync’s own duplicate pages but never a duplicate the user made', async () => {
    w = await world(3, 1);
    const props = (title: string) => ({ Title: { title: [{ text: { content: title } }] }, ASIN: { rich_text: [{ text: { content: 'B000000001' } }] } });
    // Two bot-made pages for one ASIN (as two racing creators leave behind), and one the user made.
    const first = (w.fake.state.createPage({ parent: { data_source_id: w.booksDs }, properties: props('first') }) as { id: string }).id;
    const second = (w.fake.state.createPage({ parent: { data_source_id: w.booksDs }, properties: props('second') }) as { id: string }).id;
    const users = w.fake.state.createByHand(w.booksDs, props('mine'));
    const result = await pushToNotion(w.deps);
    // The user's page is adopted (their data stays whole) and SagaSync's two copies go to the trash.
    expect(result.books).toMatchObject({ adopted: 1, duplicatesTrashed: 2, created: 2 });
    expect((await loadMirror(w.storage, OWNER)).books.B000000001).toMatchObject({ pageId: users, origin: 'adopted' });
    expect(w.fake.state.getPage(first).inTrash).toBe(true);
    expect(w.fake.state.getPage(second).inTrash).toBe(true);
    expect(w.fake.state.getPage(users).inTrash).toBe(false);

    // Once one page is mirrored, a later copy made by the user is left alone.
    const later = w.fake.state.createByHand(w.booksDs, props('mine again'));
    const again = await pushToNotion(w.deps);
    expect(again.books.duplicatesTrashed).toBe(0);
    expect(w.fake.state.getPage(later).inTrash).toBe(false);
  });

  it('handles more than a hundred pages: paginated scans, and a re-push within ceil((N+S)/100) + 5 requests', async () => {
    w = await world(230, 12);
    await pushToNotion(w.deps);
    expect(w.fake.state.listPages(w.booksDs)).toHaveLength(230);
    w.fake.resetStats();
    const again = await pushToNotion(w.deps);
    expect(again.books.unchanged).toBe(230);
    expect(w.fake.stats.total).toBe(3 + 1 + 2);
    expect(w.fake.stats.total).toBeLessThanOrEqual(Math.ceil(242 / 100) + 5);
  });
});
