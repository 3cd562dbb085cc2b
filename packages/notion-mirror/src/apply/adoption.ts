import type { BatchOperation, ConflictCandidate, LinkMethod, MatchDecision, Title, TrackerBook } from '@sagasync/core';
import type { MirroredPage } from '../client/pages.js';
import { optionNameOf, plainTextOf } from '../plan/property-values.js';
import { statusFromLabel } from '../pull/hand-edits.js';
import { BOOKS } from '../schema/definitions.js';

/** What a matcher says about one tracker book (a page the user made in the Books database). */
export type MatchOutcome =
  | { kind: 'match'; asin: string; method: LinkMethod; score: number }
  | { kind: 'ambiguous'; candidates: ConflictCandidate[]; reason: string }
  | { kind: 'none' };

/** Built once per push from the titles still without a page; `@sagasync/matcher` provides one. */
export type TrackerMatcherFactory = (titles: readonly Title[]) => (book: TrackerBook, exclude: ReadonlySet<string>) => MatchOutcome;

/** A Books page the user made, read as a tracker book for the matcher. */
export function trackerBookFromPage(ownerId: string, page: MirroredPage): TrackerBook {
  const authors = plainTextOf(page.values[BOOKS.authors])
    .split(/\s*[,;&]\s*|\s+and\s+/)
    .map((a) => a.trim())
    .filter(Boolean);
  const asin = plainTextOf(page.values[BOOKS.asin]).trim().toUpperCase();
  return {
    ownerId,
    source: 'notion',
    trackerId: page.id,
    title: plainTextOf(page.values[BOOKS.title]).trim() || '(untitled)',
    authors,
    isbn10: null,
    isbn13: null,
    asin: /^[A-Z0-9]{10}$/.test(asin) ? asin : null,
    seriesHint: null,
    // The page's Status (a select, or the native status property of a personal tracker).
    status: statusFromLabel(optionNameOf(page.values[BOOKS.status])),
    updatedAt: page.lastEditedTime,
  };
}

export interface AdoptionPlan {
  /** page id -> ASIN it now mirrors. */
  adopt: Map<string, string>;
  /** Every store write, `groups` flattened. */
  operations: BatchOperation[];
  /** The writes per page (tracker book with its link or conflict), each to land in one batch. */
  groups: { pageId: string; operations: BatchOperation[] }[];
  conflicts: number;
}

/**
 * Decides which of the user's own pages stand for which titles: a person's remembered decision
 * wins ("link" adopts, "reject" never); otherwise the matcher's sure match adopts and an ambiguous
 * one becomes a conflict that waits for a person. Unmatched pages are left alone.
 */
export function planAdoption(args: {
  ownerId: string;
  pages: readonly MirroredPage[];
  titles: readonly Title[];
  decisions: readonly MatchDecision[];
  matcher: TrackerMatcherFactory | undefined;
  /** Conflicts already in the store (open or resolved): not raised again. */
  knownConflictIds: ReadonlySet<string>;
  now: string;
}): AdoptionPlan {
  const adopt = new Map<string, string>();
  const groups: AdoptionPlan['groups'] = [];
  let conflicts = 0;
  const free = new Map(args.titles.map((t) => [t.asin, t]));
  const match = args.matcher ? args.matcher(args.titles) : undefined;
  for (const page of args.pages) {
    const book = trackerBookFromPage(args.ownerId, page);
    const mine = args.decisions.filter((d) => d.trackerId === page.id);
    if (mine.some((d) => d.decision === 'reject' && d.asin === null)) continue;
    const linked = mine.find((d) => d.decision === 'link' && d.asin !== null && free.has(d.asin));
    const rejected = new Set(mine.flatMap((d) => (d.decision === 'reject' && d.asin !== null ? [d.asin] : [])));
    const { ownerId: _owner, ...bookData } = book;
    let outcome: MatchOutcome = linked ? { kind: 'match', asin: linked.asin!, method: 'manual', score: 1 } : match ? match(book, rejected) : { kind: 'none' };
    if (outcome.kind === 'match' && rejected.has(outcome.asin)) outcome = { kind: 'none' };
    if (outcome.kind === 'match' && free.has(outcome.asin)) {
      free.delete(outcome.asin);
      adopt.set(page.id, outcome.asin);
      groups.push({
        pageId: page.id,
        operations: [
          { op: 'putTrackerBook', value: bookData },
          { op: 'putLink', value: { asin: outcome.asin, source: 'notion', trackerId: page.id, method: outcome.method, score: outcome.score, createdAt: args.now } },
        ],
      });
    } else if (outcome.kind === 'ambiguous' && !args.knownConflictIds.has(`notion:${page.id}`)) {
      conflicts += 1;
      const conflict: BatchOperation = {
        op: 'putConflict',
        value: {
          id: `notion:${page.id}`,
          source: 'notion',
          trackerId: page.id,
          candidates: outcome.candidates.filter((c) => !rejected.has(c.asin)),
          reason: outcome.reason,
          status: 'open',
          createdAt: args.now,
          resolvedAt: null,
        },
      };
      groups.push({ pageId: page.id, operations: [{ op: 'putTrackerBook', value: bookData }, conflict] });
    }
  }
  return { adopt, operations: groups.flatMap((g) => g.operations), groups, conflicts };
}
