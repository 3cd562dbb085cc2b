import { importLibrary, logOf, recomputeSeries, SagaSyncError, type LibraryRecords, type UseCaseContext } from '@sagasync/core';
import { loadDatabases, resetNotion, type NotionConnectionOptions } from '@sagasync/notion-mirror';
import type { OwnerPartitions } from './dynamo-partitions.js';
import { emptyOwner, readInventory } from './owner-items.js';
import { KIND_LABELS, type NotionInventory, type OwnerInventory, type ResetStep, type ResetSummary } from './plan-reset.js';
import { holdingPushLease } from './push-lease.js';

/** A step's advance: `done` of `total` (null when the total is not known up front). */
export interface ResetProgress {
  step: ResetStep;
  label: string;
  done: number;
  total: number | null;
}

export type ResetDeps = UseCaseContext & {
  /** Where the records the port cannot delete are (progress rows, history). */
  partitions: OwnerPartitions;
  /** How to reach Notion; needed only when the owner has Notion databases set up. */
  notion: NotionConnectionOptions | null;
  onProgress?: (progress: ResetProgress) => void;
  onStep?: (event: { step: ResetStep; state: 'started' | 'done' | 'skipped' }) => void;
  /** How long to wait for a Notion push that is running. Default 45 s (a push renews its lease every 10 s). */
  pushLeaseWaitMs?: number;
};

export interface ResetInput {
  records: LibraryRecords;
  /** The export's name, for the sync-run log. */
  source: string;
}

/** A reset that stopped at `step`; running it again finishes the job. */
export class ResetStepError extends Error {
  constructor(
    readonly step: ResetStep,
    override readonly cause: unknown,
  ) {
    super(`the reset stopped at step "${step}": ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ResetStepError';
  }
}

/** What the reset would do to the owner's store and Notion: reads only, no Notion request. */
export async function surveyReset(deps: ResetDeps): Promise<{ inventory: OwnerInventory; notion: NotionInventory }> {
  const inventory = await readInventory(deps, deps.partitions);
  const databases = await loadDatabases(deps.storage, deps.ownerId);
  if (!databases) return { inventory, notion: { configured: false, trashed: { books: 0, series: 0 }, released: 0 } };
  // A dry run reads the mirror records only: it sends nothing, so it needs no token.
  const dry = await resetNotion({ storage: deps.storage, ownerId: deps.ownerId, notion: deps.notion ?? { token: 'unused-by-a-dry-run' } }, { dryRun: true });
  return { inventory, notion: { configured: true, trashed: dry.trashed, released: dry.released } };
}

/**
 * The reset, step by step (see plan-reset.ts), holding the owner's Notion push lease throughout.
 * Each step is safe to repeat: a reset that stopped (a `ResetStepError` names the step) finishes
 * when run again with the same export, and ends where one uninterrupted run would have.
 */
export async function runReset(deps: ResetDeps, input: ResetInput): Promise<ResetSummary> {
  const started = Date.now();
  const ctx: UseCaseContext = { storage: deps.storage, ownerId: deps.ownerId, ...(deps.clock ? { clock: deps.clock } : {}), ...(deps.log ? { log: deps.log } : {}) };
  const log = logOf(deps);
  const progress = (step: ResetStep, label: string, done: number, total: number | null) => deps.onProgress?.({ step, label, done, total });
  const step = async <T>(name: ResetStep, work: () => Promise<T>): Promise<T> => {
    deps.onStep?.({ step: name, state: 'started' });
    try {
      const result = await work();
      deps.onStep?.({ step: name, state: 'done' });
      return result;
    } catch (error) {
      log.error('reset stopped', { step: name, error: error instanceof Error ? error.message : String(error) });
      throw new ResetStepError(name, error);
    }
  };

  return holdingPushLease(ctx, deps.pushLeaseWaitMs ?? 45_000, async () => {
    // 1. Notion: only when databases are set up (without, there is nothing SagaSync made there).
    let notion: ResetSummary['notion'] = { skipped: true, trashed: { books: 0, series: 0 }, released: 0, requests: 0 };
    if (await loadDatabases(deps.storage, deps.ownerId)) {
      const connection = deps.notion;
      if (!connection) {
        throw new ResetStepError(
          'notion',
          new SagaSyncError('config_missing', 'the library is mirrored into Notion, but no Notion token was given', { details: { reason: 'notion_not_configured' } }),
        );
      }
      const result = await step('notion', () =>
        resetNotion({ ...ctx, notion: connection, onProgress: (p) => progress('notion', 'moving pages to the Notion trash', p.done, p.total) }),
      );
      notion = { skipped: false, trashed: result.trashed, released: result.released, requests: result.requests };
    } else deps.onStep?.({ step: 'notion', state: 'skipped' });

    // 2. Empty the library.
    const deleted = await step('empty', () => emptyOwner(ctx, deps.partitions, (p) => progress('empty', `deleting ${KIND_LABELS[p.kind][1]}`, p.done, null)));

    // 3. Import the export; only counts are kept (listLimit 0), however large the library.
    const report = await step('import', () =>
      importLibrary(ctx, input.records, {
        commit: true,
        source: input.source,
        kind: 'import',
        listLimit: 0,
        onProgress: (p) => progress('import', p.phase === 'planning' ? 'planning titles' : 'writing records', p.done, p.total),
      }),
    );

    // 4. Series from the imported titles.
    const series = await step('series', () => recomputeSeries(ctx));

    const summary: ResetSummary = {
      notion,
      deleted,
      imported: { runId: report.runId, titles: report.summary.titles, series: report.summary.series, progress: report.summary.progress },
      series: { created: series.created, updated: series.updated, removed: series.removed, total: series.series.length },
      elapsedMs: Date.now() - started,
    };
    log.info('reset done', { notion: summary.notion, deleted: summary.deleted, imported: summary.imported, series: summary.series });
    return summary;
  });
}
