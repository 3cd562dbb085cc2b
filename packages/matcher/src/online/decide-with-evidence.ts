import type { MatchableBook, MatchCandidate, MatchOutcome } from '../decide/types.js';
import type { Matcher } from '../matcher.js';
import type { BookEvidence } from './evidence.js';

// Blockers no answer from Open Library lifts: a summary or an omnibus is its own work there, and an
// answer that says otherwise is more likely a search that went astray.
const HARD_BLOCKER = /^(?:derivative work|tracker book is an omnibus|title is an omnibus)/;

/** The book as Open Library also calls it: each of its other titles, with every form of its authors. */
export function aliasesOf(book: MatchableBook, evidence: BookEvidence): MatchableBook[] {
  const authors = [...new Set([...book.authors, ...evidence.authors])];
  const titles = new Set(evidence.titles.filter((t) => t !== book.title));
  return [...titles].map((title) => ({ trackerId: book.trackerId, title, authors, seriesHint: book.seriesHint ?? null }));
}

/** The book's candidates under its own title and under every title Open Library gives it; the best score per title. */
export function candidatesWithAliases(matcher: Matcher, book: MatchableBook, evidence: BookEvidence, exclude?: ReadonlySet<string>): MatchCandidate[] {
  const best = new Map<string, MatchCandidate>();
  const add = (c: MatchCandidate) => {
    const prior = best.get(c.asin);
    if (!prior || c.score > prior.score) best.set(c.asin, c);
  };
  for (const c of matcher.candidates(book, { exclude })) add(c);
  for (const alias of aliasesOf(book, evidence)) for (const c of matcher.candidates(alias, { exclude })) add(c);
  return [...best.values()].sort((a, b) => b.score - a.score || (a.asin < b.asin ? -1 : 1));
}

/**
 * The matcher's decision, then Open Library's word on what it left open. A candidate Open Library
 * places in the book's own work (the same work key, or an edition with the title's ISBN) links when
 * it is the only such candidate and no hard blocker stands; candidates it places in another work
 * leave the conflict; what it cannot place stays as it was. Pure: the evidence was gathered before.
 */
export function decideWithEvidence(matcher: Matcher, book: MatchableBook, evidence: BookEvidence | undefined, options: { exclude?: ReadonlySet<string>; linkThreshold?: number } = {}): MatchOutcome {
  const offline = matcher.match(book, { exclude: options.exclude });
  if (!evidence || offline.kind === 'link') return offline;
  const candidates = candidatesWithAliases(matcher, book, evidence, options.exclude).filter((c) => c.method === 'title_author');
  const confirmed = candidates.filter((c) => evidence.pairs[c.asin]?.same && !c.blockers.some((b) => HARD_BLOCKER.test(b)));
  if (confirmed.length === 1) {
    const c = confirmed[0]!;
    const verdict = evidence.pairs[c.asin] as Extract<BookEvidence['pairs'][string], { same: true }>;
    const why = verdict.by === 'isbn' ? `an edition of ${verdict.work} has its ISBN` : `the same work, ${verdict.work}`;
    return {
      kind: 'link',
      asin: c.asin,
      method: verdict.by === 'isbn' ? 'isbn' : 'title_author',
      score: Math.max(c.score, options.linkThreshold ?? 0.82),
      reason: `${c.reason}; Open Library: ${why}`,
      candidates: [c, ...candidates.filter((o) => o !== c)].slice(0, 5),
    };
  }
  if (confirmed.length > 1) {
    return { kind: 'conflict', reason: `Open Library: ${confirmed.map((c) => c.asin).join(', ')} are all the same work; pick one`, candidates: confirmed };
  }
  if (offline.kind === 'conflict') {
    const open = offline.candidates.filter((c) => !(evidence.pairs[c.asin] && !evidence.pairs[c.asin]!.same));
    if (open.length === 0) return { kind: 'none', reason: `Open Library: every candidate is another work than ${evidence.works.join(', ') || 'the book'}`, candidates: [] };
    return { ...offline, reason: `${offline.reason}; Open Library found no shared work`, candidates: open };
  }
  return offline;
}
