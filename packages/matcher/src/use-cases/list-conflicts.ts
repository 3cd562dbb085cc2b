import type { Conflict, Page, PageRequest, TrackerBook } from '@sagasync/core';
import type { MatcherDeps } from './deps.js';

export interface ConflictView {
  conflict: Conflict;
  /** The tracker book the conflict is about (null if it was deleted since). */
  book: TrackerBook | null;
  /** Candidates with their titles, best first. */
  candidates: { asin: string; score: number; reason: string; title: string | null; authors: string[] }[];
}

/** `sagasync conflicts list`: conflicts with enough context for a person to decide. */
export async function listConflicts(deps: MatcherDeps, filter: { status?: Conflict['status'] } = {}): Promise<ConflictView[]> {
  return (await pageConflicts(deps, filter)).items;
}

/** A page of `listConflicts` (by conflict id): the store's page, each conflict with its context. */
export async function pageConflicts(deps: MatcherDeps, query: { status?: Conflict['status'] } & PageRequest = {}): Promise<Page<ConflictView>> {
  const { storage, ownerId } = deps;
  const page = await storage.listConflicts(ownerId, { ...(query.status ? { status: query.status } : {}), limit: query.limit, cursor: query.cursor });
  const conflicts = page.items;
  const asins = [...new Set(conflicts.flatMap((c) => c.candidates.map((x) => x.asin)))];
  const titles = new Map((asins.length ? await storage.getTitles(ownerId, asins) : []).map((t) => [t.asin, t]));
  const views: ConflictView[] = [];
  for (const conflict of conflicts) {
    const book = await storage.getTrackerBook(ownerId, conflict.source, conflict.trackerId);
    views.push({
      conflict,
      book,
      candidates: conflict.candidates.map((c) => ({ ...c, title: titles.get(c.asin)?.title ?? null, authors: titles.get(c.asin)?.authors ?? [] })),
    });
  }
  return { items: views, nextCursor: page.nextCursor };
}
