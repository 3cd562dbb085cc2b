import type { BaselineValue } from '../model/store-records.js';
import type { Progress, ProgressReport, ProgressSource } from '../model/progress.js';
import type { BaselineData, HistoryData } from '../ports/storage.port.js';
import { statusFrom } from './status.js';
import { historyIdFor } from './history-id.js';

/**
 * Progress merges three ways. Each source (`file`, `audible:<account>`, `notion`, `webhook`,
 * `manual`) is compared with the baseline it last gave for a title: a source whose value has not
 * changed since changes nothing, so a stale export re-imported after a `progress reset` leaves the
 * reset alone. When two sources changed, the later event wins (a source's own event time where it
 * gives one, else when SagaSync saw it); a tie goes to the person (`manual`, `notion`). The value
 * that lost is kept in the history with its source.
 */

/** The sources a person speaks through: they win a tie. */
const PERSON_SOURCES = new Set(['manual', 'notion']);
const kindOf = (source: string): string => source.split(':', 1)[0]!;

/** The baseline source a plan's reports come from: the file, an Audible account, Notion, ... */
export function baselineSourceFor(progressSource: ProgressSource, account?: string | null): string {
  switch (progressSource) {
    case 'import':
      return 'file';
    case 'sync':
      return `audible:${account ?? 'default'}`;
    default:
      return progressSource;
  }
}

/** What a report says, as a baseline: only the fields it gives, absent ones unknown. */
export function baselineOf(report: ProgressReport): BaselineValue {
  const value: BaselineValue = {};
  if (report.percentComplete !== undefined && report.percentComplete !== null) value.percentComplete = report.percentComplete;
  if (report.isFinished !== undefined && report.isFinished !== null) value.isFinished = report.isFinished;
  if (report.finishedAt !== undefined && report.finishedAt !== null) value.finishedAt = report.finishedAt;
  if (report.lastPositionMs !== undefined && report.lastPositionMs !== null) value.lastPositionMs = report.lastPositionMs;
  if (value.percentComplete !== undefined || value.isFinished !== undefined) value.status = statusFrom(value.percentComplete ?? 0, value.isFinished ?? false);
  return value;
}

/** What a report says, as kept on the progress row (`changedValue`): the baseline without its status. */
export function valueSaid(report: ProgressReport): NonNullable<Progress['changedValue']> {
  const { status: _status, ...value } = baselineOf(report);
  return value;
}

/**
 * The baseline to write for the source that set the current value when another source replaces
 * it: what it said stays known, so its next report of the same value changes nothing.
 */
export function displacedBaseline(current: Progress | null, source: string): BaselineData | null {
  if (!current?.changedBy || current.changedBy === source || !current.changedAt) return null;
  return { asin: current.asin, source: current.changedBy, value: saidByRow(current), observedAt: current.changedAt };
}

/** `changedValue` for a row the report just set: only when the row's fields do not say it already. */
export function changedValueFor(report: ProgressReport, row: Pick<Progress, 'percentComplete' | 'isFinished' | 'finishedAt' | 'lastPositionMs'>): Progress['changedValue'] {
  const said = valueSaid(report);
  return sameBaseline(saidByRow({ ...row, changedValue: null }), said) ? undefined : said;
}

/**
 * What the source that set a title's progress said: kept on the row only where the row's own
 * fields do not already say it (a finish reported at 97 %), so most rows carry nothing extra.
 */
export function saidByRow(progress: Pick<Progress, 'percentComplete' | 'isFinished' | 'finishedAt' | 'lastPositionMs' | 'changedValue'>): BaselineValue {
  return progress.changedValue ?? { percentComplete: progress.percentComplete, isFinished: progress.isFinished, finishedAt: progress.finishedAt, lastPositionMs: progress.lastPositionMs };
}

/**
 * True when the source says what it said last time: every field it gives now has the value it had.
 * A field it leaves out is one it does not know, and says nothing new.
 */
export function sameBaseline(before: BaselineValue, said: BaselineValue): boolean {
  return (
    (said.percentComplete == null || said.percentComplete === (before.percentComplete ?? null)) &&
    (said.isFinished == null || said.isFinished === (before.isFinished ?? null)) &&
    (said.finishedAt == null || said.finishedAt === (before.finishedAt ?? null)) &&
    (said.lastPositionMs == null || said.lastPositionMs === (before.lastPositionMs ?? null))
  );
}

/**
 * True when the title's current value came from another source by a later event (or at the same
 * instant from a person while this source is not one): the report must not replace it.
 */
export function outranked(current: Progress | null, source: string, eventAt: string): boolean {
  if (!current?.changedBy || !current.changedAt || current.changedBy === source) return false;
  const decided = Date.parse(current.changedAt);
  const reported = Date.parse(eventAt);
  if (decided !== reported) return decided > reported;
  return PERSON_SOURCES.has(kindOf(current.changedBy)) && !PERSON_SOURCES.has(kindOf(source));
}

/** The history entry that keeps a value which lost to a later change from another source. */
export function supersededEntry(current: Progress, report: ProgressReport, historySource: ProgressSource, at: string): HistoryData {
  const finished = report.isFinished === true || (report.percentComplete ?? 0) >= 100;
  const percent = finished ? 100 : (report.percentComplete ?? current.percentComplete);
  return {
    asin: current.asin,
    id: historyIdFor(current.asin, at, 'superseded', percent),
    at,
    source: historySource,
    event: 'superseded',
    fromStatus: current.status,
    toStatus: statusFrom(percent, finished),
    fromPercent: current.percentComplete,
    toPercent: percent,
    note: `not applied: ${current.changedBy} changed it later (${current.changedAt})`,
  };
}
