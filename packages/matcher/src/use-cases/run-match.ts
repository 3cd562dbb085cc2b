import { createHash } from 'node:crypto';
import {
  logOf,
  nowIso,
  nowOf,
  packGroups,
  readAll,
  retryOnConflict,
  SagaSyncError,
  syncRunOperation,
  TrackerSourceSchema,
  writeSyncRun,
  type SyncCounts,
  type TrackerSource,
} from '@sagasync/core';
import * as z from 'zod';
import type { MatcherOptions } from '../decide/types.js';
import { createMatcher } from '../matcher.js';
import type { OnlineEvidence } from '../online/evidence.js';
import { gatherEvidence } from '../online/gather-evidence.js';
import type { OpenLibraryClient } from '../online/openlibrary-client.js';
import type { TrackerBookInput } from '../sources/types.js';
import type { MatcherDeps } from './deps.js';
import { addWriteCounts, checkTrackerBooks, emptyWriteCounts, planChecked, titlesToMatch, type MatchReport, type MatchState, type MatchWriteGroup } from './plan-match.js';


export interface RunMatchOptions {
  /** Write tracker books, links and conflicts; false previews the same report and writes nothing. */
  commit: boolean;
  /** Defaults to the source of the books. */
  source?: TrackerSource;
  matcher?: MatcherOptions;
  /** Also match against synthetic series volumes (not owned). Default true. */
  includeUnowned?: boolean;
  /** No batch is started once the context clock reads this time or later; the call then returns a cursor. */
  deadline?: Date;
  /**
   * At most this many write groups in this call (a group is one tracker book's writes: its tracker
   * book, links and conflict, 1 to a few operations); the sync-run row is not counted.
   */
  maxWrites?: number;
  /** The cursor of a call that stopped early, to continue that run with the same books and options. */
  cursor?: string | null;
  /**
   * Ask Open Library about what the matcher leaves open (see `gatherEvidence`). Absent: no request
   * is made at all. The client brings its cache (`storeAnswerCache`) and rate limit.
   */
  online?: { client: OpenLibraryClient; maxCandidates?: number };
}

/** What the online step did in this call. */
export interface OnlineSummary {
  /** Books asked about. */
  asked: number;
  requests: number;
  /** Questions answered from the cache. */
  cached: number;
  failed: number;
}

/** A match report plus where the run is. */
export interface MatchRunResult extends MatchReport {
  /**
   * false: the call stopped at `deadline` or `maxWrites`; call again with `cursor`. The lists
   * are the whole match; `counts` are what the run wrote so far (over all its calls) and each
   * link's or conflict's `change` is against the store as this call found it.
   */
  done: boolean;
  cursor: string | null;
  /** The sync-run row written with the last batch; null for a preview or while not done. */
  runId: string | null;
  /** Plans this call made (more than 1 after concurrent writes). */
  attempts: number;
  /** Null without `online`. */
  online: OnlineSummary | null;
}

/** What a run carries from one call to the next. Opaque to callers. */
const CursorSchema = z.object({
  v: z.literal(1),
  source: TrackerSourceSchema,
  /** Hash of the tracker ids, so a cursor is not used with another file. */
  books: z.string(),
  startedAt: z.string(),
  /** Groups written so far whose tracker book was new, and the others. */
  created: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  counts: z.object({
    trackerBooksWritten: z.number().int().nonnegative(),
    linksCreated: z.number().int().nonnegative(),
    linksUpdated: z.number().int().nonnegative(),
    linksRemoved: z.number().int().nonnegative(),
    conflictsOpened: z.number().int().nonnegative(),
    conflictsUpdated: z.number().int().nonnegative(),
    conflictsClosed: z.number().int().nonnegative(),
    operations: z.number().int().nonnegative(),
  }),
});
type RunState = z.infer<typeof CursorSchema>;

function fingerprint(books: readonly TrackerBookInput[]): string {
  const hash = createHash('sha256');
  for (const book of books) hash.update(book.trackerId).update('\u0000');
  return hash.digest('base64url').slice(0, 22);
}

const encodeCursor = (state: RunState): string => Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');

function decodeCursor(cursor: string, source: TrackerSource, books: string): RunState {
  let parsed: ReturnType<typeof CursorSchema.safeParse>;
  try {
    parsed = CursorSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    parsed = CursorSchema.safeParse(undefined);
  }
  if (!parsed.success) throw new SagaSyncError('invalid_input', 'the match cursor is not one runMatch returned', { details: { location: 'cursor' } });
  if (parsed.data.source !== source || parsed.data.books !== books) {
    throw new SagaSyncError('invalid_input', 'the match cursor belongs to a match of other tracker books', { details: { location: 'cursor' } });
  }
  return parsed.data;
}

async function readState(deps: MatcherDeps, source: TrackerSource, includeUnowned: boolean): Promise<MatchState> {
  const { storage, ownerId } = deps;
  const [titles, links, decisions, conflicts, trackerBooks] = await Promise.all([
    readAll((cursor) => storage.listTitles(ownerId, includeUnowned ? { cursor } : { owned: true, cursor })),
    readAll((cursor) => storage.listLinks(ownerId, { source, cursor })),
    readAll((cursor) => storage.listDecisions(ownerId, { source, cursor })),
    readAll((cursor) => storage.listConflicts(ownerId, { cursor })),
    readAll((cursor) => storage.listTrackerBooks(ownerId, { source, cursor })),
  ]);
  return { titles, links, decisions, conflicts, trackerBooks };
}

/**
 * Matches tracker books against the owner's titles and (with `commit`) stores the tracker books,
 * the links and the conflicts: reads the store, plans with `planMatch`, and writes the plan's
 * groups in batches within `storage.limits`, the sync-run row (kind `match`) in the last one.
 * With `deadline` or `maxWrites` a call may stop between batches and return `done: false` and a
 * cursor; the next call with it plans again from the store (a person's decision made meanwhile
 * wins) and writes only what is left, ending where one uninterrupted run would have. A batch that
 * loses a race with another writer (a conflict's version) makes the call re-read and re-plan.
 */
export async function runMatch(deps: MatcherDeps, books: readonly TrackerBookInput[], options: RunMatchOptions): Promise<MatchRunResult> {
  const checked = checkTrackerBooks(books, options.source);
  const { source } = checked;
  const includeUnowned = options.includeUnowned !== false;
  const planOptions = { source, matcher: options.matcher, includeUnowned };

  let evidence: OnlineEvidence | undefined;
  let online: OnlineSummary | null = null;
  if (options.online) {
    // Asked once per call, before planning: a re-plan after a lost race reuses the answers.
    const state = await readState(deps, source, includeUnowned);
    const { open } = planChecked(checked.books, source, state, { ...planOptions, now: nowIso(deps) });
    const openIds = new Set(open);
    const titles = titlesToMatch(state, includeUnowned);
    const { client } = options.online;
    const before = { ...client.stats };
    evidence = await gatherEvidence(createMatcher(titles, options.matcher), titles, checked.books.filter((b) => openIds.has(b.trackerId)), client, { maxCandidates: options.online.maxCandidates });
    online = { asked: evidence.size, requests: client.stats.requests - before.requests, cached: client.stats.cached - before.cached, failed: client.stats.failed - before.failed };
    logOf(deps).info('match: asked Open Library', { ...online });
  }
  const withEvidence = { ...planOptions, evidence };

  if (!options.commit) {
    const plan = planChecked(checked.books, source, await readState(deps, source, includeUnowned), { ...withEvidence, now: nowIso(deps) });
    return { ...plan.report, committed: false, done: true, cursor: null, runId: null, attempts: 1, online };
  }

  const { deadline, maxWrites } = options;
  if (deadline !== undefined && !(deadline instanceof Date && Number.isFinite(deadline.getTime()))) {
    throw new SagaSyncError('invalid_input', 'deadline is not a valid date', { details: { location: 'deadline' } });
  }
  if (maxWrites !== undefined && !(Number.isInteger(maxWrites) && maxWrites > 0)) {
    throw new SagaSyncError('invalid_input', `maxWrites must be a positive integer, not ${maxWrites}`, { details: { location: 'maxWrites' } });
  }
  const booksKey = fingerprint(checked.books);
  const run: RunState = options.cursor
    ? decodeCursor(options.cursor, source, booksKey)
    : { v: 1, source, books: booksKey, startedAt: nowIso(deps), created: 0, updated: 0, counts: emptyWriteCounts() };
  const log = logOf(deps);
  let groupsThisCall = 0;

  const record = (written: readonly MatchWriteGroup[]) => {
    for (const group of written) {
      addWriteCounts(run.counts, group.counts);
      if (group.change === 'created') run.created++;
      else run.updated++;
    }
    groupsThisCall += written.length;
  };

  try {
    return await retryOnConflict(async (attempt) => {
      if (attempt > 1) log.info('match: a concurrent write changed the store; planning again', { attempt });
      const state = await readState(deps, source, includeUnowned);
      const plan = planChecked(checked.books, source, state, { ...withEvidence, now: nowIso(deps) });
      const budget = maxWrites === undefined ? plan.groups.length : Math.max(0, maxWrites - groupsThisCall);
      const todo = plan.groups.slice(0, budget);
      const finishing = todo.length === plan.groups.length;

      const result = (done: boolean, runId: string | null): MatchRunResult => ({
        ...plan.report,
        committed: true,
        counts: { ...plan.report.counts, ...run.counts },
        done,
        cursor: done ? null : encodeCursor(run),
        runId,
        attempts: attempt,
        online,
      });

      let last: ReturnType<typeof syncRunOperation> | null = null;
      if (finishing) {
        const created = run.created + todo.filter((g) => g.change === 'created').length;
        const updated = run.updated + todo.filter((g) => g.change === 'updated').length;
        const counts: SyncCounts = { created, updated, unchanged: Math.max(0, plan.report.counts.books - created - updated), failed: 0 };
        last = syncRunOperation(deps, { kind: 'match', source, startedAt: run.startedAt, counts });
      }
      const batches = packGroups(
        todo.map((g) => g.operations),
        last ? [last] : [],
        deps.storage.limits.maxOperationsPerBatch,
      );
      let next = 0; // index in `todo` of the first group not yet written
      for (const batch of batches) {
        if (deadline && nowOf(deps).getTime() >= deadline.getTime()) {
          log.info('match: deadline reached; stopping between batches', { groupsWritten: groupsThisCall, groupsLeft: plan.groups.length - next });
          return result(false, null);
        }
        // packGroups keeps groups whole and in order, the sync-run row last.
        const inBatch: MatchWriteGroup[] = [];
        let size = last && batch[batch.length - 1] === last ? batch.length - 1 : batch.length;
        while (size > 0) {
          const group = todo[next++]!;
          inBatch.push(group);
          size -= group.operations.length;
        }
        await deps.storage.applyBatch(deps.ownerId, batch);
        record(inBatch);
      }
      if (!finishing) {
        log.info('match: maxWrites reached; stopping', { groupsWritten: groupsThisCall, groupsLeft: plan.groups.length - todo.length });
        return result(false, null);
      }
      return result(true, last!.value.id);
    });
  } catch (error) {
    // What landed stays (a rerun finishes it); the books not yet written count as failed.
    const { created, updated } = run;
    const books = new Set(checked.books.map((b) => b.trackerId)).size;
    await writeSyncRun(deps, { kind: 'match', source, startedAt: run.startedAt, counts: { created, updated, unchanged: 0, failed: Math.max(0, books - created - updated) }, error });
    throw error;
  }
}
