import type { LibraryRecords } from '../model/library-records.js';
import type { Progress, ProgressSource } from '../model/progress.js';
import type { SyncKind } from '../model/sync-run.js';
import type { Title } from '../model/title.js';
import * as z from 'zod';
import { changeSetToOperations, planImport, type CurrentState } from '../planning/plan-import.js';
import { newId } from '../util/ids.js';
import { nowIso, retryOnConflict, type UseCaseDeps } from './deps.js';

export interface ImportOptions {
  /** false: plan and report only, writing nothing at all. */
  commit: boolean;
  /** What was imported (a file name, an account), for the sync-run log. */
  source?: string;
  kind?: SyncKind;
  /** Recorded in progress history. Default `import`. */
  progressSource?: ProgressSource;
}

const ActionSchema = z.enum(['create', 'update', 'unchanged']);
const CountsSchema = z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() });

/** What an import did (or, for a preview, would do). The schema documents API responses. */
export const ImportReportSchema = z.object({
  committed: z.boolean(),
  summary: z.object({ titles: CountsSchema, series: CountsSchema, progress: CountsSchema }),
  titles: z.array(z.object({ asin: z.string(), action: ActionSchema, changedFields: z.array(z.string()) })),
  series: z.array(z.object({ key: z.string(), action: ActionSchema, changedFields: z.array(z.string()) })),
  progress: z.array(z.object({ asin: z.string(), action: ActionSchema, changedFields: z.array(z.string()) })),
  notes: z.array(z.string()),
  /** The sync-run id written with a commit; null for a preview. */
  runId: z.string().nullable(),
  /** How many plans it took (more than 1 after concurrent writes). */
  attempts: z.number().int().positive(),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

/** Above this many ASINs one full listing is cheaper than keyed reads. */
const LIST_ALL_ABOVE = 500;

async function readState(deps: UseCaseDeps, records: LibraryRecords): Promise<CurrentState> {
  const { storage, ownerId } = deps;
  const asins = [...new Set([...records.titles.map((t) => t.asin), ...records.progress.map((p) => p.asin)])];
  const progressAsins = [...new Set(records.progress.map((p) => p.asin))];
  const [titles, series, progress] = await Promise.all([
    asins.length > LIST_ALL_ABOVE ? storage.listTitles(ownerId) : asins.length > 0 ? storage.getTitles(ownerId, asins) : Promise.resolve([] as Title[]),
    storage.listSeries(ownerId),
    progressAsins.length > LIST_ALL_ABOVE / 10
      ? storage.listProgress(ownerId)
      : Promise.all(progressAsins.map((asin) => storage.getProgress(ownerId, asin))).then((rows) => rows.filter((p): p is Progress => p !== null)),
  ]);
  return {
    titles: new Map(titles.map((t) => [t.asin, t])),
    series: new Map(series.map((s) => [s.key, s])),
    progress: new Map(progress.map((p) => [p.asin, p])),
  };
}

/**
 * Imports records: reads the current state, plans the change set, and on commit writes all of it
 * with a sync-run row in one batch (a crash leaves the store before or after, never between). A
 * concurrent write makes the batch fail on a version; the import then re-reads, re-plans and tries
 * again (up to 5 plans). A preview (`commit: false`) writes nothing at all.
 */
export async function importLibrary(deps: UseCaseDeps, records: LibraryRecords, options: ImportOptions): Promise<ImportReport> {
  const startedAt = nowIso(deps);
  try {
    return await planAndApply(deps, records, options, startedAt);
  } catch (error) {
    if (options.commit) await logFailedRun(deps, options, startedAt, error, records.titles.length);
    throw error;
  }
}

/** Best effort: the status page should show a failed import, but the import's error is what matters. */
async function logFailedRun(deps: UseCaseDeps, options: ImportOptions, startedAt: string, error: unknown, failed: number): Promise<void> {
  const now = nowIso(deps);
  try {
    await deps.storage.applyBatch(deps.ownerId, [
      {
        op: 'putSyncRun',
        value: {
          id: newId(Date.parse(now)),
          kind: options.kind ?? 'import',
          source: options.source ?? null,
          status: 'failed',
          startedAt,
          finishedAt: now,
          // The batch applies whole or not at all: every record failed with it.
          counts: { created: 0, updated: 0, unchanged: 0, failed },
          error: error instanceof Error ? error.message : String(error),
        },
      },
    ]);
  } catch {
    // The store that failed the import may fail this too; the original error is rethrown.
  }
}

function planAndApply(deps: UseCaseDeps, records: LibraryRecords, options: ImportOptions, startedAt: string): Promise<ImportReport> {
  return retryOnConflict(async (attempt) => {
    const state = await readState(deps, records);
    const now = nowIso(deps);
    const changeSet = planImport(records, state, { now, progressSource: options.progressSource ?? 'import' });
    let runId: string | null = null;
    if (options.commit) {
      runId = newId(Date.parse(now));
      const { titles, series, progress } = changeSet.summary;
      const operations = changeSetToOperations(changeSet);
      operations.push({
        op: 'putSyncRun',
        value: {
          id: runId,
          kind: options.kind ?? 'import',
          source: options.source ?? null,
          status: 'succeeded',
          startedAt,
          finishedAt: nowIso(deps),
          // Counts cover every record kind the import touched: titles, series and progress rows.
          counts: {
            created: titles.created + series.created + progress.created,
            updated: titles.updated + series.updated + progress.updated,
            unchanged: titles.unchanged + series.unchanged + progress.unchanged,
            failed: 0,
          },
          error: null,
        },
      });
      await deps.storage.applyBatch(deps.ownerId, operations);
    }
    return {
      committed: options.commit,
      summary: changeSet.summary,
      titles: changeSet.titles.map(({ asin, action, changedFields }) => ({ asin, action, changedFields })),
      series: changeSet.series.map(({ key, action, changedFields }) => ({ key, action, changedFields })),
      progress: changeSet.progress.map(({ asin, action, changedFields }) => ({ asin, action, changedFields })),
      notes: changeSet.notes,
      runId,
      attempts: attempt,
    };
  });
}
