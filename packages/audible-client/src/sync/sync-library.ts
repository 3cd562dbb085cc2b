import { importLibrary, newId, SagaSyncError, type ImportReport, type StoragePort } from '@sagasync/core';
import { fetchAccountSnapshot, type AccountSnapshot, type FetchAccountOptions } from '../api/fetch-account.js';
import type { SeriesCache } from '../api/series-cache.js';
import { accountName } from '../auth/credentials.js';
import type { AudibleClient } from '../client.js';
import { buildLibraryRecords } from '../mapping/to-records.js';

export interface SyncLibraryOptions {
  client: AudibleClient;
  storage: StoragePort;
  ownerId: string;
  /** Clock for the store's timestamps; the client keeps its own for tokens and signatures. */
  clock?: () => Date;
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
  const commit = options.commit ?? true;
  const account = accountName(client.credentials);
  const started = clock();
  const t0 = performance.now();
  let snapshot: AccountSnapshot;
  try {
    // A preview may read the cache but must not write to it (it can live in the store).
    const cache = options.seriesCache;
    const seriesCache = cache && !commit ? { get: (asin: string) => cache.get(asin), set: async () => undefined } : cache;
    snapshot = await fetchAccountSnapshot(client, { ...options.fetch, seriesCache });
  } catch (error) {
    if (commit) await logFailedRun(storage, ownerId, account, started, clock(), error);
    throw error;
  }
  const t1 = performance.now();
  const built = buildLibraryRecords({
    items: snapshot.items,
    catalogues: snapshot.catalogues,
    lastPositions: snapshot.lastPositions,
    finished: snapshot.finished,
    marketplace: snapshot.marketplace,
    sourceAccount: account,
  });
  const t2 = performance.now();
  const report = await importLibrary({ storage, ownerId, clock }, built.records, { commit, source: account, kind: 'audible_sync', progressSource: 'sync' });
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
  };
}

async function logFailedRun(storage: StoragePort, ownerId: string, account: string, started: Date, finished: Date, error: unknown): Promise<void> {
  // The message is the error's own (SagaSync errors never carry secrets); anything else is summarised.
  const message = SagaSyncError.isInstance(error) ? `${error.code}: ${error.message}` : 'internal: the sync failed unexpectedly';
  try {
    await storage.applyBatch(ownerId, [
      {
        op: 'putSyncRun',
        value: {
          id: newId(finished.getTime()),
          kind: 'audible_sync',
          source: account,
          status: 'failed',
          startedAt: started.toISOString(),
          finishedAt: finished.toISOString(),
          counts: { created: 0, updated: 0, unchanged: 0, failed: 0 },
          error: message,
        },
      },
    ]);
  } catch {
    // The original failure matters more than the log row.
  }
}
