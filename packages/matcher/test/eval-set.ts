/**
 * Loads the labelled evaluation set (eval/titles.psv, eval/books.psv) and scores a matcher on it:
 * precision and recall of automatic links, where a conflict counts as "not linked".
 */
import { readFileSync } from 'node:fs';
import type { FakeWork } from '@sagasync/fake-openlibrary';
import type { MatchableBook, MatchableTitle, MatchOutcome } from '../src/index.js';

export interface EvalBook extends MatchableBook {
  category: string;
  /** Acceptable ASINs; empty when the right answer is "no link". */
  expected: string[];
}

export interface EvalSet {
  titles: MatchableTitle[];
  books: EvalBook[];
}

const EVAL_DIR = new URL('../eval/', import.meta.url);

function rows(file: string): string[][] {
  const lines = readFileSync(new URL(file, EVAL_DIR), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'));
  return lines.slice(1).map((l) => l.split('|'));
}

const list = (cell: string | undefined) => (cell ?? '').split(';').map((s) => s.trim()).filter(Boolean);

/** The labelled set: `books.psv` (the dev part, rules may be tuned on it) or `books-held-out.psv` (never tuned on). */
export function loadEvalSet(part: 'dev' | 'held-out' = 'dev'): EvalSet {
  const titles = rows('titles.psv').map(([asin, title, subtitle, authors, series]): MatchableTitle => ({
    asin: asin!,
    title: title!,
    subtitle: subtitle || null,
    authors: list(authors),
    series: list(series).map((s) => {
      const [seriesTitle, sequence] = s.split('#');
      return { seriesTitle: seriesTitle!, sequence: sequence ?? '' };
    }),
  }));
  const books = rows(part === 'dev' ? 'books.psv' : 'books-held-out.psv').map(([category, title, authors, isbn10, isbn13, asin, expected], i): EvalBook => ({
    trackerId: `${part === 'dev' ? 'eval' : 'held-out'}-${i + 1}`,
    category: category!,
    title: title!,
    authors: list(authors),
    isbn10: isbn10 || null,
    isbn13: isbn13 || null,
    asin: asin || null,
    expected: expected === '-' ? [] : list(expected),
  }));
  return { titles, books };
}

export interface EvalResult {
  books: number;
  positives: number;
  links: number;
  correctLinks: number;
  conflicts: number;
  precision: number;
  recall: number;
  falseLinks: { book: EvalBook; outcome: MatchOutcome }[];
  misses: { book: EvalBook; outcome: MatchOutcome }[];
}

export function evaluate(set: EvalSet, match: (book: MatchableBook) => MatchOutcome): EvalResult {
  const result: EvalResult = { books: set.books.length, positives: 0, links: 0, correctLinks: 0, conflicts: 0, precision: 0, recall: 0, falseLinks: [], misses: [] };
  for (const book of set.books) {
    const outcome = match(book);
    if (book.expected.length) result.positives++;
    if (outcome.kind === 'conflict') result.conflicts++;
    if (outcome.kind === 'link') {
      result.links++;
      if (book.expected.includes(outcome.asin)) result.correctLinks++;
      else result.falseLinks.push({ book, outcome });
    }
    if (book.expected.length && !(outcome.kind === 'link' && book.expected.includes(outcome.asin))) result.misses.push({ book, outcome });
  }
  result.precision = result.links ? result.correctLinks / result.links : 1;
  result.recall = result.positives ? result.correctLinks / result.positives : 1;
  return result;
}

/**
 * The stand-in Open Library catalogue of `eval/openlibrary.psv`, for tools/fake-openlibrary: works
 * with their other titles, authors (with other spellings and scripts) and one edition per ISBN.
 */
export function loadOpenLibraryCatalogue(): FakeWork[] {
  return rows('openlibrary.psv').map(([key, title, subtitle, alternatives, authors, isbns]): FakeWork => ({
    key: key!,
    title: title!,
    ...(subtitle ? { subtitle } : {}),
    alternativeTitles: list(alternatives),
    authors: list(authors).map((a) => {
      const [name, alternates] = a.split('=');
      return { name: name!.trim(), alternateNames: (alternates ?? '').split('/').map((n) => n.trim()).filter(Boolean) };
    }),
    editions: list(isbns).map((isbn) => (isbn.length === 13 ? { isbn13: [isbn] } : { isbn10: [isbn] })),
  }));
}
