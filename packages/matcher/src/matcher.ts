import { candidateFloor, decide } from './decide/decide.js';
import { prepareBook, prepareTitle, type PreparedBook, type PreparedTitle } from './decide/prepare.js';
import { scorePair, SERIES_AGREES_BONUS } from './decide/score.js';
import { resolveOptions, type MatchableBook, type MatchableTitle, type MatchCandidate, type MatcherOptions, type MatchOutcome } from './decide/types.js';
import { TrigramIndex } from './index/candidate-index.js';
import { setSimilarity } from './similarity/trigram.js';

export interface Matcher {
  /** Decides the identity of one tracker book among the titles; `exclude` holds ASINs a person rejected for it. */
  match(book: MatchableBook, options?: { exclude?: ReadonlySet<string> }): MatchOutcome;
  /** Scored candidates for a book, best first, before any decision. */
  candidates(book: MatchableBook, options?: { exclude?: ReadonlySet<string> }): MatchCandidate[];
  readonly titleCount: number;
}

/**
 * Builds the matching engine over a set of titles: an ASIN map, an ISBN map and a trigram index
 * over main titles, full titles and subtitles. Pure: no I/O, no storage.
 */
export function createMatcher(titles: readonly MatchableTitle[], options: MatcherOptions = {}): Matcher {
  const resolved = resolveOptions(options);
  const prepared: PreparedTitle[] = [];
  const byAsin = new Map<string, number>();
  const byIsbn = new Map<string, number[]>();
  const index = new TrigramIndex();
  for (const title of titles) {
    const p = prepareTitle(title);
    if (byAsin.has(p.asin)) continue; // one entry per product
    const i = prepared.length;
    prepared.push(p);
    byAsin.set(p.asin, i);
    for (const isbn of p.isbn13s) {
      const list = byIsbn.get(isbn) ?? [];
      list.push(i);
      byIsbn.set(isbn, list);
    }
    index.add(i, p.main);
    if (p.full !== p.main) index.add(i, p.full);
    if (p.subtitle.length) index.add(i, p.subtitle);
  }
  index.freeze();
  // A candidate scoring at least the floor has some form pair at least this similar: weights
  // applied to similarities are at most 1 and only the series bonus adds.
  const searchThreshold = Math.max(0.01, candidateFloor(resolved) - SERIES_AGREES_BONUS);

  function candidatesOf(book: PreparedBook, exclude: ReadonlySet<string> | undefined): MatchCandidate[] {
    const ids = new Set<number>();
    if (book.asin) {
      const i = byAsin.get(book.asin);
      if (i !== undefined) ids.add(i);
    }
    for (const isbn of book.isbn13s) for (const i of byIsbn.get(isbn) ?? []) ids.add(i);
    const found = new Map<number, number>();
    index.search(book.main, searchThreshold, found);
    if (book.full !== book.main) index.search(book.full, searchThreshold, found);
    if (book.subtitle.length) index.search(book.subtitle, searchThreshold, found);
    for (const i of found.keys()) ids.add(i);
    const out: MatchCandidate[] = [];
    for (const i of ids) {
      const title = prepared[i]!;
      if (exclude?.has(title.asin)) continue;
      const scored = scorePair(book, title);
      if (scored) out.push(scored);
    }
    return out;
  }

  return {
    titleCount: prepared.length,
    match(book, opts = {}) {
      return decide(candidatesOf(prepareBook(book), opts.exclude), resolved);
    },
    candidates(book, opts = {}) {
      return candidatesOf(prepareBook(book), opts.exclude).sort((a, b) => b.score - a.score);
    },
  };
}

/**
 * The naive baseline for the benchmark: the same candidates, scoring and decisions, but found by
 * computing the trigram similarity of every book with every title (what a SQL
 * `where similarity(a, b) >= t` without an index does). Tests prove it decides exactly as
 * `createMatcher`.
 */
export function createAllPairsMatcher(titles: readonly MatchableTitle[], options: MatcherOptions = {}): Pick<Matcher, 'match'> {
  const resolved = resolveOptions(options);
  const searchThreshold = Math.max(0.01, candidateFloor(resolved) - SERIES_AGREES_BONUS);
  const prepared = titles.map(prepareTitle);
  const formsOf = (p: PreparedTitle | PreparedBook) => [p.main, p.full, p.subtitle].filter((set, i, all) => set.length > 0 && all.indexOf(set) === i);
  const titleForms = prepared.map(formsOf);
  return {
    match(book, opts = {}) {
      const p = prepareBook(book);
      const bookForms = formsOf(p);
      const out: MatchCandidate[] = [];
      prepared.forEach((title, i) => {
        if (opts.exclude?.has(title.asin)) return;
        const identity = (p.asin !== null && p.asin === title.asin) || title.isbn13s.some((isbn) => p.isbn13s.includes(isbn));
        const similar = !identity && bookForms.some((b) => titleForms[i]!.some((t) => setSimilarity(b, t) >= searchThreshold));
        if (!identity && !similar) return;
        const scored = scorePair(p, title);
        if (scored) out.push(scored);
      });
      return decide(out, resolved);
    },
  };
}
