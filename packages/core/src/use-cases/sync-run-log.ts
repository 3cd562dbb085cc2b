import type { SyncCounts, SyncKind } from '../model/sync-run.js';
import type { BatchOperation } from '../ports/storage.port.js';
import { newId } from '../util/ids.js';
import { logOf, nowIso, type UseCaseContext } from './context.js';

export interface SyncRunFacts {
  kind: SyncKind;
  /** What was synced: a file name, an account, a database. */
  source?: string | null;
  startedAt: string;
  counts: SyncCounts;
  /** The failure, for a failed run. */
  error?: unknown;
}

type RecordCounts = { created: number; updated: number; unchanged: number };

/** An import's run counts: every record kind it touched (titles, series, progress rows) together, none failed. */
export function importRunCounts(summary: { titles: RecordCounts; series: RecordCounts; progress: RecordCounts }): SyncCounts {
  const { titles, series, progress } = summary;
  return {
    created: titles.created + series.created + progress.created,
    updated: titles.updated + series.updated + progress.updated,
    unchanged: titles.unchanged + series.unchanged + progress.unchanged,
    failed: 0,
  };
}

/**
 * The sync-run row of a finished run (succeeded, or failed with `error`), as the operation to
 * write last in the run's final batch. One place builds it, so every flow logs runs alike.
 */
export function syncRunOperation(ctx: UseCaseContext, facts: SyncRunFacts): BatchOperation & { op: 'putSyncRun' } {
  const finishedAt = nowIso(ctx);
  return {
    op: 'putSyncRun',
    value: {
      id: newId(Date.parse(finishedAt)),
      kind: facts.kind,
      source: facts.source ?? null,
      status: facts.error === undefined ? 'succeeded' : 'failed',
      startedAt: facts.startedAt,
      finishedAt,
      counts: facts.counts,
      error: facts.error === undefined ? null : facts.error instanceof Error ? facts.error.message : String(facts.error),
    },
  };
}

/**
 * Writes a run's row on its own (a failed run, or a flow whose records went in earlier batches).
 * Best effort for failures: the store that failed the run may fail this too, and the run's own
 * error is what the caller reports.
 */
export async function writeSyncRun(ctx: UseCaseContext, facts: SyncRunFacts): Promise<string | null> {
  const operation = syncRunOperation(ctx, facts);
  try {
    await ctx.storage.applyBatch(ctx.ownerId, [operation]);
    return operation.value.id;
  } catch (error) {
    if (facts.error === undefined) throw error;
    logOf(ctx).warn('could not log the failed run', { kind: facts.kind, error: error instanceof Error ? error.message : String(error) });
    return null;
  }
}
