import { newId, SagaSyncError, type StoragePort } from '@sagasync/core';
import { createNotionGateway, type NotionConnectionOptions } from '../client/notion-gateway.js';
import { queryAll, retrievePage, type MirroredPage } from '../client/pages.js';
import { coreRules } from '../apply/core-rules.js';
import type { MirrorRules, NotionListeningEvent } from '../apply/rules.js';
import { normalisePageId } from '../plan/property-values.js';
import { loadMirror, loadPullState, requireDatabases, saveMirror, SETTINGS_KEYS, type MirrorState } from '../state/settings.js';
import { handEditFrom, markSeen } from './hand-edits.js';

export interface PullDeps {
  storage: StoragePort;
  ownerId: string;
  notion: NotionConnectionOptions;
  /** Default `coreRules`. */
  rules?: Pick<MirrorRules, 'applyListeningEvent'>;
}

export interface PullOptions {
  /** Read every page instead of those edited since the last pull. */
  full?: boolean;
  /** Report what would be applied without applying it. */
  dryRun?: boolean;
}

export interface PullResult {
  checked: number;
  /** Events applied (or, on a dry run, that would be). */
  events: NotionListeningEvent[];
  /** Events the store refused (title gone, invalid value), with why. */
  skipped: { event: NotionListeningEvent; reason: string }[];
  requests: number;
}

/** Notion's last_edited_time is rounded to the minute; look back a little further than the last pull. */
const LOOKBACK_MS = 2 * 60_000;

function collectEvents(mirror: MirrorState, pages: readonly MirroredPage[]): { events: NotionListeningEvent[]; seen: { asin: string; page: MirroredPage }[] } {
  const asinByPage = new Map(Object.entries(mirror.books).map(([asin, e]) => [e.pageId, asin]));
  const events: NotionListeningEvent[] = [];
  const seen: { asin: string; page: MirroredPage }[] = [];
  for (const page of pages) {
    const asin = asinByPage.get(normalisePageId(page.id));
    if (!asin) continue;
    seen.push({ asin, page });
    const edit = handEditFrom(mirror.books[asin]!, page.values);
    if (edit) events.push({ asin, ...edit, at: page.lastEditedTime, source: 'notion' });
  }
  return { events, seen };
}

async function applyAndRecord(
  deps: PullDeps,
  mirror: MirrorState,
  events: NotionListeningEvent[],
  seen: { asin: string; page: MirroredPage }[],
  extra: { key: string; value: unknown }[],
): Promise<{ applied: NotionListeningEvent[]; skipped: PullResult['skipped'] }> {
  const rules = deps.rules ?? coreRules;
  const applied: NotionListeningEvent[] = [];
  const skipped: PullResult['skipped'] = [];
  for (const event of events) {
    try {
      await rules.applyListeningEvent(deps.storage, deps.ownerId, event);
      applied.push(event);
    } catch (error) {
      // A page whose title left the store, or a value core refuses: report it, keep pulling.
      if (!(SagaSyncError.isInstance(error) && (error.code === 'not_found' || error.code === 'invalid_input'))) throw error;
      skipped.push({ event, reason: error.message });
    }
  }
  for (const { asin, page } of seen) markSeen(mirror.books[asin]!, page.values);
  await saveMirror(deps.storage, deps.ownerId, mirror);
  if (extra.length > 0) await deps.storage.applyBatch(deps.ownerId, extra.map((e) => ({ op: 'putSetting' as const, key: e.key, value: e.value })));
  return { applied, skipped };
}

/**
 * Reads Status and Progress % edits made by hand in Notion and applies them as listening events
 * (core runs the cascade). Only pages edited since the last pull are read, unless `full`.
 */
export async function pullFromNotion(deps: PullDeps, options: PullOptions = {}): Promise<PullResult> {
  const startedAt = new Date();
  const dbs = await requireDatabases(deps.storage, deps.ownerId);
  const mirror = await loadMirror(deps.storage, deps.ownerId);
  const state = await loadPullState(deps.storage, deps.ownerId);
  const gateway = createNotionGateway(deps.notion);
  const since = !options.full && state.lastPulledAt ? new Date(Date.parse(state.lastPulledAt) - LOOKBACK_MS).toISOString() : null;
  const pages = await queryAll(gateway, dbs.books.dataSourceId, since ? { timestamp: 'last_edited_time', last_edited_time: { on_or_after: since } } : undefined);
  const { events, seen } = collectEvents(mirror, pages);
  if (options.dryRun) return { checked: pages.length, events, skipped: [], requests: gateway.stats.requests };
  const { applied, skipped } = await applyAndRecord(deps, mirror, events, seen, [{ key: SETTINGS_KEYS.pull, value: { lastPulledAt: startedAt.toISOString() } }]);
  await deps.storage.applyBatch(deps.ownerId, [
    {
      op: 'putSyncRun',
      value: {
        id: newId(startedAt.getTime()),
        kind: 'notion_pull',
        source: dbs.books.databaseId,
        status: 'succeeded',
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        counts: { created: 0, updated: applied.length, unchanged: seen.length - events.length, failed: skipped.length },
        error: null,
      },
    },
  ]);
  return { checked: pages.length, events: applied, skipped, requests: gateway.stats.requests };
}

/** Pulls one page, as a webhook asks: a page SagaSync does not mirror is ignored. */
export async function pullNotionPage(deps: PullDeps, pageId: string): Promise<PullResult> {
  const mirror = await loadMirror(deps.storage, deps.ownerId);
  const id = normalisePageId(pageId);
  if (!Object.values(mirror.books).some((e) => e.pageId === id)) return { checked: 0, events: [], skipped: [], requests: 0 };
  const gateway = createNotionGateway(deps.notion);
  const page = await retrievePage(gateway, id);
  const { events, seen } = collectEvents(mirror, page.inTrash ? [] : [page]);
  const { applied, skipped } = await applyAndRecord(deps, mirror, events, seen, []);
  return { checked: 1, events: applied, skipped, requests: gateway.stats.requests };
}
