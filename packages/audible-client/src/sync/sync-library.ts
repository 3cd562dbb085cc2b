import { importLibrary, logOf, SagaSyncError, writeSyncRun, type ImportReport, type UseCaseContext } from '@sagasync/core';
import { fetchAccountSnapshot, type AccountSnapshot, type FetchAccountOptions } from '../api/fetch-account.js';
import type { SeriesCache } from '../api/series-cache.js';
import { formatFetchWarning } from '../api/warnings.js';
import { accountName } from '../auth/credentials.js';
import type { AudibleClient } from '../client.js';
import { buildLibraryRecords } from './build-records.js';

/**
 * Core's use-case context (`storage`, `ownerId`, `clock` for the store's timestamps, `log`) plus
 * the Audible connection. The client keeps its own clock for tokens and signatures.
 */
export interface SyncLibraryOptions extends UseCaseContext {
  client: AudibleClient;
  seriesCache?: SeriesCache;
  /** false: fetch and plan, write nothing (a preview). Default true. */
  commit?: boolean;
  fetch?: Omit<FetchAccountOptions, 'seriesCache'>;
}

export interface AudibleSyncReport {
  account: string;
  marketplace: string;
  committed: boolean;
  /** The sync-run row written (kind `audible_sync`), null for a preview. */
  runId: string | null;
  durationMs: number;
  /** Where the time went: Audible calls, building records, planning and writing. */
  timings: { fetchMs: number; buildMs: number; importMs: number };
  fetched: AccountSnapshot['stats'] & { ownedTitles: number; syntheticTitles: number; progressReports: number; skipped: { asin: string; reason: string }[] };
  /** What the import did, per record kind. */
  import: ImportReport['summary'];
  /** Titles, series and progress rows created or updated: 0 when nothing changed at Audible. */
  writes: number;
  notes: string[];
  /**
   * What the sync left out and went on without, one line each, naming the ASIN when there is one:
   * library items that could not be read (also in `fetched.skipped`), catalogue products, last
   * positions and finished events that could not be read, finish dates that could not be fetched.
   */
  warnings: string[];
}

/**
 * Audible sync: library, series catalogue and progress are fetched, turned into records and
 * imported through core's planner (titles, series with their missing volumes, progress with
 * history) in one batch, with one sync run logged with its counts. A failed fetch is logged as a
 * failed run before the error is rethrown.
 */
export async function syncLibrary(options: SyncLibraryOptions): Promise<AudibleSyncReport> {
  const { client, storage, ownerId } = options;
  const clock = options.clock ?? (() => new Date());
  const ctx: UseCaseContext = { storage, ownerId, clock, log: options.log };
  const commit = options.commit ?? true;
  const account = accountName(client.credentials);
  const startedAt = clock().toISOString();
  const t0 = performance.now();
  let snapshot: AccountSnapshot;
  try {
    // A preview may read the cache but must not write to it (it can live in the store).
    const cache = options.seriesCache;
    const seriesCache = cache && !commit ? { get: (asin: string) => cache.get(asin), set: async () => undefined } : cache;
    snapshot = await fetchAccountSnapshot(client, { ...options.fetch, seriesCache });
  } catch (error) {
    // Core's one writer of run rows; best effort, so the fetch's own error is what is thrown.
    if (commit) await writeSyncRun(ctx, { kind: 'audible_sync', source: account, startedAt, counts: NOTHING_DONE, error: failureMessage(error) });
    throw error;
  }
  const t1 = performance.now();
  const built = buildLibraryRecords({
    items: snapshot.items,
    rejectedItems: snapshot.rejectedItems,
    catalogues: snapshot.catalogues,
    lastPositions: snapshot.lastPositions,
    finished: snapshot.finished,
    marketplace: snapshot.marketplace,
    sourceAccount: account,
  });
  for (const item of built.skipped) logOf(ctx).warn('left out an Audible library item', item);
  for (const warning of snapshot.warnings) logOf(ctx).warn('Audible sync went on without something it could not read', { ...warning });
  const warnings = [...built.warnings, ...snapshot.warnings.map(formatFetchWarning)];
  const t2 = performance.now();
  const report = await importLibrary(ctx, built.records, { commit, source: account, kind: 'audible_sync', progressSource: 'sync' });
  const { titles, series, progress } = report.summary;
  return {
    account,
    marketplace: snapshot.marketplace,
    committed: report.committed,
    runId: report.runId,
    durationMs: Math.round(performance.now() - t0),
    timings: { fetchMs: Math.round(t1 - t0), buildMs: Math.round(t2 - t1), importMs: Math.round(performance.now() - t2) },
    fetched: {
      ...snapshot.stats,
      ownedTitles: built.records.titles.filter((t) => t.owned).length,
      syntheticTitles: built.syntheticTitles,
      progressReports: built.records.progress.length,
      skipped: built.skipped,
    },
    import: report.summary,
    writes: titles.created + titles.updated + series.created + series.updated + progress.created + progress.updated,
    notes: report.notes,
    warnings,
  };
}

const NOTHING_DONE = { created: 0, updated: 0, unchanged: 0, failed: 0 };

/** The message a failed run is logged with: a SagaSync error's own (they never carry secrets), else a summary. */
function failureMessage(error: unknown): string {
  return SagaSyncError.isInstance(error) ? `${error.code}: ${error.message}` : 'internal: the sync failed unexpectedly';
}
