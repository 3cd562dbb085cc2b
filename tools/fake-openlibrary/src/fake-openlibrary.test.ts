import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenLibrary, type FakeOpenLibrary } from './index.js';

describe('fake Open Library', () => {
  let fake: FakeOpenLibrary;
  beforeAll(async () => {
    fake = await startFakeOpenLibrary({
      works: [
        {
          key: 'OL9001W',
          title: 'Murder on the Orient Express',
          alternativeTitles: ['Murder in the Calais Coach'],
          authors: [{ name: 'Agatha Christie', alternateNames: ['Mary Westmacott'] }],
          editions: [{ isbn13: ['9780062693662'] }, { title: 'Murder in the Calais Coach', isbn10: ['0007119313'] }],
        },
        { key: 'OL9030W', title: 'Norwegian Wood', authors: [{ name: 'Haruki Murakami', alternateNames: ['村上春樹'] }] },
      ],
    });
  });
  afterAll(() => fake.close());

  const get = async (path: string) => {
    const response = await fetch(`${fake.url}${path}`, { headers: { 'User-Agent': 'SagaSync/test' } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('searches by title and author, alternative titles and alternate names included, with the fields asked for', async () => {
    const { body } = await get('/search.json?title=Murder+in+the+Calais+Coach&author=Christie&fields=key,title,author_name&limit=5');
    expect(body).toMatchObject({ numFound: 1, start: 0, docs: [{ key: '/works/OL9001W', title: 'Murder on the Orient Express', author_name: ['Agatha Christie'] }] });
    expect(Object.keys((body.docs as object[])[0]!)).toEqual(['key', 'title', 'author_name']);
    const kanji = await get(`/search.json?title=${encodeURIComponent('Norwegian Wood')}&author=${encodeURIComponent('村上春樹')}`);
    expect(kanji.body).toMatchObject({ numFound: 1, docs: [{ key: '/works/OL9030W' }] });
    expect((await get('/search.json?title=Dune&author=Herbert')).body).toMatchObject({ numFound: 0, docs: [] });
    expect(fake.requests[0]).toMatchObject({ userAgent: 'SagaSync/test', status: 200 });
  });

  it('serves works, their editions page by page, and editions by ISBN through a redirect', async () => {
    expect((await get('/works/OL9001W.json')).body).toMatchObject({ key: '/works/OL9001W', title: 'Murder on the Orient Express', authors: [{ author: { key: '/authors/OL1A' } }] });
    const page = await get('/works/OL9001W/editions.json?limit=1');
    expect(page.body).toMatchObject({ size: 2, links: { next: '/works/OL9001W/editions.json?limit=1&offset=1' }, entries: [{ key: '/books/OL1M', isbn_13: ['9780062693662'], works: [{ key: '/works/OL9001W' }] }] });
    const byIsbn = await get('/isbn/0007119313.json');
    expect(byIsbn.body).toMatchObject({ key: '/books/OL2M', title: 'Murder in the Calais Coach', works: [{ key: '/works/OL9001W' }] });
    expect((await get('/isbn/9999999999.json')).status).toBe(404);
    expect((await get('/works/OL1W.json')).status).toBe(404);
  });

  it('answers with an injected fault', async () => {
    fake.injectFault({ kind: 'server_error', pathPrefix: '/search.json' });
    expect((await fetch(`${fake.url}/search.json?title=x`)).status).toBe(503);
    expect((await fetch(`${fake.url}/search.json?title=x`)).status).toBe(200);
  });
});
