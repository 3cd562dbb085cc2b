import type { ApiContext } from '@sagasync/api';
import { NOTION_CREDENTIAL } from '../services/notion.js';

export type MirrorOutcome = 'pushed' | 'unfinished' | 'no_changes' | 'not_connected' | 'not_set_up' | 'too_soon' | 'failed';

/** A scheduled push writes for at most this long; the next one goes on where it stopped. */
const PUSH_BUDGET_MS = 5 * 60_000;

/**
 * The Notion mirror after a scheduled sync, for users who connected Notion and set its databases
 * up: only when the sync changed something, and at most once per `minIntervalMs` per user (the
 * last push's run row says when), on top of the requests-per-second limit its gateway keeps. A
 * failed push is logged and left for the next sync: the Audible sync itself succeeded.
 */
export async function mirrorAfterSync(ctx: ApiContext, options: { changes: number; minIntervalMs: number }): Promise<MirrorOutcome> {
  const push = ctx.services.notionPush;
  if (options.changes === 0) return 'no_changes';
  if (!push || !(await ctx.storage.getCredential(ctx.ownerId, NOTION_CREDENTIAL))) return 'not_connected';
  const { loadDatabases } = await import('@sagasync/notion-mirror');
  if (!(await loadDatabases(ctx.storage, ctx.ownerId))) return 'not_set_up';
  const now = ctx.clock ? ctx.clock() : new Date();
  const last = (await ctx.storage.listSyncRuns(ctx.ownerId, { kind: 'notion_push', limit: 1 })).items[0];
  if (last && Date.parse(last.startedAt) + options.minIntervalMs > now.getTime()) return 'too_soon';
  try {
    const result = (await push(ctx, { dryRun: false, deadline: new Date(now.getTime() + PUSH_BUDGET_MS) })) as { done?: boolean };
    return result.done === false ? 'unfinished' : 'pushed';
  } catch (error) {
    ctx.log?.warn('the Notion mirror after a scheduled sync failed', { error: error instanceof Error ? error.message : String(error) });
    return 'failed';
  }
}
