import type { LibraryRecords } from '../model/library-records.js';
import type { Progress, ProgressSource } from '../model/progress.js';
import type { SyncKind } from '../model/sync-run.js';
import type { Title } from '../model/title.js';
import type { BatchOperation } from '../ports/storage.port.js';
import { readAll } from '../ports/page.js';
import { baselineSourceFor } from '../progress/source-merge.js';
import * as z from 'zod';
import { changeSetToOperationGroups, isEmptyChangeSet, planImport, type ChangeSet, type CurrentState } from '../planning/plan-import.js';
import { applyInChunks } from './apply-in-chunks.js';
import { statusInvalidations } from './series-status-cache.js';
import { importRunCounts, syncRunOperation, writeSyncRun, type SyncRunFacts } from './sync-run-log.js';
import { logOf } from './context.js';
import { nowIso, retryOnConflict, type UseCaseDeps } from './deps.js';

export interface ImportOptions {
  /** false: plan and report only, writing nothing at all. */
  commit: boolean;
  /** What was imported (a file name, an account), for the sync-run log. */
  source?: string;
  kind?: SyncKind;
  /** Recorded in progress history. Default `import`. */
  progressSource?: ProgressSource;
  /**
   * The source as the three-way progress merge knows it. Default: `file` for an import,
   * `audible:<source>` for a sync (its `source` is the account).
   */
  baselineSource?: string;
  /**
   * List at most this many changed records of each kind in the report, and no unchanged ones (the
   * summary still counts them all): what an answer shows of a 100,000-title import. Default: all.
   */
  listLimit?: number;
  /**
   * The id of the sync-run row the import writes (default: a new one). An import done in several
   * parts (the AWS import workflow's chunks) gives every part the same id, so a part run again
   * rewrites its run's row instead of adding one.
   */
  runId?: string;
  /** Progress of a large import: titles planned, then records written, each with its total. */
  onProgress?: (progress: { phase: 'planning' | 'writing'; done: number; total: number }) => void;
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

/** What the source last said about each title it reports on: the three-way merge's baselines. */
async function readBaselines(deps: UseCaseDeps, source: string, asins: readonly string[]): Promise<CurrentState['baselines']> {
  const { storage, ownerId } = deps;
  const rows =
    asins.length > LIST_ALL_ABOVE / 10
      ? await readAll((cursor) => storage.listSourceBaselines(ownerId, source, { cursor }))
      : (await Promise.all(asins.map((asin) => storage.listBaselines(ownerId, asin)))).flat().filter((b) => b.source === source);
  return new Map(rows.map((b) => [b.asin, { value: b.value, observedAt: b.observedAt }]));
}

async function readState(deps: UseCaseDeps, records: LibraryRecords, baselineSource: string): Promise<CurrentState> {
  const { storage, ownerId } = deps;
  const asins = [...new Set([...records.titles.map((t) => t.asin), ...records.progress.map((p) => p.asin)])];
  const progressAsins = [...new Set(records.progress.map((p) => p.asin))];
  const [titles, series, progress, aliases, baselines] = await Promise.all([
    asins.length > LIST_ALL_ABOVE ? storage.listTitles(ownerId).then((page) => page.items) : asins.length > 0 ? storage.getTitles(ownerId, asins) : Promise.resolve([] as Title[]),
    storage.listSeries(ownerId).then((page) => page.items),
    progressAsins.length > LIST_ALL_ABOVE / 10
      ? storage.listProgress(ownerId).then((page) => page.items)
      : Promise.all(progressAsins.map((asin) => storage.getProgress(ownerId, asin))).then((rows) => rows.filter((p): p is Progress => p !== null)),
    readAll((cursor) => storage.listSeriesAliases(ownerId, { cursor })),
    progressAsins.length > 0 ? readBaselines(deps, baselineSource, progressAsins) : Promise.resolve(new Map()),
  ]);
  return {
    titles: new Map(titles.map((t) => [t.asin, t])),
    series: new Map(series.map((s) => [s.key, s])),
    progress: new Map(progress.map((p) => [p.asin, p])),
    aliases: new Map(aliases.map((a) => [a.alias, a.seriesKey])),
    baselines,
  };
}

/**
 * A merge moves every title of the name-keyed series; when the state holds only the titles the
 * records name, the others are read too (then the plan is made again with them).
 */
async function withTitlesOfMergedSeries(deps: UseCaseDeps, state: CurrentState, changeSet: ChangeSet): Promise<CurrentState | null> {
  if (changeSet.seriesMerges.length === 0) return null;
  const seriesKeys = changeSet.seriesMerges.map((m) => m.alias);
  const titles = await readAll((cursor) => deps.storage.listTitles(deps.ownerId, { seriesKeys, cursor }));
  const missing = titles.filter((t) => !state.titles.has(t.asin));
  if (missing.length === 0) return null;
  const all = new Map(state.titles);
  for (const t of missing) all.set(t.asin, t);
  return { ...state, titles: all };
}

/** The changes a report lists: all, or the first `limit` that change something. */
function listed<T extends { action: string }>(changes: readonly T[], limit: number | undefined): readonly T[] {
  if (limit === undefined) return changes;
  const out: T[] = [];
  for (const c of changes) {
    if (out.length >= limit) break;
    if (c.action !== 'unchanged') out.push(c);
  }
  return out;
}

function* writeGroups(first: readonly BatchOperation[], changeSet: ChangeSet): Generator<BatchOperation[]> {
  for (const operation of first) yield [operation];
  yield* changeSetToOperationGroups(changeSet);
}

/** Keys of the series whose status a change set may change: of changed titles (before and after), series and progress. */
function affectedSeries(changeSet: ChangeSet, state: CurrentState): Set<string> {
  const keys = new Set<string>();
  const addTitle = (asin: string) => {
    for (const m of state.titles.get(asin)?.series ?? []) keys.add(m.seriesKey);
  };
  for (const c of changeSet.titles) {
    if (c.action === 'unchanged') continue;
    for (const m of c.value.series) keys.add(m.seriesKey);
    addTitle(c.asin);
  }
  for (const c of changeSet.series) if (c.action !== 'unchanged') keys.add(c.key);
  for (const m of changeSet.seriesMerges) {
    keys.add(m.alias);
    if (m.into !== null) keys.add(m.into);
  }
  const titleValues = new Map(changeSet.titles.map((c) => [c.asin, c.value]));
  for (const c of changeSet.progress) {
    if (c.action === 'unchanged') continue;
    addTitle(c.asin);
    for (const m of titleValues.get(c.asin)?.series ?? []) keys.add(m.seriesKey);
  }
  return keys;
}

/**
 * Imports records: reads the current state, plans the change set, and on commit writes it with a
 * sync-run row last, in as few batches as the store's limit allows (one on SQLite: a crash leaves
 * the store before or after; on DynamoDB a rerun after a crash finishes the same change set). A
 * concurrent write makes the batch fail on a version; the import then re-reads, re-plans and tries
 * again (up to 5 plans). A preview (`commit: false`) writes nothing at all.
 */
export async function importLibrary(deps: UseCaseDeps, records: LibraryRecords, options: ImportOptions): Promise<ImportReport> {
  const startedAt = nowIso(deps);
  try {
    return await planAndApply(deps, records, options, startedAt);
  } catch (error) {
    // Every record of the failed attempt counts as failed, though earlier batches may have landed:
    // a rerun finishes them.
    const failed = { created: 0, updated: 0, unchanged: 0, failed: records.titles.length };
    if (options.commit) await writeFailedRun(deps, options, { kind: options.kind ?? 'import', source: options.source, startedAt, counts: failed, error });
    throw error;
  }
}

/** The failed run's row: with `runId`, under that id (best effort, as `writeSyncRun`). */
async function writeFailedRun(deps: UseCaseDeps, options: ImportOptions, facts: SyncRunFacts): Promise<void> {
  if (options.runId === undefined) {
    await writeSyncRun(deps, facts);
    return;
  }
  const row = syncRunOperation(deps, facts);
  try {
    await deps.storage.applyBatch(deps.ownerId, [{ ...row, value: { ...row.value, id: options.runId } }]);
  } catch (error) {
    logOf(deps).warn('could not log the failed run', { kind: facts.kind, error: error instanceof Error ? error.message : String(error) });
  }
}

function planAndApply(deps: UseCaseDeps, records: LibraryRecords, options: ImportOptions, startedAt: string): Promise<ImportReport> {
  return retryOnConflict(async (attempt) => {
    const progressSource = options.progressSource ?? 'import';
    const baselineSource = options.baselineSource ?? baselineSourceFor(progressSource, options.source);
    let state = await readState(deps, records, baselineSource);
    const now = nowIso(deps);
    const onProgress = options.onProgress;
    const planOptions = { now, progressSource, baselineSource, ...(onProgress ? { onProgress: (done: number, total: number) => onProgress({ phase: 'planning', done, total }) } : {}) };
    let changeSet = planImport(records, state, planOptions);
    const widened = await withTitlesOfMergedSeries(deps, state, changeSet);
    if (widened !== null) {
      state = widened;
      changeSet = planImport(records, state, planOptions);
    }
    let runId: string | null = null;
    if (options.commit) {
      const runRow = syncRunOperation(deps, { kind: options.kind ?? 'import', source: options.source, startedAt, counts: importRunCounts(changeSet.summary) });
      if (options.runId !== undefined) runRow.value.id = options.runId;
      runId = runRow.value.id;
      // Cached series statuses of every series the change touches go first: a crash after them
      // leaves statuses to rebuild, never a stale one.
      const invalidations = statusInvalidations(affectedSeries(changeSet, state));
      await applyInChunks(deps.storage, deps.ownerId, writeGroups(invalidations, changeSet), [runRow], onProgress ? (done, total) => onProgress({ phase: 'writing', done, total }) : undefined);
    }
    return {
      committed: options.commit,
      summary: changeSet.summary,
      titles: listed(changeSet.titles, options.listLimit).map(({ asin, action, changedFields }) => ({ asin, action, changedFields })),
      series: listed(changeSet.series, options.listLimit).map(({ key, action, changedFields }) => ({ key, action, changedFields })),
      progress: listed(changeSet.progress, options.listLimit).map(({ asin, action, changedFields }) => ({ asin, action, changedFields })),
      notes: changeSet.notes,
      runId,
      attempts: attempt,
    };
  });
}

export interface ConvergeSeriesResult {
  /** Name-keyed series joined to the ASIN-keyed series they are. */
  merged: number;
  /** Titles whose memberships moved. */
  titlesMoved: number;
}

/**
 * Applies the series rule to the whole store once (`series recompute` does): a store filled by a
 * file import and an Audible sync before the rule existed ends with one series per series.
 */
export async function convergeSeries(deps: UseCaseDeps): Promise<ConvergeSeriesResult> {
  const { storage, ownerId } = deps;
  return retryOnConflict(async () => {
    const [titles, series, aliases] = await Promise.all([
      readAll((cursor) => storage.listTitles(ownerId, { cursor })),
      readAll((cursor) => storage.listSeries(ownerId, { cursor })),
      readAll((cursor) => storage.listSeriesAliases(ownerId, { cursor })),
    ]);
    const state: CurrentState = {
      titles: new Map(titles.map((t) => [t.asin, t])),
      series: new Map(series.map((s) => [s.key, s])),
      progress: new Map(),
      aliases: new Map(aliases.map((a) => [a.alias, a.seriesKey])),
    };
    const changeSet = planImport({ titles: [], series: [], progress: [] }, state, { now: nowIso(deps) });
    if (isEmptyChangeSet(changeSet)) return { merged: 0, titlesMoved: 0 };
    await applyInChunks(storage, ownerId, writeGroups(statusInvalidations(affectedSeries(changeSet, state)), changeSet));
    return { merged: changeSet.seriesMerges.length, titlesMoved: changeSet.summary.titles.updated };
  });
}
