import { compareAuthorLists } from '../normalise/author.js';
import { setSimilarity, similarity } from '../similarity/trigram.js';
import type { PreparedBook, PreparedSeries, PreparedTitle } from './prepare.js';
import type { MatchCandidate } from './types.js';

/** Weight of a main-title match when both sides have different real subtitles ("Star Wars: Thrawn" / "Star Wars: Heir to the Empire"). */
const MAIN_ONLY_BOTH_SUBTITLED = 0.75;
/** Weight of a main-title match when only one side has a subtitle ("Sapiens" / "Sapiens: A Brief History"). */
const MAIN_ONLY_ONE_SUBTITLED = 0.97;
/** Weight of a title matching the other side's subtitle ("The Final Empire" / "Mistborn: The Final Empire"). */
const SUBTITLE_AS_TITLE = 0.95;
/** Each blocker lowers the score so ranked candidates show it; blockers also forbid linking. */
const BLOCKER_PENALTY = 0.9;
/** Added when the tracker's series hint names the title's series and position. */
export const SERIES_AGREES_BONUS = 0.03;
/**
 * Score of a pair whose main titles are the same while both subtitles differ and describe the work
 * ("Grit: The Power of Passion and Perseverance" / "Grit: Why Passion and Resilience Are the
 * Secrets to Success"): enough to link, when `mainTitleRule` allows it.
 */
const MAIN_TITLE_RULE = 0.86;
/** A subtitle of fewer words names a work ("Star Wars: Bloodline") rather than describing one. */
const DESCRIPTIVE_SUBTITLE_WORDS = 3;

export interface PairContext {
  /** Another title of the book's author has the same main title: the main title alone decides nothing. */
  mainShared?: boolean;
}

/** The main titles are the same after normalisation (numbers, articles, spelling). */
export function sameMainTitle(book: PreparedBook, title: PreparedTitle): boolean {
  return book.main.length > 0 && book.mainKey === title.mainKey;
}

/** The main title is (part of) a series name on either side: "Dune" of "Prelude to Dune", "Halo" of "Halo". */
function mainIsSeriesName(main: string, book: PreparedBook, title: PreparedTitle): boolean {
  const padded = ` ${main} `;
  for (const s of book.series) if (` ${s.key} `.includes(padded)) return true;
  for (const s of title.series) if (` ${s.key} `.includes(padded)) return true;
  return false;
}

const wordCount = (text: string) => (text ? text.split(' ').length : 0);

/**
 * The main-title rule: a person links "Title: one subtitle" to "Title: another subtitle" when the
 * authors agree, no other title of that author shares the main title, the main title is not a
 * series or franchise name, and both subtitles describe the work rather than name another one.
 */
function mainTitleRule(book: PreparedBook, title: PreparedTitle, context: PairContext): boolean {
  if (context.mainShared || !sameMainTitle(book, title)) return false;
  if (wordCount(book.forms.subtitle) < DESCRIPTIVE_SUBTITLE_WORDS || wordCount(title.forms.subtitle) < DESCRIPTIVE_SUBTITLE_WORDS) return false;
  return !mainIsSeriesName(book.forms.main, book, title);
}

function positionsEqual(a: PreparedSeries['position'], b: PreparedSeries['position']): boolean | null {
  if (a.kind === 'none' || b.kind === 'none') return null;
  if (a.kind === 'number' && b.kind === 'number') return a.value === b.value;
  if (a.kind === 'range' && b.kind === 'range') return a.start === b.start && a.end === b.end;
  return false;
}

/**
 * Compares the book's series hints with the title's memberships: the same series at the same
 * position agrees; at another position differs; when both name series and none is shared, the
 * series are `unrelated`.
 */
function seriesVerdict(book: PreparedBook, title: PreparedTitle): { verdict: 'agrees' | 'differs' | 'unrelated' | null; detail: string } {
  let verdict: 'agrees' | 'differs' | 'unrelated' | null = null;
  let detail = '';
  let shared = false;
  for (const hint of book.series) {
    for (const membership of title.series) {
      const same = hint.key === membership.key || (hint.key.length > 3 && membership.key.length > 3 && similarity(hint.key, membership.key) >= 0.6);
      if (!same) continue;
      shared = true;
      const equal = positionsEqual(hint.position, membership.position);
      if (equal === true) return { verdict: 'agrees', detail: `series ${membership.key} position agrees` };
      if (equal === false) {
        verdict = 'differs';
        detail = `series ${membership.key} position differs`;
      }
    }
  }
  if (!shared && book.series.length && title.series.length) {
    return { verdict: 'unrelated', detail: `series differ (${book.series.map((s) => s.key).join(', ')} vs ${title.series.map((s) => s.key).join(', ')})` };
  }
  return { verdict, detail };
}

function writtenNames(side: PreparedBook | PreparedTitle): string {
  return side.authors.map((a) => a.written).join(', ');
}

function sameNumbers(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');
}

/**
 * Scores one title as the identity of one tracker book. Returns null when the authors disagree:
 * the same title by another author (or a companion by another hand) is never a candidate.
 */
export function scorePair(book: PreparedBook, title: PreparedTitle, context: PairContext = {}): MatchCandidate | null {
  if (book.asin && book.asin === title.asin) {
    return { asin: title.asin, score: 1, method: 'asin', reason: 'ASIN identical', blockers: [] };
  }
  if (book.isbn13s.length && title.isbn13s.some((isbn) => book.isbn13s.includes(isbn))) {
    return { asin: title.asin, score: 1, method: 'isbn', reason: 'ISBN identical', blockers: [] };
  }

  const authors = compareAuthorLists(title.authors, book.authors);
  if (authors === 'disagree') return null;

  const bSub = book.forms.subtitle !== '';
  const tSub = title.forms.subtitle !== '';
  // Titles equal but for spaces ("Work Week" / "Workweek") are the same title.
  const mm = book.mainKey === title.mainKey ? 1 : setSimilarity(book.main, title.main);
  const ff = book.full === book.main && title.full === title.main ? mm : book.fullKey === title.fullKey ? 1 : setSimilarity(book.full, title.full);
  let titleSim = ff;
  let basis = 'full title';
  const consider = (value: number, why: string) => {
    if (value > titleSim) {
      titleSim = value;
      basis = why;
    }
  };
  if (bSub || tSub) {
    // A side without subtitle may have written it into the title without a colon ("Star Wars Thrawn").
    if (!bSub) consider(setSimilarity(book.main, title.full), 'title vs title and subtitle');
    if (!tSub) consider(setSimilarity(book.full, title.main), 'title and subtitle vs title');
    consider(mm * (bSub && tSub ? MAIN_ONLY_BOTH_SUBTITLED : MAIN_ONLY_ONE_SUBTITLED), bSub && tSub ? 'main title only, subtitles differ' : 'main title, one side without subtitle');
    if (tSub && !bSub) consider(setSimilarity(book.main, title.subtitle) * SUBTITLE_AS_TITLE, "title vs the other's subtitle");
    if (bSub && !tSub) consider(setSimilarity(book.subtitle, title.main) * SUBTITLE_AS_TITLE, "subtitle vs the other's title");
    if (bSub && tSub && authors === 'agree' && mainTitleRule(book, title, context)) consider(MAIN_TITLE_RULE, 'main title agrees, subtitles differ; no other title of the author has it');
  }
  for (const alternate of book.alternates) {
    consider(setSimilarity(alternate, title.main), 'romanised title vs title');
    if (title.full !== title.main) consider(setSimilarity(alternate, title.full), 'romanised title vs title and subtitle');
  }

  const blockers: string[] = [];
  const notes: string[] = [];
  // Only whole titles that agree are strong enough to overrule weaker contrary evidence.
  const sameWholeTitle = ff >= 0.95;
  if (authors === 'weak' && !sameWholeTitle) blockers.push('author names differ slightly');
  if (authors === 'unknown') blockers.push('no author to compare');
  else if (authors === 'other_script') blockers.push(`authors written in another script (${writtenNames(book)} vs ${writtenNames(title)})`);
  else notes.push(authors === 'agree' ? 'authors agree' : 'authors nearly agree');

  if (book.forms.numbers.length && title.forms.numbers.length && !sameNumbers(book.forms.numbers, title.forms.numbers)) {
    blockers.push(`volume number differs (${book.forms.numbers.join(',')} vs ${title.forms.numbers.join(',')})`);
  }
  // "1Q84 (1Q84, #1-3)": a range in the tracker's series suffix, for a title published whole under the same name.
  const omnibusOnlyByHint = book.omnibus && !title.omnibus && book.forms.omnibusByHintOnly && sameWholeTitle && !title.series.some((s) => s.position.kind === 'number');
  if (book.omnibus !== title.omnibus && !omnibusOnlyByHint) blockers.push(book.omnibus ? 'tracker book is an omnibus, title a single volume' : 'title is an omnibus, tracker book a single volume');
  const bDer = book.forms.derivative.join(',');
  const tDer = title.forms.derivative.join(',');
  if (bDer !== tDer) blockers.push(`derivative work (${tDer || 'original'} vs ${bDer || 'original'})`);

  const series = seriesVerdict(book, title);
  let score = titleSim;
  if (series.verdict === 'agrees') {
    score += SERIES_AGREES_BONUS;
    notes.push(series.detail);
  } else if (series.verdict === 'differs' || series.verdict === 'unrelated') {
    // Reading orders differ between catalogues (Narnia), so an identical whole title overrides it.
    if (sameWholeTitle) notes.push(series.detail);
    else blockers.push(series.detail);
  }
  for (let i = 0; i < blockers.length; i++) score *= BLOCKER_PENALTY;
  score = Math.min(1, Math.max(0, score));
  const reason = [`title ${titleSim.toFixed(2)} (${basis})`, ...notes, ...blockers].join(', ');
  return { asin: title.asin, score: Math.round(score * 1e4) / 1e4, method: 'title_author', reason, blockers };
}
