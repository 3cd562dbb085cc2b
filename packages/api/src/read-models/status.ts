import { countSeriesStatuses, resolveRuleOptions, SyncRunSchema } from '@sagasync/core';
import * as z from 'zod';
import type { ApiContext } from '../http/route.js';

export const StatusSchema = z.object({
  /** Where the store is (the CLI's file); null for a server's store. */
  store: z.string().nullable(),
  titles: z.object({ owned: z.number().int(), synthetic: z.number().int(), inProgress: z.number().int(), finished: z.number().int() }),
  series: z.object({
    total: z.number().int(),
    not_started: z.number().int(),
    in_progress: z.number().int(),
    caught_up: z.number().int(),
    complete: z.number().int(),
  }),
  lastRuns: z.array(SyncRunSchema.omit({ ownerId: true })),
});
export type Status = z.infer<typeof StatusSchema>;

/**
 * Counts from the store's indexes, series statuses from their cache (derived where missing), and
 * the last five runs: nothing here reads the whole library.
 */
export async function readStatus(ctx: ApiContext, store: string | null): Promise<Status> {
  const { storage, ownerId } = ctx;
  const [owned, synthetic, listening, series, runs] = await Promise.all([
    storage.countTitles(ownerId, { owned: true }),
    storage.countTitles(ownerId, { owned: false }),
    storage.countTitlesByStatus(ownerId),
    resolveRuleOptions(ctx).then((rules) => countSeriesStatuses(ctx, rules)),
    storage.listSyncRuns(ownerId, { limit: 5 }),
  ]);
  return {
    store,
    titles: { owned, synthetic, inProgress: listening.in_progress, finished: listening.finished },
    series,
    lastRuns: runs.items.map(({ ownerId: _owner, ...run }) => run),
  };
}
