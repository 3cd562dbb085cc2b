import type { MatchableBook, MatchableTitle } from '../decide/types.js';
import type { Matcher } from '../matcher.js';
import { authorKeys, hasForeign, parseAuthorList } from '../normalise/author.js';
import { isbn10To13, isbnsOfAsin, parseIsbn } from '../normalise/identifiers.js';
import { normaliseTitle } from '../normalise/title.js';
import { candidatesWithAliases } from './decide-with-evidence.js';
import type { BookEvidence, PairVerdict } from './evidence.js';
import type { OpenLibraryClient } from './openlibrary-client.js';

export interface GatherOptions {
  /** Candidates asked about per book, best first. Default 3. */
  maxCandidates?: number;
  /** Called after each book asked about, for progress. */
  onBook?: (done: number, total: number) => void;
}

/**
 * Keys (no spaces) of a whole title: title and subtitle together, the main title when the subtitle
 * is only noise (series, edition), and romanisations. A main title alone never stands for a
 * subtitled title: "Mistborn: The Hero of Ages" is not "Mistborn: The Final Empire".
 */
function titleKeys(raw: string, subtitle?: string | null): Set<string> {
  const forms = normaliseTitle(raw, subtitle);
  const keys = new Set<string>();
  for (const form of [forms.full, ...forms.alternates]) if (form) keys.add(form.replace(/ /g, ''));
  return keys;
}

function sharesKey(a: Set<string>, b: Set<string>): boolean {
  for (const key of a) if (b.has(key)) return true;
  return false;
}

/** The title to search for: without the tracker's series suffix and other trailing bracketed parts. */
function queryTitle(raw: string): string {
  let title = raw.trim();
  for (let i = 0; i < 3 && /[)\]]$/.test(title); i++) {
    const open = Math.max(title.lastIndexOf('('), title.lastIndexOf('['));
    if (open <= 0) break;
    title = title.slice(0, open).trim();
  }
  return title || raw;
}

const firstAuthor = (authors: readonly string[]): string | null => parseAuthorList(authors.join('; '))[0] ?? null;

/** The Open Library works a book or title is: by ISBN, and by a search whose answers must carry the very title. */
async function worksOf(client: OpenLibraryClient, query: { title: string; subtitle?: string | null; authors: readonly string[]; isbn13s: readonly string[] }): Promise<{ works: string[]; titles: string[]; authors: string[] }> {
  const works = new Set<string>();
  const titles = new Set<string>();
  const authors = new Set<string>();
  if (query.isbn13s[0]) for (const w of (await client.worksOfIsbn(query.isbn13s[0])) ?? []) works.add(w);
  const wanted = titleKeys(query.title, query.subtitle);
  const answer = await client.searchWorks(queryTitle(query.title), firstAuthor(query.authors));
  for (const work of answer?.works ?? []) {
    // Open Library's search is loose; only a work that carries this very title is this book.
    if (!work.titles.some((t) => sharesKey(titleKeys(t), wanted))) continue;
    works.add(work.key);
    for (const t of work.titles) titles.add(t);
    for (const a of work.authors) authors.add(a);
  }
  return { works: [...works], titles: [...titles], authors: [...authors] };
}

function bookIsbns(book: MatchableBook): string[] {
  const out = new Set<string>();
  const isbn13 = parseIsbn(book.isbn13 ?? null).isbn13 ?? parseIsbn(book.isbn10 ?? null).isbn13;
  if (isbn13) out.add(isbn13);
  // StoryGraph puts an ISBN-10 where an ASIN goes.
  const asIsbn = book.asin ? isbn10To13(book.asin) : null;
  if (asIsbn) out.add(asIsbn);
  return [...out];
}

function titleIsbns(title: MatchableTitle): string[] {
  const out = new Set(isbnsOfAsin(title.asin));
  for (const isbn of title.isbns ?? []) {
    const p = parseIsbn(isbn).isbn13;
    if (p) out.add(p);
  }
  return [...out];
}

async function editionsHold(client: OpenLibraryClient, works: readonly string[], isbns: readonly string[]): Promise<string | null> {
  for (const work of works.slice(0, 2)) {
    const editions = (await client.editionIsbns(work)) ?? [];
    if (isbns.some((isbn) => editions.includes(isbn))) return work;
  }
  return null;
}

async function verdictFor(client: OpenLibraryClient, book: MatchableBook, evidence: BookEvidence, title: MatchableTitle): Promise<PairVerdict | null> {
  const isbns = titleIsbns(title);
  const side = await worksOf(client, { title: title.title, subtitle: title.subtitle, authors: title.authors, isbn13s: isbns });
  const shared = side.works.find((w) => evidence.works.includes(w));
  if (shared) return { same: true, by: 'work', work: shared };
  if (isbns.length && evidence.works.length) {
    const work = await editionsHold(client, evidence.works, isbns);
    if (work) return { same: true, by: 'isbn', work };
  }
  const ownIsbns = bookIsbns(book);
  if (ownIsbns.length && side.works.length) {
    const work = await editionsHold(client, side.works, ownIsbns);
    if (work) return { same: true, by: 'isbn', work };
  }
  return evidence.works.length && side.works.length ? { same: false, works: side.works } : null;
}

/**
 * Asks Open Library about the books the matcher leaves open: conflicts, and books it cannot place
 * although it knows their author, or whose authors are written in a script not romanised here.
 * Books it links, and books by authors the library does not hold, cost no request. For each book
 * asked about: its works and their other titles, the candidates under those titles, and per
 * candidate whether it is the same work. Requests go through the client (cache, rate limit).
 */
export async function gatherEvidence(
  matcher: Matcher,
  titles: readonly MatchableTitle[],
  books: readonly MatchableBook[],
  client: OpenLibraryClient,
  options: GatherOptions = {},
): Promise<Map<string, BookEvidence>> {
  const byAsin = new Map(titles.map((t) => [t.asin, t]));
  const evidence = new Map<string, BookEvidence>();
  const toAsk = books.filter((book) => {
    const outcome = matcher.match(book);
    if (outcome.kind === 'link') return false;
    if (outcome.kind === 'conflict') return true;
    return hasForeign(authorKeys(book.authors)) || matcher.titlesByAuthors(book).length > 0;
  });
  let done = 0;
  for (const book of toAsk) {
    const found = await worksOf(client, { title: book.title, authors: book.authors, isbn13s: bookIsbns(book) });
    const entry: BookEvidence = { ...found, pairs: {} };
    const candidates = candidatesWithAliases(matcher, book, entry)
      .filter((c) => c.method === 'title_author')
      .slice(0, options.maxCandidates ?? 3);
    for (const candidate of candidates) {
      const title = byAsin.get(candidate.asin);
      if (!title) continue;
      const verdict = await verdictFor(client, book, entry, title);
      if (verdict) entry.pairs[candidate.asin] = verdict;
    }
    evidence.set(book.trackerId, entry);
    options.onBook?.(++done, toAsk.length);
  }
  return evidence;
}
