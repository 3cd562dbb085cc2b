import type { ListeningStatus, Progress, ProgressEvent, ProgressReport, ProgressSource } from '../model/progress.js';
import type { HistoryData, ProgressData } from '../ports/storage.port.js';
import { historyIdFor } from './history-id.js';
import { baselineSourceFor, changedValueFor } from './source-merge.js';
import { statusFrom } from './status.js';

export { statusFrom } from './status.js';

/** A report, plus `started` for sources (a "started" webhook) that know listening began at 0 %. */
export type ProgressInput = ProgressReport & { started?: boolean };

export interface ProgressContext {
  /** Kept for callers that pass it; records carry no owner (the batch does). */
  ownerId?: string;
  source: ProgressSource;
  /** When the change is applied; also the observation time of reports without `observedAt`. */
  now: string;
  /** The user (or a "started" event) says so: the report applies even over a finished title. */
  userOverride?: boolean;
  /** The source as the merge knows it (`file`, `audible:<account>`, ...); default from `source`. */
  changeSource?: string;
}

export interface ProgressOutcome {
  /** The new progress, or null when nothing changes. */
  next: ProgressData | null;
  /** Entries to append; empty when nothing changes. */
  history: HistoryData[];
  /** A finished title was reported as unfinished and the report was ignored. */
  ignoredRegression: boolean;
}


/** Sources whose reports are events happening at their time, not snapshots of a state. */
const EVENT_SOURCES = new Set<ProgressSource>(['manual', 'webhook', 'notion']);
const NO_CHANGE: ProgressOutcome = { next: null, history: [], ignoredRegression: false };
const later = (a: string, b: string | null): boolean => b === null || Date.parse(a) > Date.parse(b);
const latest = (a: string | null, b: string | null): string | null => (a === null ? b : b === null || Date.parse(a) >= Date.parse(b) ? a : b);

/**
 * Applies one progress report to a title's progress. Pure and idempotent: the same report applied
 * to its own result changes nothing. Rules (see the package README):
 * - finished flag or 100 % finishes the title (percent becomes 100, finishCount + 1);
 * - a finished title never goes back silently: an unfinished report is ignored
 *   (`ignoredRegression`) unless it proves a re-listen: `isFinished: false` explicitly, past 0 %,
 *   and an `observedAt` after the last finish; then the title is in progress again (event
 *   `restarted`, finishCount kept);
 * - a report with an `observedAt` before the current round started (or finished) is stale and
 *   ignored, so reports replayed in any order settle on the same state;
 * - without the user's say, an in-progress title does not drop back to not started;
 * - `userOverride` applies the report as the truth;
 * - every change yields one history entry: started, progressed, finished, restarted or reset.
 */
export function applyProgressReport(current: Progress | null, report: ProgressInput, ctx: ProgressContext): ProgressOutcome {
  const lastEvent = current ? latest(current.startedAt, current.finishedAt) : null;
  // A report that does not say when it was observed is the newest knowledge: never older than what
  // is already recorded, even when the clock that stamped earlier reports ran ahead.
  const at = report.observedAt ?? latest(ctx.now, lastEvent)!;
  const override = ctx.userOverride ?? false;
  const rp = report.percentComplete ?? null;
  const rf = report.isFinished ?? null;
  const says = rp !== null || rf !== null || report.started === true;
  const reportedFinished = rf === true || (rp !== null && rp >= 100);
  const wasFinished = current?.status === 'finished';

  // A report observed before the current round began (or before its finish) describes the past:
  // applying it would undo newer knowledge, and re-planning the same reports would flip-flop.
  if (!override && report.observedAt !== undefined && current !== null) {
    if (lastEvent !== null && Date.parse(at) < Date.parse(lastEvent)) {
      return { ...NO_CHANGE, ignoredRegression: wasFinished && says && !reportedFinished };
    }
  }

  let relisten = false;
  if (wasFinished && !override && !reportedFinished) {
    // Only a source that says when it looked can prove the listening happened after the finish; a
    // file without that may simply be older than the finish.
    relisten = rf === false && rp !== null && rp > 0 && report.observedAt !== undefined && later(at, lastEvent);
    if (!relisten) return { ...NO_CHANGE, ignoredRegression: says };
  }

  // What the report says, with what it leaves out taken from the current state.
  const finished = reportedFinished || (!says && (current?.isFinished ?? false));
  const percent = finished ? 100 : (rp ?? (wasFinished ? 0 : (current?.percentComplete ?? 0)));
  let status = statusFrom(percent, finished);
  if (status === 'not_started' && (report.started === true || (!override && current?.status === 'in_progress'))) status = 'in_progress';

  const lastPositionMs = report.lastPositionMs !== undefined && report.lastPositionMs !== null ? report.lastPositionMs : (current?.lastPositionMs ?? null);
  // Absence of progress already means "not started": no row is needed for it.
  if (current === null && status === 'not_started' && lastPositionMs === null) return NO_CHANGE;

  const becameFinished = finished && !wasFinished;
  const restarted = wasFinished && !finished;
  const next: ProgressData = {
    asin: current?.asin ?? report.asin,
    status,
    percentComplete: percent,
    isFinished: finished,
    startedAt: status === 'not_started' ? null : restarted || !current?.startedAt ? at : current.startedAt,
    // The last finish stays recorded through a re-listen or a reset, like finishCount. Only a source
    // that says when (or an event happening now) gives a finish date: a file that only says
    // "finished" leaves it unknown, and the history keeps when SagaSync saw it.
    finishedAt: becameFinished ? (report.finishedAt ?? (EVENT_SOURCES.has(ctx.source) ? at : null)) : (current?.finishedAt ?? null),
    lastPositionMs,
    finishCount: (current?.finishCount ?? 0) + (becameFinished ? 1 : 0),
    changedAt: at,
    changedBy: ctx.changeSource ?? baselineSourceFor(ctx.source),
    updatedAt: ctx.now,
  };
  if (current && sameProgress(current, next)) return NO_CHANGE;
  // What the source said, where the row's own fields do not say it (a finish reported at 97 %).
  const changedValue = changedValueFor(report, next);
  if (changedValue !== undefined) next.changedValue = changedValue;

  const event = eventFor(current?.status ?? null, status);
  const note = relisten ? 're-listen detected' : override && restarted ? 'set by user' : null;
  const entry: HistoryData = {
    asin: next.asin,
    id: historyIdFor(next.asin, at, event, percent),
    at,
    source: ctx.source,
    event,
    fromStatus: current?.status ?? null,
    toStatus: status,
    fromPercent: current?.percentComplete ?? null,
    toPercent: percent,
    note,
  };
  return { next, history: [entry], ignoredRegression: false };
}

function eventFor(from: ListeningStatus | null, to: ListeningStatus): ProgressEvent {
  if (to === 'finished') return from === 'finished' ? 'progressed' : 'finished';
  if (to === 'not_started') return from === null || from === 'not_started' ? 'progressed' : 'reset';
  if (from === 'finished') return 'restarted';
  return from === 'in_progress' ? 'progressed' : 'started';
}

/** The stored fields that matter; `updatedAt` and `version` are bookkeeping. */
export function sameProgress(a: ProgressData | Progress, b: ProgressData | Progress): boolean {
  return (
    a.status === b.status &&
    a.percentComplete === b.percentComplete &&
    a.isFinished === b.isFinished &&
    a.startedAt === b.startedAt &&
    a.finishedAt === b.finishedAt &&
    a.lastPositionMs === b.lastPositionMs &&
    a.finishCount === b.finishCount
  );
}

export const LISTENING_EVENT_KINDS = ['started', 'finished', 'progress', 'reset'] as const;
export type ListeningEventKind = (typeof LISTENING_EVENT_KINDS)[number];

export interface ListeningEvent {
  asin: string;
  kind: ListeningEventKind;
  percent?: number;
  at?: string;
}

/**
 * Turns a listening event (a webhook, the CLI's `progress` command) into a report plus whether it
 * overrides a finished state: "started" and "reset" are the user's word and always apply;
 * "progress" is a device report and cannot un-finish a title; "finished" finishes.
 */
export function listeningEventToReport(event: ListeningEvent): { report: ProgressInput; userOverride: boolean } {
  const base = { asin: event.asin, ...(event.at !== undefined ? { observedAt: event.at } : {}) };
  switch (event.kind) {
    case 'started':
      return { report: { ...base, percentComplete: event.percent ?? null, isFinished: false, started: true }, userOverride: true };
    case 'finished':
      return { report: { ...base, percentComplete: 100, isFinished: true, ...(event.at !== undefined ? { finishedAt: event.at } : {}) }, userOverride: false };
    case 'progress':
      return { report: { ...base, percentComplete: event.percent ?? null, isFinished: event.percent !== undefined && event.percent >= 100 ? true : null }, userOverride: false };
    case 'reset':
      return { report: { ...base, percentComplete: 0, isFinished: false }, userOverride: true };
  }
}
