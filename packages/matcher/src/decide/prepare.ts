import { parseSequence, type SeriesPosition } from '@sagasync/core';
import { authorKeys, hasForeign, type AuthorKey } from '../normalise/author.js';
import { foldText } from '../normalise/fold.js';
import { cleanIdentifier, isbn10To13, isbnsOfAsin, parseIsbn } from '../normalise/identifiers.js';
import { normaliseTitle, type TitleForms } from '../normalise/title.js';
import { trigramSet } from '../similarity/trigram.js';
import type { MatchableBook, MatchableTitle } from './types.js';

export interface PreparedSeries {
  /** Folded series title without a trailing "series". */
  key: string;
  position: SeriesPosition;
}

/** Either side after normalisation, with trigram sets computed once. */
export interface Prepared {
  forms: TitleForms;
  main: Int32Array;
  full: Int32Array;
  subtitle: Int32Array;
  /** Main and full title without spaces: equal keys are the same title written apart or together. */
  mainKey: string;
  fullKey: string;
  /** Other forms of the main title (a romanisation in square brackets). */
  alternates: Int32Array[];
  /** The non-empty sets among main, full (when different), subtitle and alternates: what candidates are compared by. */
  sets: Int32Array[];
  authors: AuthorKey[];
  /** Some author is written in a script not romanised here: such a side is also searched by title alone. */
  foreignAuthors: boolean;
  series: PreparedSeries[];
  omnibus: boolean;
}

export interface PreparedTitle extends Prepared {
  asin: string;
  isbn13s: string[];
}

export interface PreparedBook extends Prepared {
  trackerId: string;
  asin: string | null;
  isbn13s: string[];
}

function seriesKey(title: string): string {
  return foldText(title)
    .replace(/^(?:the|a|an) /, '')
    .replace(/ (?:series|saga|cycle|sequence|universe)$/, '');
}

// Libraries repeat authors (a series is one author's); their keys are computed once.
const authorCache = new Map<string, AuthorKey[]>();
function cachedAuthorKeys(authors: readonly string[]): AuthorKey[] {
  const id = authors.join('\u0000');
  let keys = authorCache.get(id);
  if (!keys) {
    if (authorCache.size > 50_000) authorCache.clear();
    keys = authorKeys(authors);
    authorCache.set(id, keys);
  }
  return keys;
}

function prepareForms(forms: TitleForms, authors: readonly string[], series: PreparedSeries[]): Prepared {
  const main = trigramSet(forms.main);
  const full = forms.full === forms.main ? main : trigramSet(forms.full);
  const subtitle = forms.subtitle ? trigramSet(forms.subtitle) : EMPTY;
  const alternates = forms.alternates.length ? forms.alternates.map((a) => trigramSet(a)).filter((set) => set.length > 0) : NONE;
  const sets: Int32Array[] = [];
  if (main.length) sets.push(main);
  if (full !== main && full.length) sets.push(full);
  if (subtitle.length) sets.push(subtitle);
  sets.push(...alternates);
  const keys = cachedAuthorKeys(authors);
  return {
    forms,
    main,
    full,
    subtitle,
    mainKey: forms.main.replace(/ /g, ''),
    fullKey: forms.full.replace(/ /g, ''),
    alternates,
    sets,
    authors: keys,
    foreignAuthors: hasForeign(keys),
    series,
    omnibus: forms.omnibus || series.some((s) => s.position.kind === 'range'),
  };
}

export function prepareTitle(title: MatchableTitle): PreparedTitle {
  const seriesList = title.series ?? [];
  const forms = normaliseTitle(title.title, title.subtitle, { seriesTitles: seriesList.map((s) => s.seriesTitle) });
  const series = seriesList.map((s) => ({ key: seriesKey(s.seriesTitle), position: s.position ?? parseSequence(s.sequence ?? '') }));
  for (const hint of forms.seriesHints) series.push({ key: seriesKey(hint.title), position: parseSequence(hint.sequence) });
  const isbn13s = new Set(isbnsOfAsin(title.asin));
  for (const isbn of title.isbns ?? []) {
    const parsed = parseIsbn(isbn);
    if (parsed.isbn13) isbn13s.add(parsed.isbn13);
  }
  const prepared = prepareForms(forms, title.authors, series) as PreparedTitle;
  prepared.asin = cleanIdentifier(title.asin);
  prepared.isbn13s = [...isbn13s];
  return prepared;
}

export function prepareBook(book: MatchableBook): PreparedBook {
  const forms = normaliseTitle(book.title);
  const hints = book.seriesHint ? [book.seriesHint, ...forms.seriesHints.slice(1)] : forms.seriesHints;
  const series = hints.map((hint) => ({ key: seriesKey(hint.title), position: parseSequence(hint.sequence) }));
  const isbn13s: string[] = [];
  const addIsbn = (isbn: string | null) => {
    if (isbn && !isbn13s.includes(isbn)) isbn13s.push(isbn);
  };
  if (book.isbn13) addIsbn(parseIsbn(book.isbn13).isbn13);
  if (book.isbn10) addIsbn(parseIsbn(book.isbn10).isbn13);
  const asin = book.asin ? cleanIdentifier(book.asin) : null;
  // A 10-digit "ASIN" from a tracker is an ISBN-10 (StoryGraph puts either in one column).
  if (asin) addIsbn(isbn10To13(asin));
  const prepared = prepareForms(forms, book.authors, series) as PreparedBook;
  prepared.trackerId = book.trackerId;
  prepared.asin = asin;
  prepared.isbn13s = isbn13s;
  return prepared;
}

const EMPTY = new Int32Array(0);
const NONE: Int32Array[] = [];
