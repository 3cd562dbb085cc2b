import { candidateFloor, decide } from './decide/decide.js';
import { prepareBook, prepareTitle, type PreparedBook, type PreparedTitle } from './decide/prepare.js';
import { sameMainTitle, scorePair, SERIES_AGREES_BONUS } from './decide/score.js';
import { resolveOptions, type MatchableBook, type MatchableTitle, type MatchCandidate, type MatcherOptions, type MatchOutcome } from './decide/types.js';
import { AuthorIndex } from './index/author-index.js';
import { TrigramIndex } from './index/candidate-index.js';
import { compareAuthorLists } from './normalise/author.js';
import { setSimilarity } from './similarity/trigram.js';

/**
 * Whether another title of the book's author has the book's main title (then the main-title rule
 * decides nothing). Counts every such title, rejected ones included, so both matchers agree.
 */
function mainShared(book: PreparedBook, titles: readonly PreparedTitle[], ids: Iterable<number>): boolean {
  if (!book.main.length || book.authors.length === 0) return false;
  let sharing = 0;
  for (const i of ids) {
    const title = titles[i]!;
    if (!sameMainTitle(book, title)) continue;
    const authors = compareAuthorLists(title.authors, book.authors);
    if ((authors === 'agree' || authors === 'weak') && ++sharing > 1) return true;
  }
  return false;
}

/** Whether any pair of sets reaches the threshold; the length filter skips merges that cannot. */
function similarEnough(a: Int32Array[], b: Int32Array[], threshold: number): boolean {
  for (const x of a) {
    for (const y of b) {
      // Jaccard >= t needs the smaller set to hold at least t of the larger.
      const small = x.length < y.length ? x.length : y.length;
      const large = x.length < y.length ? y.length : x.length;
      if (small < threshold * large - 1e-9) continue;
      if (setSimilarity(x, y) >= threshold) return true;
    }
  }
  return false;
}

/** The same question answered the naive way: the similarity of every pair, no filter. */
function anySimilar(a: Int32Array[], b: Int32Array[], threshold: number): boolean {
  for (const x of a) for (const y of b) if (setSimilarity(x, y) >= threshold) return true;
  return false;
}

export interface Matcher {
  /** Decides the identity of one tracker book among the titles; `exclude` holds ASINs a person rejected for it. */
  match(book: MatchableBook, options?: { exclude?: ReadonlySet<string> }): MatchOutcome;
  /** Scored candidates for a book, best first, before any decision. */
  candidates(book: MatchableBook, options?: { exclude?: ReadonlySet<string> }): MatchCandidate[];
  /** ASINs of the titles whose authors agree with the book's, whatever their titles: what the online step may ask about. */
  titlesByAuthors(book: MatchableBook): string[];
  readonly titleCount: number;
}

/**
 * Builds the matching engine over a set of titles. Candidates come from indexes, never from a
 * scan: an ASIN map and an ISBN map for identities; for fuzzy matches, an author index (a title by
 * nobody the book names can never match) and, for the rare book or title without authors, a
 * trigram index over main titles, full titles and subtitles. Pure: no I/O, no storage.
 */
export function createMatcher(titles: readonly MatchableTitle[], options: MatcherOptions = {}): Matcher {
  const resolved = resolveOptions(options);
  const prepared: PreparedTitle[] = [];
  const titleForms: Int32Array[][] = [];
  const byAsin = new Map<string, number>();
  const byIsbn = new Map<string, number[]>();
  // A candidate scoring at least the floor has some form pair at least this similar: weights
  // applied to similarities are at most 1 and only the series bonus adds.
  const searchThreshold = Math.max(0.01, candidateFloor(resolved) - SERIES_AGREES_BONUS);
  // Every title, for books without authors (built on first need: most trackers name authors);
  // and the titles without authors, for books with some.
  let everyTitle: TrigramIndex | null = null;
  const authorless = new TrigramIndex(searchThreshold);
  const byAuthor = new AuthorIndex();
  for (const title of titles) {
    const p = prepareTitle(title);
    if (byAsin.has(p.asin)) continue; // one entry per product
    const i = prepared.length;
    prepared.push(p);
    titleForms.push(p.sets);
    byAsin.set(p.asin, i);
    for (const isbn of p.isbn13s) {
      const list = byIsbn.get(isbn) ?? [];
      list.push(i);
      byIsbn.set(isbn, list);
    }
    // Titles nobody can be compared with by author are found by title: no author, or one in a script not romanised here.
    if (p.authors.length === 0 || p.foreignAuthors) for (const form of titleForms[i]!) authorless.add(i, form);
    byAuthor.add(i, p.authors);
  }
  authorless.freeze();
  const index = (): TrigramIndex => {
    if (!everyTitle) {
      everyTitle = new TrigramIndex(searchThreshold);
      titleForms.forEach((forms, i) => forms.forEach((form) => everyTitle!.add(i, form)));
      everyTitle.freeze();
    }
    return everyTitle;
  };

  // Marks candidates already taken for the current book, so each is scored once without a Set.
  const seen = new Int32Array(prepared.length);
  let stamp = 0;

  function candidatesOf(book: PreparedBook, exclude: ReadonlySet<string> | undefined): MatchCandidate[] {
    const ids: number[] = [];
    const current = ++stamp;
    const take = (i: number) => {
      if (seen[i] === current) return;
      seen[i] = current;
      ids.push(i);
    };
    if (book.asin) {
      const i = byAsin.get(book.asin);
      if (i !== undefined) take(i);
    }
    for (const isbn of book.isbn13s) for (const i of byIsbn.get(isbn) ?? []) take(i);
    const bookForms = book.sets;
    if (book.authors.length === 0 || book.foreignAuthors) {
      const found = new Map<number, number>();
      for (const form of bookForms) index().search(form, found);
      for (const i of found.keys()) take(i);
    }
    if (book.authors.length > 0) {
      if (authorless.size) {
        const found = new Map<number, number>();
        for (const form of bookForms) authorless.search(form, found);
        for (const i of found.keys()) take(i);
      }
      // Same author: compare every form pair directly; an author's titles are few.
      for (const i of byAuthor.lookup(book.authors)) {
        if (seen[i] === current || !similarEnough(bookForms, titleForms[i]!, searchThreshold)) continue;
        seen[i] = current;
        ids.push(i);
      }
    }
    const context = { mainShared: mainShared(book, prepared, ids) };
    const out: MatchCandidate[] = [];
    for (const i of ids) {
      const title = prepared[i]!;
      if (exclude?.has(title.asin)) continue;
      const scored = scorePair(book, title, context);
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
    titlesByAuthors(book) {
      const p = prepareBook(book);
      if (p.authors.length === 0) return [];
      return byAuthor
        .lookup(p.authors)
        .filter((i) => {
          const agreement = compareAuthorLists(prepared[i]!.authors, p.authors);
          return agreement === 'agree' || agreement === 'weak';
        })
        .map((i) => prepared[i]!.asin);
    },
  };
}

/**
 * The naive baseline for the benchmark: the same candidates, scoring and decisions, but found by
 * computing the trigram similarity of every book with every title, over trigram sets computed
 * once per string (what a SQL `where similarity(a, b) >= t` without an index does). Tests prove
 * it decides exactly as `createMatcher`.
 */
export function createAllPairsMatcher(titles: readonly MatchableTitle[], options: MatcherOptions = {}): Pick<Matcher, 'match'> {
  const resolved = resolveOptions(options);
  const searchThreshold = Math.max(0.01, candidateFloor(resolved) - SERIES_AGREES_BONUS);
  const prepared = titles.map(prepareTitle);
  const titleForms = prepared.map((p) => p.sets);
  return {
    match(book, opts = {}) {
      const p = prepareBook(book);
      const bookForms = p.sets;
      const out: MatchCandidate[] = [];
      const context = { mainShared: mainShared(p, prepared, prepared.keys()) };
      prepared.forEach((title, i) => {
        if (opts.exclude?.has(title.asin)) return;
        const identity = (p.asin !== null && p.asin === title.asin) || title.isbn13s.some((isbn) => p.isbn13s.includes(isbn));
        const similar = !identity && anySimilar(bookForms, titleForms[i]!, searchThreshold);
        if (!identity && !similar) return;
        const scored = scorePair(p, title, context);
        if (scored) out.push(scored);
      });
      return decide(out, resolved);
    },
  };
}
