import {
  err,
  NotFoundError,
  nowIso,
  ok,
  SagaSyncError,
  type BatchOperation,
  type Conflict,
  type Link,
  type LinkData,
  type Result,
  type Title,
  type TrackerBook,
  type TrackerSource,
} from '@sagasync/core';
import { conflictIdFor, type MatcherDeps } from './deps.js';

export interface ManualLinkOutcome {
  link: LinkData;
  /** The link this one replaced: the same title was linked to another book of the same source. */
  replaced: Link | null;
  /** The conflict this settled, if the book had one. */
  resolvedConflict: Conflict | null;
}

export interface ResolveOutcome {
  conflict: Conflict;
  link: LinkData | null;
  replaced: Link | null;
}

export interface UnlinkOutcome {
  removed: Link[];
}

/**
 * Operations that record "this book is this title" as a person's decision: the link (replacing
 * another book's link to the title in this source), the decision that wins on later runs, and
 * the removal of earlier contrary decisions.
 */
async function manualLinkOps(deps: MatcherDeps, source: TrackerSource, trackerId: string, asin: string, now: string): Promise<{ ops: BatchOperation[]; link: LinkData; replaced: Link | null }> {
  const { storage, ownerId } = deps;
  const [sameTitle, ownLinks, ownDecisions] = await Promise.all([
    storage.listLinks(ownerId, { asin, source }).then((page) => page.items),
    storage.listLinks(ownerId, { source, trackerId }).then((page) => page.items),
    storage.listDecisions(ownerId, { source, trackerId }).then((page) => page.items),
  ]);
  const ops: BatchOperation[] = [];
  const replaced = sameTitle.find((l) => l.trackerId !== trackerId) ?? null;
  if (replaced) {
    const theirs = (await storage.listDecisions(ownerId, { source, trackerId: replaced.trackerId })).items;
    for (const d of theirs) if (d.decision === 'link' && d.asin === asin) ops.push({ op: 'deleteDecision', source, trackerId: d.trackerId, asin: d.asin });
    // The other book must not take the title back automatically.
    ops.push({ op: 'putDecision', value: { source, trackerId: replaced.trackerId, asin, decision: 'reject', decidedAt: now } });
  }
  // Automatic guesses for this book give way to the person's answer.
  for (const l of ownLinks) if (l.asin !== asin && l.method !== 'manual') ops.push({ op: 'deleteLink', asin: l.asin, source });
  for (const d of ownDecisions) {
    if (d.decision === 'reject' && (d.asin === null || d.asin === asin)) {
      ops.push({ op: 'deleteDecision', source, trackerId, asin: d.asin });
    }
  }
  const link: LinkData = { asin, source, trackerId, method: 'manual', score: 1, createdAt: now };
  ops.push({ op: 'putLink', value: link });
  ops.push({ op: 'putDecision', value: { source, trackerId, asin, decision: 'link', decidedAt: now } });
  return { ops, link, replaced };
}

function resolvedOp(conflict: Conflict, now: string): BatchOperation {
  const { ownerId: _o, version, ...rest } = conflict;
  return { op: 'putConflict', value: { ...rest, status: 'resolved', resolvedAt: now }, expectedVersion: version };
}

async function findTitle(deps: MatcherDeps, asin: string): Promise<Result<Title, SagaSyncError>> {
  const title = await deps.storage.getTitle(deps.ownerId, asin.trim().toUpperCase());
  return title ? ok(title) : err(new NotFoundError('title', asin));
}

/**
 * Settles a conflict: `{ link: asin }` links the book to that title (any title of the owner, not
 * only a listed candidate); `{ none: true }` says it is none of them. The decision is stored and
 * wins on every later run; resolving again replaces the earlier decision.
 */
export async function resolveConflict(deps: MatcherDeps, conflictId: string, resolution: { link: string } | { none: true }): Promise<Result<ResolveOutcome, SagaSyncError>> {
  const { storage, ownerId } = deps;
  const conflict = await storage.getConflict(ownerId, conflictId);
  if (!conflict) return err(new NotFoundError('conflict', conflictId));
  const now = nowIso(deps);
  const { source, trackerId } = conflict;
  let ops: BatchOperation[];
  let link: LinkData | null = null;
  let replaced: Link | null = null;
  if ('link' in resolution) {
    const title = await findTitle(deps, resolution.link);
    if (!title.success) return title;
    const built = await manualLinkOps(deps, source, trackerId, title.value.asin, now);
    // A second resolution replaces the first: drop the manual links and decisions it made.
    const [earlier, decided] = await Promise.all([storage.listLinks(ownerId, { source, trackerId }).then((page) => page.items), storage.listDecisions(ownerId, { source, trackerId }).then((page) => page.items)]);
    ops = [
      ...earlier.filter((l) => l.method === 'manual' && l.asin !== title.value.asin).map((l): BatchOperation => ({ op: 'deleteLink', asin: l.asin, source })),
      ...decided.filter((d) => d.decision === 'link' && d.asin !== title.value.asin).map((d): BatchOperation => ({ op: 'deleteDecision', source, trackerId, asin: d.asin })),
      ...built.ops,
    ];
    ({ link, replaced } = built);
  } else {
    const [ownLinks, ownDecisions] = await Promise.all([storage.listLinks(ownerId, { source, trackerId }).then((page) => page.items), storage.listDecisions(ownerId, { source, trackerId }).then((page) => page.items)]);
    ops = [
      ...ownLinks.map((l): BatchOperation => ({ op: 'deleteLink', asin: l.asin, source })),
      ...ownDecisions.filter((d) => d.decision === 'link').map((d): BatchOperation => ({ op: 'deleteDecision', source, trackerId, asin: d.asin })),
      { op: 'putDecision', value: { source, trackerId, asin: null, decision: 'reject', decidedAt: now } },
    ];
  }
  ops.push(resolvedOp(conflict, now));
  await storage.applyBatch(ownerId, ops);
  const updated = await storage.getConflict(ownerId, conflictId);
  return ok({ conflict: updated!, link, replaced });
}

async function findTrackerBook(deps: MatcherDeps, trackerId: string, source: TrackerSource | undefined): Promise<Result<TrackerBook, SagaSyncError>> {
  if (source) {
    const book = await deps.storage.getTrackerBook(deps.ownerId, source, trackerId);
    return book ? ok(book) : err(new NotFoundError('tracker book', `${source}:${trackerId}`));
  }
  const found = (await deps.storage.listTrackerBooks(deps.ownerId)).items.filter((b) => b.trackerId === trackerId);
  if (found.length === 1) return ok(found[0]!);
  if (found.length === 0) return err(new NotFoundError('tracker book', trackerId));
  return err(
    new SagaSyncError('invalid_input', `tracker id ${trackerId} exists in several sources (${found.map((b) => b.source).join(', ')}); name the source`, {
      details: { hint: 'pass --source' },
    }),
  );
}

/** `sagasync link <asin> <trackerId>`: a manual link, remembered as a decision. */
export async function linkManually(deps: MatcherDeps, asin: string, trackerId: string, source?: TrackerSource): Promise<Result<ManualLinkOutcome, SagaSyncError>> {
  const title = await findTitle(deps, asin);
  if (!title.success) return title;
  const book = await findTrackerBook(deps, trackerId, source);
  if (!book.success) return book;
  const now = nowIso(deps);
  const built = await manualLinkOps(deps, book.value.source, trackerId, title.value.asin, now);
  const conflict = await deps.storage.getConflict(deps.ownerId, conflictIdFor(book.value.source, trackerId));
  const ops = [...built.ops];
  if (conflict?.status === 'open') ops.push(resolvedOp(conflict, now));
  await deps.storage.applyBatch(deps.ownerId, ops);
  const resolved = conflict?.status === 'open' ? await deps.storage.getConflict(deps.ownerId, conflict.id) : null;
  return ok({ link: built.link, replaced: built.replaced, resolvedConflict: resolved });
}

/**
 * `sagasync unlink <asin>`: removes the title's links (in one source, or all) and remembers
 * "not this one", so a later run does not link the pair again.
 */
export async function unlink(deps: MatcherDeps, asin: string, source?: TrackerSource): Promise<Result<UnlinkOutcome, SagaSyncError>> {
  const { storage, ownerId } = deps;
  const normalised = asin.trim().toUpperCase();
  const links = (await storage.listLinks(ownerId, source ? { asin: normalised, source } : { asin: normalised })).items;
  if (links.length === 0) return err(new NotFoundError('link', source ? `${normalised} (${source})` : normalised));
  const now = nowIso(deps);
  const ops: BatchOperation[] = [];
  for (const l of links) {
    ops.push({ op: 'deleteLink', asin: l.asin, source: l.source });
    // Replaces a "link" decision for the same pair, if there was one.
    ops.push({ op: 'putDecision', value: { source: l.source, trackerId: l.trackerId, asin: l.asin, decision: 'reject', decidedAt: now } });
  }
  await storage.applyBatch(ownerId, ops);
  return ok({ removed: links });
}
