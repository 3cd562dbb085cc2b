import * as z from 'zod';
import { NotFoundError, SagaSyncError } from '../errors/sagasync-error.js';
import { AsinSchema, IsoDateTimeSchema, PercentSchema } from '../model/primitives.js';
import { ProgressSourceSchema, type Progress, type ProgressSource } from '../model/progress.js';
import type { BatchOperation, HistoryData, SeriesSlice } from '../ports/storage.port.js';
import { applyProgressReport, LISTENING_EVENT_KINDS, listeningEventToReport, type ListeningEventKind } from '../progress/apply-progress.js';
import { baselineSourceFor, displacedBaseline, outranked, supersededEntry } from '../progress/source-merge.js';
import type { Title } from '../model/title.js';
import type { SeriesRuleOptions, SeriesView } from '../series/derive-series-status.js';
import { deriveSeriesViews } from '../series/series-views.js';
import { nowIso, retryOnConflict, type UseCaseDeps } from './deps.js';
import { loadSeriesViews, resolveRuleOptions } from './series-context.js';
import { statusInvalidations } from './series-status-cache.js';

/** A listening event as webhooks and the CLI send it; validated at the start of the use case. */
export const ListeningEventInputSchema = z.object({
  asin: AsinSchema,
  kind: z.enum(LISTENING_EVENT_KINDS),
  percent: PercentSchema.optional(),
  at: IsoDateTimeSchema.optional(),
  source: ProgressSourceSchema,
});

export interface ListeningEventInput {
  asin: string;
  kind: ListeningEventKind;
  percent?: number;
  at?: string;
  source: ProgressSource;
}

export interface ListeningEventResult {
  /** The title's progress after the event (unchanged when the event changed nothing). */
  progress: Progress | null;
  changed: boolean;
  /** The event tried to un-finish a finished title and was ignored. */
  ignoredRegression: boolean;
  /** History entries this event appended (a `superseded` one when a later change from another source won). */
  history: HistoryData[];
  /** The cascade: every series the title is in, recomputed after the change. */
  series: SeriesView[];
}

/**
 * Applies a listening event (started, progress, finished, reset) to a title's progress, with
 * history, in one batch guarded by the progress version (retried on a concurrent write), then
 * recomputes the series the title belongs to. Unknown ASIN: `NotFoundError`.
 */
export async function applyListeningEvent(deps: UseCaseDeps, event: ListeningEventInput, known: { title?: Title } = {}): Promise<ListeningEventResult> {
  const parsed = ListeningEventInputSchema.safeParse(event);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SagaSyncError('invalid_input', `invalid listening event: ${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}`, {
      details: { location: issue?.path.join('.') },
    });
  }
  const input = parsed.data;
  const { storage, ownerId } = deps;
  // A caller that has just read the title (the API resolves names to titles) passes it on.
  const title = known.title?.asin === input.asin && known.title.ownerId === ownerId ? known.title : await storage.getTitle(ownerId, input.asin);
  if (!title) throw new NotFoundError('title', input.asin);

  const { report, userOverride } = listeningEventToReport(input);
  // The cascade's rules do not depend on the event: read them while the event is applied.
  const rules = resolveRuleOptions(deps);
  rules.catch(() => undefined);
  const keys = new Set(title.series.map((m) => m.seriesKey));
  // A title in series is in its own series' slice, progress included: the one read serves both
  // the event (the progress it applies to) and the cascade. A retry reads afresh.
  let slice: SeriesSlice | null = keys.size > 0 ? await storage.getSeriesSlice(ownerId, [...keys]) : null;
  const outcome = await retryOnConflict(async (attempt) => {
    if (attempt > 1) slice = null;
    const current = slice ? (slice.progress.find((p) => p.asin === input.asin) ?? null) : await storage.getProgress(ownerId, input.asin);
    const now = nowIso(deps);
    const changeSource = baselineSourceFor(input.source);
    const eventAt = input.at ?? now;
    // A device or tracker event older than another source's change loses to it (the person's own
    // command never does); the value is kept in the history.
    // An event that does not say when it happened is the newest knowledge there is.
    if (input.source !== 'manual' && input.at !== undefined && outranked(current, changeSource, eventAt)) {
      const entry = supersededEntry(current!, report, input.source, eventAt);
      await storage.applyBatch(ownerId, [{ op: 'appendHistory', value: entry }]);
      return { next: null, history: [entry], ignoredRegression: false, progress: current };
    }
    const out = applyProgressReport(current, report, { ownerId, source: input.source, now, userOverride, changeSource });
    if (!out.next) return { ...out, progress: current };
    const operations: BatchOperation[] = [{ op: 'putProgress', value: out.next, expectedVersion: current?.version ?? null }];
    for (const entry of out.history) operations.push({ op: 'appendHistory', value: entry });
    // The source whose value this replaces: what it said stays known for its next report.
    const displaced = displacedBaseline(current, changeSource);
    if (displaced) operations.push({ op: 'putBaseline', value: displaced });
    // The title's series have a new status: their cached ones go in the same batch.
    operations.push(...statusInvalidations(title.series.map((m) => m.seriesKey)));
    await storage.applyBatch(ownerId, operations);
    // The put was guarded by the version read, so the stored row is exactly this one at the next version.
    return { ...out, progress: { ...out.next, ownerId, version: (current?.version ?? 0) + 1 } };
  });

  // The series as read, with this event's outcome: what the store holds now, unless another
  // writer changed a sibling since (then a retry or the next read shows it).
  const series = slice ? viewsOf(slice, outcome.progress, await rules, keys) : await loadSeriesViews(deps, await rules, keys);
  // The batch dropped the cached statuses of these series; the next status read derives them again
  // (one series each), so an event, the hot path of a server taking webhooks, commits once.
  return { progress: outcome.progress, changed: outcome.next !== null, ignoredRegression: outcome.ignoredRegression, history: outcome.history, series };
}

/** Series views of a slice, with the event's title at its progress after the event. */
function viewsOf(slice: SeriesSlice, progress: Progress | null, rules: SeriesRuleOptions, keys: ReadonlySet<string>): SeriesView[] {
  const byAsin = new Map(slice.progress.map((p) => [p.asin, p]));
  if (progress) byAsin.set(progress.asin, progress);
  return deriveSeriesViews(slice.titles, slice.series, byAsin, rules, keys);
}
