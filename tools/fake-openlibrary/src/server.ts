import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { indexCatalogue, words, type FakeWork, type IndexedWork } from './catalogue.js';

/**
 * A fake of Open Library's read API (openlibrary.org/dev/docs/api/search, /dev/docs/api/books),
 * over a catalogue the test provides:
 *
 * - `GET /search.json?title=&author=&q=&fields=&limit=&offset=`: works whose title, subtitle,
 *   alternative or edition title holds every word of `title`, and one of whose authors' names or
 *   alternate names holds every word of `author`; `{numFound, start, numFoundExact, docs}`, each
 *   doc `{key: "/works/OL…W", title, author_name, …}` restricted to `fields` (`*` for all);
 * - `GET /works/{id}.json`: the work; `GET /works/{id}/editions.json?limit=&offset=`: `{links,
 *   size, entries}`;
 * - `GET /isbn/{isbn}.json`: a 302 to `/books/{id}.json`, the edition with `works: [{key}]`.
 *
 * It records each request (path, User-Agent, time) so tests can check the client's manners.
 */
export interface FakeOpenLibraryOptions {
  works: readonly FakeWork[];
  port?: number;
}

export interface OpenLibraryRequest {
  method: string;
  path: string;
  userAgent: string | null;
  at: number;
  status: number;
}

export type OpenLibraryFault = 'malformed' | 'server_error' | 'html';

export interface FakeOpenLibrary {
  url: string;
  requests: OpenLibraryRequest[];
  /** The next `count` requests whose path starts with `pathPrefix` get this fault. */
  injectFault(fault: { kind: OpenLibraryFault; pathPrefix?: string; count?: number }): void;
  close(): Promise<void>;
}

const DEFAULT_FIELDS = ['key', 'type', 'title', 'subtitle', 'author_name', 'author_key', 'edition_count', 'edition_key', 'first_publish_year'];

function containsAll(haystack: string, needle: string[]): boolean {
  if (needle.length === 0) return true;
  const have = new Set(words(haystack));
  return needle.every((w) => have.has(w));
}

function titlesOf(work: IndexedWork): string[] {
  return [work.title, ...(work.subtitle ? [`${work.title} ${work.subtitle}`] : []), ...(work.alternativeTitles ?? []), ...work.editions.map((e) => e.title ?? '').filter(Boolean)];
}

function searchDoc(work: IndexedWork): Record<string, unknown> {
  const isbns = work.editions.flatMap((e) => [...(e.isbn10 ?? []), ...(e.isbn13 ?? [])]);
  const alternative = [...new Set([...(work.alternativeTitles ?? []), ...work.editions.map((e) => e.title ?? '').filter((t) => t && t !== work.title)])];
  return {
    key: `/works/${work.key}`,
    type: 'work',
    title: work.title,
    ...(work.subtitle ? { subtitle: work.subtitle } : {}),
    alternative_title: alternative,
    author_name: work.authors.map((a) => a.name),
    author_key: work.authors.map((a) => a.key),
    author_alternative_name: work.authors.flatMap((a) => a.alternateNames ?? []),
    edition_count: work.editions.length,
    edition_key: work.editions.map((e) => e.key),
    ...(isbns.length ? { isbn: isbns } : {}),
  };
}

function editionJson(work: IndexedWork, edition: IndexedWork['editions'][number]): Record<string, unknown> {
  return {
    key: `/books/${edition.key}`,
    type: { key: '/type/edition' },
    title: edition.title ?? work.title,
    ...(edition.isbn10?.length ? { isbn_10: edition.isbn10 } : {}),
    ...(edition.isbn13?.length ? { isbn_13: edition.isbn13 } : {}),
    works: [{ key: `/works/${work.key}` }],
    authors: work.authors.map((a) => ({ key: `/authors/${a.key}` })),
  };
}

export async function startFakeOpenLibrary(options: FakeOpenLibraryOptions): Promise<FakeOpenLibrary> {
  const works = indexCatalogue(options.works);
  const byKey = new Map(works.map((w) => [w.key, w]));
  const editions = new Map<string, { work: IndexedWork; edition: IndexedWork['editions'][number] }>();
  const byIsbn = new Map<string, string>();
  for (const work of works) {
    for (const edition of work.editions) {
      editions.set(edition.key, { work, edition });
      for (const isbn of [...(edition.isbn10 ?? []), ...(edition.isbn13 ?? [])]) byIsbn.set(isbn.replace(/-/g, ''), edition.key);
    }
  }
  const requests: OpenLibraryRequest[] = [];
  const faults: { kind: OpenLibraryFault; pathPrefix: string; count: number }[] = [];

  function route(path: string, query: URLSearchParams): { status: number; body?: unknown; location?: string } {
    if (path === '/search.json') {
      const title = words(query.get('title') ?? '');
      const author = words(query.get('author') ?? '');
      const q = words(query.get('q') ?? '');
      const found = works.filter(
        (work) =>
          (title.length === 0 || titlesOf(work).some((t) => containsAll(t, title))) &&
          (author.length === 0 || work.authors.some((a) => [a.name, ...(a.alternateNames ?? [])].some((n) => containsAll(n, author)))) &&
          (q.length === 0 || containsAll([...titlesOf(work), ...work.authors.map((a) => a.name)].join(' '), q)),
      );
      const limit = Math.min(1000, Number(query.get('limit') ?? 100) || 100);
      const offset = Number(query.get('offset') ?? 0) || 0;
      const fields = (query.get('fields') ?? '').split(',').map((f) => f.trim()).filter(Boolean);
      const keep = fields.length ? fields : DEFAULT_FIELDS;
      const docs = found.slice(offset, offset + limit).map((work) => {
        const doc = searchDoc(work);
        return keep.includes('*') ? doc : Object.fromEntries(Object.entries(doc).filter(([k]) => keep.includes(k)));
      });
      return { status: 200, body: { numFound: found.length, start: offset, numFoundExact: true, docs, num_found: found.length, q: query.get('q') ?? '', offset: null } };
    }
    let m = /^\/works\/(OL\d+W)\.json$/.exec(path);
    if (m) {
      const work = byKey.get(m[1]!);
      if (!work) return { status: 404, body: { error: 'notfound', key: `/works/${m[1]}` } };
      return {
        status: 200,
        body: {
          key: `/works/${work.key}`,
          type: { key: '/type/work' },
          title: work.title,
          ...(work.subtitle ? { subtitle: work.subtitle } : {}),
          authors: work.authors.map((a) => ({ author: { key: `/authors/${a.key}` }, type: { key: '/type/author_role' } })),
        },
      };
    }
    m = /^\/works\/(OL\d+W)\/editions\.json$/.exec(path);
    if (m) {
      const work = byKey.get(m[1]!);
      if (!work) return { status: 404, body: { error: 'notfound', key: `/works/${m[1]}` } };
      const limit = Math.min(1000, Number(query.get('limit') ?? 50) || 50);
      const offset = Number(query.get('offset') ?? 0) || 0;
      const entries = work.editions.slice(offset, offset + limit).map((e) => editionJson(work, e));
      const self = `/works/${work.key}/editions.json?limit=${limit}&offset=${offset}`;
      const next = offset + limit < work.editions.length ? { next: `/works/${work.key}/editions.json?limit=${limit}&offset=${offset + limit}` } : {};
      return { status: 200, body: { links: { self, work: `/works/${work.key}`, ...next }, size: work.editions.length, entries } };
    }
    m = /^\/isbn\/([0-9Xx-]+)\.json$/.exec(path);
    if (m) {
      const key = byIsbn.get(m[1]!.replace(/-/g, ''));
      return key ? { status: 302, location: `/books/${key}.json` } : { status: 404, body: { error: 'notfound', key: `/isbn/${m[1]}` } };
    }
    m = /^\/books\/(OL\d+M)\.json$/.exec(path);
    if (m) {
      const found = editions.get(m[1]!);
      return found ? { status: 200, body: editionJson(found.work, found.edition) } : { status: 404, body: { error: 'notfound', key: `/books/${m[1]}` } };
    }
    return { status: 404, body: { error: 'notfound', key: path } };
  }

  function answer(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const record: OpenLibraryRequest = { method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, userAgent: req.headers['user-agent'] ?? null, at: Date.now(), status: 0 };
    requests.push(record);
    const send = (status: number, body: string, type = 'application/json', headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(body);
    };
    if (req.method !== 'GET') return send(405, JSON.stringify({ error: 'method not allowed' }));
    const fault = faults.find((f) => f.count > 0 && url.pathname.startsWith(f.pathPrefix));
    if (fault) {
      fault.count--;
      if (fault.kind === 'server_error') return send(503, 'Service Unavailable', 'text/plain');
      if (fault.kind === 'html') return send(200, '<html><body>Open Library is down for maintenance</body></html>', 'text/html');
      return send(200, JSON.stringify({ numFound: 'many', docs: 'none', entries: 7 }));
    }
    const out = route(url.pathname, url.searchParams);
    if (out.location) return send(out.status, '', 'text/plain', { location: out.location });
    send(out.status, JSON.stringify(out.body));
  }

  const server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    injectFault({ kind, pathPrefix = '/', count = 1 }) {
      faults.push({ kind, pathPrefix, count });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
