import type { SeriesStatus } from '../model/series.js';
import type { ExpiringData } from '../ports/storage.port.js';
import type { BatchOperation } from '../ports/storage.port.js';
import type { SeriesRuleOptions, SeriesView } from '../series/derive-series-status.js';
import { applyInChunks } from './apply-in-chunks.js';
import { logOf, nowOf, type UseCaseContext } from './context.js';
import { loadSeriesViews } from './series-context.js';

/**
 * The status of every series, kept as a cache beside the library so the status page need not
 * derive 2,000 series from 100,000 titles on every call. Never truth: each record is deleted in
 * the same batch as any change to its series' titles, progress or row (see `statusInvalidations`),
 * refreshed by the use cases that derive the series anyway, and rebuilt on read where missing.
 * Statuses depend on the time only through upcoming volumes, so a record lives a day when its
 * series has one, and a month otherwise; the rule options are part of each record.
 */
export const SERIES_STATUS_KIND = 'series-status';

const DAY_MS = 24 * 60 * 60 * 1000;

interface CachedStatus {
  /** Null for a series no title belongs to (it has no view, and no status). */
  status: SeriesStatus | null;
  rules: string;
}

/** The rule options a cached status was derived under. */
export const rulesKey = (rules: SeriesRuleOptions): string => `novellas=${rules.novellasRequired ? 1 : 0};gaps=${rules.inferGaps === false ? 0 : 1}`;

/** Deletes of the cached statuses of `keys`: put them in the batch that changes those series. */
export function statusInvalidations(keys: Iterable<string>): BatchOperation[] {
  return [...new Set(keys)].map((key) => ({ op: 'deleteExpiring', kind: SERIES_STATUS_KIND, key }));
}

/** Puts of the statuses of derived `views`, and of `emptyKeys` (series without titles). */
export function statusWrites(views: readonly SeriesView[], rules: SeriesRuleOptions, now: Date, emptyKeys: Iterable<string> = []): BatchOperation[] {
  const record = (key: string, status: SeriesStatus | null, upcoming: boolean): ExpiringData => ({
    kind: SERIES_STATUS_KIND,
    key,
    value: { status, rules: rulesKey(rules) } satisfies CachedStatus,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + (upcoming ? DAY_MS : 30 * DAY_MS)).toISOString(),
  });
  const operations: BatchOperation[] = views.map((view) => ({
    op: 'putExpiring',
    value: record(view.key, view.status, view.volumes.some((v) => v.upcoming) || view.missing.some((m) => m.upcoming)),
  }));
  for (const key of emptyKeys) operations.push({ op: 'putExpiring', value: record(key, null, false) });
  return operations;
}

/** Writes fresh statuses after the fact; best effort, since a missing record is rebuilt on read. */
export async function refreshStatuses(ctx: UseCaseContext, views: readonly SeriesView[], rules: SeriesRuleOptions, emptyKeys: Iterable<string> = []): Promise<void> {
  try {
    await applyInChunks(
      ctx.storage,
      ctx.ownerId,
      statusWrites(views, rules, nowOf(ctx), emptyKeys).map((operation) => [operation]),
    );
  } catch (error) {
    logOf(ctx).warn('could not cache series statuses', { error: error instanceof Error ? error.message : String(error) });
  }
}

export interface SeriesStatusCounts {
  total: number;
  not_started: number;
  in_progress: number;
  caught_up: number;
  complete: number;
}

/**
 * How many series have each status (series with at least one title, as the series report counts
 * them), from the cache; series whose status is missing, expired or derived under other rules are
 * derived now, through the series index, and cached.
 */
export async function countSeriesStatuses(ctx: UseCaseContext, rules: SeriesRuleOptions): Promise<SeriesStatusCounts> {
  const { storage, ownerId } = ctx;
  const now = nowOf(ctx);
  const [series, cached] = await Promise.all([storage.listSeries(ownerId), storage.listExpiring(ownerId, SERIES_STATUS_KIND, now)]);
  const wanted = rulesKey(rules);
  const statuses = new Map<string, SeriesStatus | null>();
  for (const record of cached.items) {
    const value = record.value as Partial<CachedStatus> | null;
    if (value && value.rules === wanted && (value.status === null || typeof value.status === 'string')) statuses.set(record.key, value.status ?? null);
  }
  const missing = series.items.map((s) => s.key).filter((key) => !statuses.has(key));
  if (missing.length > 0) {
    const views = await loadSeriesViews(ctx, rules, new Set(missing));
    for (const view of views) statuses.set(view.key, view.status);
    const derived = new Set(views.map((v) => v.key));
    const empty = missing.filter((key) => !derived.has(key));
    for (const key of empty) statuses.set(key, null);
    await refreshStatuses(ctx, views, rules, empty);
  }
  const counts: SeriesStatusCounts = { total: 0, not_started: 0, in_progress: 0, caught_up: 0, complete: 0 };
  for (const s of series.items) {
    const status = statuses.get(s.key);
    if (!status) continue;
    counts.total++;
    counts[status]++;
  }
  return counts;
}
