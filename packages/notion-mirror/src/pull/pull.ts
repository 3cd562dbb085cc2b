import { applyInChunks, nowIso, SagaSyncError, syncRunOperation, type BatchOperation } from '@sagasync/core';
import { createNotionGateway } from '../client/notion-gateway.js';
import { queryAll, retrievePage, type MirroredPage } from '../client/pages.js';
import { coreRules } from '../apply/core-rules.js';
import type { MirrorRules, NotionListeningEvent } from '../apply/rules.js';
import type { NotionDeps } from '../context.js';
import { normalisePageId, plainTextOf } from '../plan/property-values.js';
import { BOOKS } from '../schema/definitions.js';
import { entryOf, loadMirror, migrateMirrorSettings, putRecordOperation } from '../state/mirror-records.js';
import { loadPullState, requireDatabases, SETTINGS_KEYS, type MirrorEntry, type MirrorTable } from '../state/settings.js';
import { handEditFrom, markSeen } from './hand-edits.js';

export type PullDeps = NotionDeps & {
  /** Default `coreRules`. */
  rules?: Pick<MirrorRules, 'applyListeningEvent'>;
};

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

function collectEvents(books: MirrorTable, pages: readonly MirroredPage[]): { events: NotionListeningEvent[]; seen: { asin: string; page: MirroredPage }[] } {
  const asinByPage = new Map(Object.entries(books).map(([asin, e]) => [e.pageId, asin]));
  const events: NotionListeningEvent[] = [];
  const seen: { asin: string; page: MirroredPage }[] = [];
  for (const page of pages) {
    const asin = asinByPage.get(normalisePageId(page.id));
    if (!asin) continue;
    seen.push({ asin, page });
    const edit = handEditFrom(books[asin]!, page.values);
    if (edit) events.push({ asin, ...edit, at: page.lastEditedTime, source: 'notion' });
  }
  return { events, seen };
}

/**
 * Applies the events (core runs the cascade), then stores the records of the pages seen, with the
 * pulled values marked as seen, in chunks within the store's limit; `last` lands in the final batch.
 */
async function applyAndRecord(
  deps: PullDeps,
  books: MirrorTable,
  events: NotionListeningEvent[],
  seen: { asin: string; page: MirroredPage }[],
  last: (counts: { applied: number; skipped: number }) => BatchOperation[],
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
  const now = nowIso(deps);
  const groups: BatchOperation[][] = [];
  for (const { asin, page } of seen) {
    const entry: MirrorEntry = { ...books[asin]!, hashes: { ...books[asin]!.hashes } };
    markSeen(entry, page.values);
    if (JSON.stringify(entry.hashes) !== JSON.stringify(books[asin]!.hashes)) groups.push([putRecordOperation('books', asin, entry, now)]);
  }
  await applyInChunks(deps.storage, deps.ownerId, groups, last({ applied: applied.length, skipped: skipped.length }));
  return { applied, skipped };
}

/**
 * Reads Status and Progress % edits made by hand in Notion and applies them as listening events
 * (core runs the cascade). Only pages edited since the last pull are read, unless `full`.
 */
export async function pullFromNotion(deps: PullDeps, options: PullOptions = {}): Promise<PullResult> {
  const startedAt = nowIso(deps);
  const dbs = await requireDatabases(deps.storage, deps.ownerId);
  if (!options.dryRun) await migrateMirrorSettings(deps);
  const mirror = await loadMirror(deps.storage, deps.ownerId);
  const state = await loadPullState(deps.storage, deps.ownerId);
  const gateway = createNotionGateway(deps.notion);
  const since = !options.full && state.lastPulledAt ? new Date(Date.parse(state.lastPulledAt) - LOOKBACK_MS).toISOString() : null;
  const pages = await queryAll(gateway, dbs.books.dataSourceId, since ? { timestamp: 'last_edited_time', last_edited_time: { on_or_after: since } } : undefined);
  const { events, seen } = collectEvents(mirror.books, pages);
  if (options.dryRun) return { checked: pages.length, events, skipped: [], requests: gateway.stats.requests };
  const { applied, skipped } = await applyAndRecord(deps, mirror.books, events, seen, (done) => [
    { op: 'putSetting', key: SETTINGS_KEYS.pull, value: { lastPulledAt: startedAt } },
    syncRunOperation(deps, {
      kind: 'notion_pull',
      source: dbs.books.databaseId,
      startedAt,
      counts: { created: 0, updated: done.applied, unchanged: seen.length - events.length, failed: done.skipped },
    }),
  ]);
  return { checked: pages.length, events: applied, skipped, requests: gateway.stats.requests };
}

/**
 * Pulls one page, as a webhook asks. The page is read first and its ASIN names the one mirror
 * record to check, so a webhook never reads the whole mirror; a page SagaSync does not mirror (no
 * record for its ASIN, a record for another page, or a page the integration cannot read) is ignored.
 */
export async function pullNotionPage(deps: PullDeps, pageId: string): Promise<PullResult> {
  await migrateMirrorSettings(deps);
  const id = normalisePageId(pageId);
  const gateway = createNotionGateway(deps.notion);
  const ignored = (): PullResult => ({ checked: 0, events: [], skipped: [], requests: gateway.stats.requests });
  let page: MirroredPage;
  try {
    page = await retrievePage(gateway, id);
  } catch (error) {
    if (SagaSyncError.isInstance(error) && error.code === 'not_found') return ignored();
    throw error;
  }
  const asin = plainTextOf(page.values[BOOKS.asin]).trim().toUpperCase();
  const record = asin ? await deps.storage.getMirrorRecord(deps.ownerId, 'books', asin) : null;
  if (!record || record.pageId !== id) return ignored();
  const books: MirrorTable = { [asin]: entryOf(record) };
  const { events, seen } = collectEvents(books, page.inTrash ? [] : [page]);
  const { applied, skipped } = await applyAndRecord(deps, books, events, seen, () => []);
  return { checked: 1, events: applied, skipped, requests: gateway.stats.requests };
}
