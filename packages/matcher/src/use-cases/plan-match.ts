import {
  SagaSyncError,
  type BatchOperation,
  type Conflict,
  type ConflictData,
  type Link,
  type LinkData,
  type LinkMethod,
  type MatchDecision,
  type Title,
  type TrackerBook,
  type TrackerSource,
} from '@sagasync/core';
import type { MatchCandidate, MatcherOptions, MatchOutcome } from '../decide/types.js';
import { createMatcher, type Matcher } from '../matcher.js';
import { decideWithEvidence } from '../online/decide-with-evidence.js';
import type { OnlineEvidence } from '../online/evidence.js';
import { TrackerBookInputSchema, type TrackerBookInput } from '../sources/types.js';
import { conflictIdFor } from './deps.js';

export type LinkChange = 'created' | 'updated' | 'unchanged';

export interface ReportLink {
  trackerId: string;
  asin: string;
  method: LinkMethod;
  score: number;
  change: LinkChange;
  /** Why: the matcher's reason, `remembered decision`, or `manual link kept`. */
  reason: string;
}

export interface ReportConflict {
  id: string;
  trackerId: string;
  candidates: { asin: string; score: number; reason: string }[];
  reason: string;
  change: 'opened' | 'updated' | 'unchanged';
}

export interface ReportUnmatched {
  trackerId: string;
  reason: string;
}

/** What a set of writes does to the store, by kind; summed over write groups. */
export interface MatchWriteCounts {
  trackerBooksWritten: number;
  linksCreated: number;
  linksUpdated: number;
  linksRemoved: number;
  conflictsOpened: number;
  conflictsUpdated: number;
  /** Open conflicts that are no longer ambiguous (deleted) or settled by a person (resolved). */
  conflictsClosed: number;
  /** Store operations (the sync-run row not included). */
  operations: number;
}

export interface MatchReport {
  source: TrackerSource;
  committed: boolean;
  links: ReportLink[];
  conflicts: ReportConflict[];
  unmatched: string[];
  unmatchedDetails: ReportUnmatched[];
  counts: MatchWriteCounts & {
    books: number;
    duplicateBooks: number;
    /** Books whose outcome came from a person's remembered decision or manual link. */
    decidedByPerson: number;
  };
}

/** What `planMatch` reads: the owner's store state. Lists may hold other sources; they are filtered. */
export interface MatchState {
  titles: readonly Title[];
  links: readonly Link[];
  decisions: readonly MatchDecision[];
  conflicts: readonly Conflict[];
  trackerBooks: readonly TrackerBook[];
}

export interface PlanMatchOptions {
  /** Defaults to the source of the books. */
  source?: TrackerSource;
  /** Timestamp for the records the plan creates (ISO). */
  now: string;
  matcher?: MatcherOptions;
  /** Also match against synthetic series volumes (not owned). Default true. */
  includeUnowned?: boolean;
  /** What Open Library said about books the matcher left open (`gatherEvidence`); absent offline. */
  evidence?: OnlineEvidence;
}

/**
 * The writes about one tracker book that land together (one batch): its tracker book, then its
 * link deletes and puts, then its conflict. No two operations of a plan touch the same record, so
 * groups may land in any number of batches and a re-plan after some landed plans only the rest.
 */
export interface MatchWriteGroup {
  trackerId: string;
  /** `created` when the tracker book is new to the store, else `updated`. */
  change: 'created' | 'updated';
  operations: BatchOperation[];
  counts: MatchWriteCounts;
}

export interface MatchPlan {
  /** The report of the whole match (`committed: false`); counts are the planned writes. */
  report: MatchReport;
  /** Non-empty groups in the order of the books (first occurrence of each tracker id). */
  groups: MatchWriteGroup[];
  /** Books the matcher itself left as a conflict or unmatched (no person decided them): what the online step asks about. */
  open: string[];
}

/** The titles a match runs against: owned ones (and synthetic volumes unless excluded), no podcasts. */
export function titlesToMatch(state: Pick<MatchState, 'titles'>, includeUnowned: boolean | undefined): Title[] {
  return state.titles.filter((t) => (includeUnowned !== false || t.owned) && !t.isPodcast);
}

type Outcome =
  | { kind: 'manual'; asins: string[]; reason: string }
  | { kind: 'settled'; reason: string }
  | { kind: 'decided_none'; reason: string }
  | { kind: 'auto'; result: MatchOutcome };

interface Claim {
  trackerId: string;
  method: 'asin' | 'isbn' | 'title_author';
  score: number;
  reason: string;
}

const METHOD_RANK = { asin: 3, isbn: 2, title_author: 1 } as const;

export const emptyWriteCounts = (): MatchWriteCounts => ({
  trackerBooksWritten: 0,
  linksCreated: 0,
  linksUpdated: 0,
  linksRemoved: 0,
  conflictsOpened: 0,
  conflictsUpdated: 0,
  conflictsClosed: 0,
  operations: 0,
});

export function addWriteCounts(into: MatchWriteCounts, add: MatchWriteCounts): void {
  for (const key of Object.keys(add) as (keyof MatchWriteCounts)[]) into[key] += add[key];
}

function sameBook(a: TrackerBook, b: Omit<TrackerBook, 'ownerId' | 'updatedAt'>): boolean {
  return (
    a.title === b.title &&
    a.isbn10 === b.isbn10 &&
    a.isbn13 === b.isbn13 &&
    a.asin === b.asin &&
    a.status === b.status &&
    JSON.stringify(a.authors) === JSON.stringify(b.authors) &&
    JSON.stringify(a.seriesHint) === JSON.stringify(b.seriesHint)
  );
}

function sameCandidates(a: Conflict['candidates'], b: Conflict['candidates']): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const toConflictCandidates = (candidates: MatchCandidate[]) => candidates.map((c) => ({ asin: c.asin, score: c.score, reason: c.reason }));

/**
 * Validated copies of the books (callers other than the file readers may pass records with
 * extra fields), all of one source. Throws `invalid_input` naming the book.
 */
export function checkTrackerBooks(books: readonly TrackerBookInput[], source?: TrackerSource): { source: TrackerSource; books: TrackerBookInput[] } {
  const resolved = source ?? books[0]?.source;
  if (!resolved) throw new SagaSyncError('invalid_input', 'no tracker books to match and no source given');
  const checkedBooks = books.map((book, i): TrackerBookInput => {
    const checked = TrackerBookInputSchema.safeParse(book);
    if (!checked.success) throw new SagaSyncError('invalid_input', `tracker book ${i}: ${checked.error.issues[0]?.message}`, { details: { location: `books[${i}]` } });
    if (checked.data.source !== resolved) throw new SagaSyncError('invalid_input', `tracker book ${book.trackerId} is from ${book.source}, not ${resolved}`, { details: { location: `books[${i}].source` } });
    return checked.data;
  });
  return { source: resolved, books: checkedBooks };
}

/**
 * Pure: decides every book against the store state and returns the report and the write groups
 * that bring the store to it. A person's word always wins: a remembered link or "none of these"
 * decides the book, manual links are kept, and a resolved conflict is never reopened. One title
 * links to at most one book per source; when several books claim it, the clearly strongest claim
 * links and the others become conflicts. Planning again after some groups landed gives the rest
 * of the groups (and the same report lists), so an interrupted apply can resume by re-planning.
 */
export function planMatch(books: readonly TrackerBookInput[], state: MatchState, options: PlanMatchOptions): MatchPlan {
  const checked = checkTrackerBooks(books, options.source);
  return planChecked(checked.books, checked.source, state, options);
}

/** `planMatch` for books `checkTrackerBooks` returned. */
export function planChecked(input: readonly TrackerBookInput[], source: TrackerSource, state: MatchState, options: PlanMatchOptions): MatchPlan {
  const { now } = options;
  const titles = options.includeUnowned === false ? state.titles.filter((t) => t.owned) : state.titles;
  const evidence = options.evidence;
  const links = state.links.filter((l) => l.source === source);
  const decisions = state.decisions.filter((d) => d.source === source);
  const storedBooks = state.trackerBooks.filter((b) => b.source === source);
  const titleAsins = new Set(titles.map((t) => t.asin));
  const storedById = new Map(storedBooks.map((b) => [b.trackerId, b]));
  const linksByTracker = groupBy(links, (l) => l.trackerId);
  const decisionsByTracker = groupBy(decisions, (d) => d.trackerId);
  const conflictById = new Map(state.conflicts.map((c) => [c.id, c]));

  const unique: TrackerBookInput[] = [];
  const seen = new Set<string>();
  for (const book of input) {
    if (seen.has(book.trackerId)) continue;
    seen.add(book.trackerId);
    unique.push(book);
  }

  // 1. Each book's outcome on its own, people's decisions first.
  const matcher: Matcher = createMatcher(titlesToMatch(state, options.includeUnowned), options.matcher);
  const outcomes = new Map<string, Outcome>();
  for (const book of unique) outcomes.set(book.trackerId, outcomeFor(book, decisionsByTracker.get(book.trackerId) ?? [], linksByTracker.get(book.trackerId) ?? []));

  function outcomeFor(book: TrackerBookInput, decided: MatchDecision[], existing: Link[]): Outcome {
    const linkDecisions = decided.filter((d) => d.decision === 'link' && d.asin && titleAsins.has(d.asin)).map((d) => d.asin!);
    const manualLinks = existing.filter((l) => l.method === 'manual').map((l) => l.asin);
    if (linkDecisions.length) return { kind: 'manual', asins: [...new Set([...linkDecisions, ...manualLinks])], reason: 'remembered decision' };
    if (decided.some((d) => d.decision === 'reject' && d.asin === null)) return { kind: 'decided_none', reason: 'a person decided: none of these titles' };
    if (manualLinks.length) return { kind: 'manual', asins: manualLinks, reason: 'manual link kept' };
    if (conflictById.get(conflictIdFor(source, book.trackerId))?.status === 'resolved') return { kind: 'settled', reason: 'conflict already resolved' };
    const exclude = new Set(decided.filter((d) => d.decision === 'reject' && d.asin).map((d) => d.asin!));
    const online = evidence?.get(book.trackerId);
    const result = online ? decideWithEvidence(matcher, book, online, { exclude, linkThreshold: options.matcher?.linkThreshold }) : matcher.match(book, { exclude });
    return { kind: 'auto', result };
  }

  // 2. One title, one book per source: settle competing claims.
  const inRun = new Set(unique.map((b) => b.trackerId));
  const reserved = new Map<string, string>(); // asin -> trackerId holding it regardless of this run's fuzzy results
  for (const link of links) if (!inRun.has(link.trackerId)) reserved.set(link.asin, link.trackerId);
  for (const [trackerId, outcome] of outcomes) {
    if (outcome.kind === 'manual') for (const asin of outcome.asins) reserved.set(asin, trackerId);
    if (outcome.kind === 'settled') for (const l of linksByTracker.get(trackerId) ?? []) reserved.set(l.asin, trackerId);
  }
  const claims = new Map<string, Claim[]>();
  for (const [trackerId, outcome] of outcomes) {
    if (outcome.kind !== 'auto' || outcome.result.kind !== 'link') continue;
    const { asin, method, score, reason } = outcome.result;
    const list = claims.get(asin) ?? [];
    list.push({ trackerId, method, score, reason });
    claims.set(asin, list);
  }
  const margin = options.matcher?.margin ?? 0.06;
  for (const [asin, list] of claims) {
    const holder = reserved.get(asin);
    list.sort((a, b) => METHOD_RANK[b.method] - METHOD_RANK[a.method] || b.score - a.score);
    const top = list[0]!;
    const runner = list[1];
    const topWins = !holder && (!runner || METHOD_RANK[top.method] > METHOD_RANK[runner.method] || top.score - runner.score >= margin);
    for (const claim of list) {
      if (topWins && claim === top) continue;
      const outcome = outcomes.get(claim.trackerId) as Extract<Outcome, { kind: 'auto' }>;
      const why = holder
        ? `${asin} is already linked to tracker book ${holder}`
        : topWins
          ? `${asin} is a stronger match for tracker book ${top.trackerId}`
          : `${asin} matches several tracker books equally (${list.map((c) => c.trackerId).join(', ')})`;
      outcomes.set(claim.trackerId, { kind: 'auto', result: { kind: 'conflict', reason: why, candidates: outcome.result.candidates } });
    }
  }

  // 3. The links this run wants, by (asin, source), starting from what is stored.
  const finalLinks = new Map<string, LinkData>(links.map((l) => [l.asin, stripOwner(l)]));
  const report: MatchReport = {
    source,
    committed: false,
    links: [],
    conflicts: [],
    unmatched: [],
    unmatchedDetails: [],
    counts: { books: unique.length, duplicateBooks: input.length - unique.length, decidedByPerson: 0, ...emptyWriteCounts() },
  };
  const reasons = new Map<string, string>(); // asin -> reason, for the report

  for (const book of unique) {
    const outcome = outcomes.get(book.trackerId)!;
    const existing = linksByTracker.get(book.trackerId) ?? [];
    if (outcome.kind === 'settled') continue;
    if (outcome.kind !== 'auto') report.counts.decidedByPerson++;
    const keepManual = outcome.kind === 'manual' || outcome.kind === 'decided_none';
    // Automatic links are re-derived every run; manual ones stay.
    for (const l of existing) if (!(keepManual && l.method === 'manual') && finalLinks.get(l.asin)?.trackerId === book.trackerId) finalLinks.delete(l.asin);
    if (outcome.kind === 'manual') {
      for (const asin of outcome.asins) {
        const prior = existing.find((l) => l.asin === asin && l.method === 'manual');
        finalLinks.set(asin, prior ? stripOwner(prior) : { asin, source, trackerId: book.trackerId, method: 'manual', score: 1, createdAt: now });
        reasons.set(asin, outcome.reason);
      }
    } else if (outcome.kind === 'auto' && outcome.result.kind === 'link') {
      const { asin, method, score, reason } = outcome.result;
      const prior = existing.find((l) => l.asin === asin);
      finalLinks.set(asin, { asin, source, trackerId: book.trackerId, method, score, createdAt: prior?.createdAt ?? now });
      reasons.set(asin, reason);
    }
  }

  // Every operation is about one book of this run: route it to that book's group.
  const groups = new Map<string, MatchWriteGroup>();
  const write = (trackerId: string, operation: BatchOperation, count: keyof MatchWriteCounts | null) => {
    let group = groups.get(trackerId);
    if (!group) {
      group = { trackerId, change: storedById.has(trackerId) ? 'updated' : 'created', operations: [], counts: emptyWriteCounts() };
      groups.set(trackerId, group);
    }
    group.operations.push(operation);
    group.counts.operations++;
    if (count) group.counts[count]++;
  };

  // 4. Tracker books.
  for (const book of unique) {
    const stored = storedById.get(book.trackerId);
    if (!stored || !sameBook(stored, book)) write(book.trackerId, { op: 'putTrackerBook', value: { ...book, updatedAt: now } }, 'trackerBooksWritten');
  }

  // 5. Link operations: no (asin, source) gets both a delete and a put.
  const storedByAsin = new Map(links.map((l) => [l.asin, l]));
  for (const l of links) if (!finalLinks.has(l.asin)) write(l.trackerId, { op: 'deleteLink', asin: l.asin, source }, 'linksRemoved');
  for (const [asin, link] of finalLinks) {
    const stored = storedByAsin.get(asin);
    let change: LinkChange = 'unchanged';
    if (!stored || stored.trackerId !== link.trackerId) change = 'created';
    else if (stored.method !== link.method || stored.score !== link.score) change = 'updated';
    if (change !== 'unchanged') write(link.trackerId, { op: 'putLink', value: link }, change === 'created' ? 'linksCreated' : 'linksUpdated');
    if (inRun.has(link.trackerId)) {
      report.links.push({ trackerId: link.trackerId, asin, method: link.method, score: link.score, change, reason: reasons.get(asin) ?? 'kept from an earlier run' });
    }
  }

  // 6. Conflicts: open or refresh the ambiguous ones; close open ones that are no longer ambiguous.
  const linkedBooks = new Set([...finalLinks.values()].map((l) => l.trackerId));
  for (const book of unique) {
    const outcome = outcomes.get(book.trackerId)!;
    const id = conflictIdFor(source, book.trackerId);
    const stored = conflictById.get(id);
    if (outcome.kind === 'auto' && outcome.result.kind === 'conflict') {
      const candidates = toConflictCandidates(outcome.result.candidates);
      const reason = outcome.result.reason;
      let change: ReportConflict['change'] = 'unchanged';
      if (!stored) {
        const value: ConflictData = { id, source, trackerId: book.trackerId, candidates, reason, status: 'open', createdAt: now, resolvedAt: null };
        write(book.trackerId, { op: 'putConflict', value, expectedVersion: null }, 'conflictsOpened');
        change = 'opened';
      } else if (!sameCandidates(stored.candidates, candidates) || stored.reason !== reason) {
        const { ownerId: _o, version, ...rest } = stored;
        write(book.trackerId, { op: 'putConflict', value: { ...rest, candidates, reason }, expectedVersion: version }, 'conflictsUpdated');
        change = 'updated';
      }
      report.conflicts.push({ id, trackerId: book.trackerId, candidates, reason, change });
      continue;
    }
    if (stored?.status === 'open') {
      if (outcome.kind === 'auto') write(book.trackerId, { op: 'deleteConflict', id }, 'conflictsClosed');
      else {
        // A person decided elsewhere (link command, Notion): record the conflict as resolved.
        const { ownerId: _o, version, ...rest } = stored;
        write(book.trackerId, { op: 'putConflict', value: { ...rest, status: 'resolved', resolvedAt: now }, expectedVersion: version }, 'conflictsClosed');
      }
    }
    if (!linkedBooks.has(book.trackerId)) {
      const why = outcome.kind === 'auto' ? outcome.result.reason : outcome.reason;
      report.unmatched.push(book.trackerId);
      report.unmatchedDetails.push({ trackerId: book.trackerId, reason: why });
    }
  }

  report.links.sort((a, b) => compare(a.trackerId, b.trackerId) || compare(a.asin, b.asin));
  report.conflicts.sort((a, b) => compare(a.trackerId, b.trackerId));
  const ordered: MatchWriteGroup[] = [];
  for (const book of unique) {
    const group = groups.get(book.trackerId);
    if (!group) continue;
    ordered.push(group);
    addWriteCounts(report.counts, group.counts);
  }
  const open = unique.filter((b) => {
    const outcome = outcomes.get(b.trackerId)!;
    return outcome.kind === 'auto' && outcome.result.kind !== 'link';
  });
  return { report, groups: ordered, open: open.map((b) => b.trackerId) };
}

function stripOwner(link: Link): LinkData {
  const { ownerId: _ownerId, ...rest } = link;
  return rest;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The `sagasync match --json` shape. */
export interface MatchJson {
  links: { trackerId: string; asin: string; method: LinkMethod; score: number }[];
  conflicts: { trackerId: string; candidates: { asin: string; score: number }[] }[];
  unmatched: string[];
}

export function toMatchJson(report: MatchReport): MatchJson {
  return {
    links: report.links.map(({ trackerId, asin, method, score }) => ({ trackerId, asin, method, score })),
    conflicts: report.conflicts.map(({ trackerId, candidates }) => ({ trackerId, candidates: candidates.map(({ asin, score }) => ({ asin, score })) })),
    unmatched: [...report.unmatched],
  };
}
