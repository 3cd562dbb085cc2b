import { newId, SagaSyncError, type Progress, type StoragePort, type SyncRunData } from '@sagasync/core';
import { createNotionGateway, AmbiguousCreateError, type NotionConnectionOptions, type NotionGateway } from '../client/notion-gateway.js';
import { botUserId, createPage, findByText, queryAll, trashPage, updatePage, type MirroredPage } from '../client/pages.js';
import { bookValues, seriesRowFrom, seriesValues } from '../plan/desired-values.js';
import { planTable, type PlannedWrite, type TablePlan } from '../plan/plan-table.js';
import { hashValue, hashValues, plainTextOf, type PropertyValues } from '../plan/property-values.js';
import { PULLED_PROPERTIES } from '../pull/hand-edits.js';
import { BOOKS, BOOKS_PROPERTIES, SERIES, SERIES_PROPERTIES } from '../schema/definitions.js';
import { loadMirror, requireDatabases, saveMirror, type MirrorEntry, type MirrorState, type MirrorTable, type NotionDatabases } from '../state/settings.js';
import { planAdoption, type TrackerMatcherFactory } from './adoption.js';
import { coreRules } from './core-rules.js';
import { matcherFactory } from './matcher-adapter.js';
import type { MirrorRules } from './rules.js';

export interface PushDeps {
  storage: StoragePort;
  ownerId: string;
  notion: NotionConnectionOptions;
  /** Default `coreRules`. */
  rules?: Pick<MirrorRules, 'seriesReport'>;
  /** Links the user's own Books pages (no ASIN) to titles; default @sagasync/matcher's engine. */
  matcher?: TrackerMatcherFactory;
  onProgress?: (progress: PushProgress) => void;
}

export interface PushOptions {
  /** Plan and report without writing to Notion or the store (reads still happen). */
  dryRun?: boolean;
  /** Mirror state is saved after this many writes, so a crash loses little. Default 20. */
  checkpointEvery?: number;
  /** Mirror synthetic volumes (series volumes not owned) as pages with Owned unticked. Default true. */
  includeSynthetic?: boolean;
}

export interface PushProgress {
  phase: 'scan' | 'series' | 'books';
  done: number;
  total: number;
}

export interface TableCounts {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  /** Existing pages taken over: lost creates found by key, pages with an ASIN, matcher links. */
  adopted: number;
  /** Extra pages with the same key moved to the trash. */
  duplicatesTrashed: number;
}

export interface PushResult {
  dryRun: boolean;
  series: TableCounts;
  books: TableCounts;
  /** Planned writes (all of them on a dry run); property counts keyed `Books.Owned`, `Series.Missing`. */
  planned: { creates: number; updates: number; propertiesChanged: Record<string, number> };
  conflicts: number;
  failures: { table: 'books' | 'series'; key: string; message: string }[];
  requests: number;
  retries: number;
  throttled: number;
  elapsedMs: number;
}

const emptyCounts = (): TableCounts => ({ created: 0, updated: 0, unchanged: 0, failed: 0, adopted: 0, duplicatesTrashed: 0 });
const BOOK_NAMES = new Set(BOOKS_PROPERTIES.map((p) => p.name));
const SERIES_NAMES = new Set(SERIES_PROPERTIES.map((p) => p.name).filter((n) => n !== SERIES.books));

const pick = (values: PropertyValues, names: ReadonlySet<string>): PropertyValues => Object.fromEntries(Object.entries(values).filter(([k]) => names.has(k)));

interface TableContext {
  name: 'books' | 'series';
  dataSourceId: string;
  keyProperty: string;
  names: ReadonlySet<string>;
  mirror: MirrorTable;
  counts: TableCounts;
  normaliseKey(raw: string): string;
  entryFor(key: string, pageId: string, origin: MirrorEntry['origin'], hashes: Record<string, string>): MirrorEntry;
}

/**
 * Pushes the store to Notion: scans both data sources once (to adopt pages whose answer was lost,
 * pages a crash left unrecorded and the user's own tracker pages), then writes Series pages, then
 * Books pages, only the properties whose values changed since last mirrored.
 */
export async function pushToNotion(deps: PushDeps, options: PushOptions = {}): Promise<PushResult> {
  const started = Date.now();
  const dryRun = options.dryRun ?? false;
  const checkpointEvery = options.checkpointEvery ?? 20;
  const { storage, ownerId } = deps;
  const dbs = await requireDatabases(storage, ownerId);
  const mirror = await loadMirror(storage, ownerId);
  const gateway = createNotionGateway(deps.notion);
  const result: PushResult = {
    dryRun,
    series: emptyCounts(),
    books: emptyCounts(),
    planned: { creates: 0, updates: 0, propertiesChanged: {} },
    conflicts: 0,
    failures: [],
    requests: 0,
    retries: 0,
    throttled: 0,
    elapsedMs: 0,
  };

  const [allTitles, progressList, views] = await Promise.all([storage.listTitles(ownerId), storage.listProgress(ownerId), (deps.rules ?? coreRules).seriesReport(storage, ownerId)]);
  const titles = options.includeSynthetic === false ? allTitles.filter((t) => t.owned) : allTitles;
  const progress = new Map<string, Progress>(progressList.map((p) => [p.asin, p]));

  const titleByAsin = new Map(titles.map((t) => [t.asin, t]));
  const seriesCtx = tableContext('series', dbs, mirror, result, () => false);
  const booksCtx = tableContext('books', dbs, mirror, result, (asin) => titleByAsin.get(asin)?.owned === false);
  for (const [asin, entry] of Object.entries(mirror.books)) entry.synthetic = titleByAsin.get(asin) ? !titleByAsin.get(asin)!.owned : entry.synthetic;

  deps.onProgress?.({ phase: 'scan', done: 0, total: 2 });
  const seriesPages = await queryAll(gateway, dbs.series.dataSourceId);
  deps.onProgress?.({ phase: 'scan', done: 1, total: 2 });
  const bookPages = await queryAll(gateway, dbs.books.dataSourceId);
  deps.onProgress?.({ phase: 'scan', done: 2, total: 2 });

  const wanted = { series: new Set(views.map((v) => v.key)), books: new Set(titles.map((t) => t.asin)) };
  let bot: Promise<string> | undefined;
  const whoAmI = () => (bot ??= botUserId(gateway));
  await reconcile(seriesCtx, seriesPages, wanted.series, gateway, dryRun, whoAmI);
  const { unkeyed, adoptedFromUser } = await reconcile(booksCtx, bookPages, wanted.books, gateway, dryRun, whoAmI);

  // The user's own pages (no ASIN) are matched against titles that have no page yet.
  const unmirrored = titles.filter((t) => !mirror.books[t.asin]);
  if (unkeyed.length > 0 && unmirrored.length > 0) {
    const [decisions, conflicts] = await Promise.all([storage.listDecisions(ownerId, { source: 'notion' }), storage.listConflicts(ownerId)]);
    const adoption = planAdoption({
      ownerId,
      pages: unkeyed,
      titles: unmirrored,
      decisions,
      matcher: deps.matcher ?? matcherFactory(),
      knownConflictIds: new Set(conflicts.map((c) => c.id)),
      now: new Date().toISOString(),
    });
    result.conflicts = adoption.conflicts;
    const byId = new Map(unkeyed.map((p) => [p.id, p]));
    for (const [pageId, asin] of adoption.adopt) {
      const page = byId.get(pageId)!;
      mirror.books[asin] = booksCtx.entryFor(asin, pageId, 'adopted', hashValues(pick(page.values, BOOK_NAMES)));
      adoptedFromUser.push(asin);
      result.books.adopted += 1;
    }
    if (!dryRun && adoption.operations.length > 0) await storage.applyBatch(ownerId, adoption.operations);
  }

  // On a page from the user's own tracker, their Status and Progress % are news for the store, not
  // stale values: mark them as in step with the store so push keeps them and the next pull reads them.
  for (const asin of adoptedFromUser) {
    const title = titleByAsin.get(asin);
    const entry = mirror.books[asin];
    if (!title || !entry) continue;
    const wantedValues = bookValues(title, progress.get(asin) ?? null, new Map());
    for (const name of PULLED_PROPERTIES) entry.hashes[name] = hashValue(wantedValues[name]!);
  }

  const seriesDesired = new Map(views.map((v) => [v.key, seriesValues(seriesRowFrom(v))]));
  const seriesPlan = planTable(seriesDesired, mirror.series);
  // Book relations need series page ids, known once the series phase has run (or, on a dry run, planned).
  const seriesPageIds = () => new Map(Object.entries(mirror.series).map(([k, e]) => [k, e.pageId]));
  const planBooks = () => planTable(new Map(titles.map((t) => [t.asin, bookValues(t, progress.get(t.asin) ?? null, seriesPageIds())])), mirror.books);

  let lastSaved = 0;
  let writes = 0;
  const checkpoint = async (force = false) => {
    if (dryRun || (!force && writes - lastSaved < checkpointEvery)) return;
    lastSaved = writes;
    await saveMirror(storage, ownerId, mirror);
  };

  let failure: unknown;
  try {
    if (dryRun) {
      const booksPlan = planBooks();
      tally(result, seriesPlan, booksPlan);
    } else {
      tally(result, seriesPlan, undefined);
      await applyPlan(seriesCtx, seriesPlan, gateway, result, deps, async () => {
        writes += 1;
        await checkpoint();
      });
      const booksPlan = planBooks();
      tally(result, undefined, booksPlan);
      await applyPlan(booksCtx, booksPlan, gateway, result, deps, async () => {
        writes += 1;
        await checkpoint();
      });
    }
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    await checkpoint(true);
    result.requests = gateway.stats.requests;
    result.retries = gateway.stats.retries;
    result.throttled = gateway.stats.throttled;
    result.elapsedMs = Date.now() - started;
    if (!dryRun) await logRun(storage, ownerId, result, dbs, started, failure);
  }
  return result;
}

function tableContext(name: 'books' | 'series', dbs: NotionDatabases, mirror: MirrorState, result: PushResult, isSynthetic: (key: string) => boolean): TableContext {
  const books = name === 'books';
  return {
    name,
    dataSourceId: books ? dbs.books.dataSourceId : dbs.series.dataSourceId,
    keyProperty: books ? BOOKS.asin : SERIES.key,
    names: books ? BOOK_NAMES : SERIES_NAMES,
    mirror: books ? mirror.books : mirror.series,
    counts: books ? result.books : result.series,
    normaliseKey: books ? (raw) => raw.trim().toUpperCase() : (raw) => raw.trim(),
    entryFor: (key, pageId, origin, hashes) => ({ pageId, origin, synthetic: isSynthetic(key), hashes }),
  };
}

function tally(result: PushResult, series: TablePlan | undefined, books: TablePlan | undefined): void {
  for (const [plan, counts, label] of [
    [series, result.series, 'Series'],
    [books, result.books, 'Books'],
  ] as const) {
    if (!plan) continue;
    counts.unchanged += plan.unchanged.length;
    for (const w of plan.writes) {
      if (w.kind === 'create') result.planned.creates += 1;
      else {
        result.planned.updates += 1;
        for (const name of w.changed) {
          const key = `${label}.${name}`;
          result.planned.propertiesChanged[key] = (result.planned.propertiesChanged[key] ?? 0) + 1;
        }
      }
      if (result.dryRun) {
        if (w.kind === 'create') counts.created += 1;
        else counts.updated += 1;
      }
    }
  }
}

/**
 * Brings the mirror state in line with what the scan found: forgets pages that are gone, adopts
 * pages carrying a wanted key that the state does not know (lost create answers, crash leftovers,
 * the user's pages with an ASIN) with hashes of their actual values, and trashes duplicates
 * (keeping the mirrored page, else the oldest). Returns the pages without a key, for the matcher.
 */
async function reconcile(
  ctx: TableContext,
  pages: readonly MirroredPage[],
  wanted: ReadonlySet<string>,
  gateway: NotionGateway,
  dryRun: boolean,
  whoAmI: () => Promise<string>,
): Promise<{ unkeyed: MirroredPage[]; adoptedFromUser: string[] }> {
  const byId = new Map(pages.map((p) => [p.id, p]));
  const adoptedFromUser: string[] = [];
  for (const [key, entry] of Object.entries(ctx.mirror)) if (!byId.has(entry.pageId)) delete ctx.mirror[key];
  const mirroredIds = new Set(Object.values(ctx.mirror).map((e) => e.pageId));
  const byKey = new Map<string, MirroredPage[]>();
  const unkeyed: MirroredPage[] = [];
  for (const page of pages) {
    const key = ctx.normaliseKey(plainTextOf(page.values[ctx.keyProperty]));
    if (!key) {
      if (!mirroredIds.has(page.id)) unkeyed.push(page);
      continue;
    }
    byKey.set(key, [...(byKey.get(key) ?? []), page]);
  }
  for (const [key, group] of byKey) {
    if (!wanted.has(key) && !ctx.mirror[key]) continue;
    const entry = ctx.mirror[key];
    const sorted = [...group].sort((a, b) => a.createdTime.localeCompare(b.createdTime) || a.id.localeCompare(b.id));
    // Keep the mirrored page; else a page the user made (adopting it leaves their data whole); else the oldest.
    let keeper = entry && group.find((p) => p.id === entry.pageId);
    if (!keeper && group.length > 1) {
      const bot = await whoAmI();
      keeper = sorted.find((p) => p.createdBy !== bot);
    }
    keeper ??= sorted[0]!;
    if (!entry || entry.pageId !== keeper.id) {
      // Pages the integration created (lost answers, crash leftovers) are SagaSync's; others the user's.
      const origin = keeper.createdBy !== null && keeper.createdBy === (await whoAmI()) ? 'created' : 'adopted';
      ctx.mirror[key] = ctx.entryFor(key, keeper.id, origin, hashValues(pick(keeper.values, ctx.names)));
      if (origin === 'adopted') adoptedFromUser.push(key);
      ctx.counts.adopted += 1;
    }
    for (const extra of group) {
      if (extra.id === keeper.id || mirroredIds.has(extra.id)) continue;
      // Only SagaSync's own duplicates go to the trash; a page the user made is theirs to remove.
      if (extra.createdBy === null || extra.createdBy !== (await whoAmI())) continue;
      if (!dryRun) await trashPage(gateway, extra.id);
      ctx.counts.duplicatesTrashed += 1;
    }
  }
  return { unkeyed, adoptedFromUser };
}

async function applyPlan(ctx: TableContext, plan: TablePlan, gateway: NotionGateway, result: PushResult, deps: PushDeps, afterWrite: () => Promise<void>): Promise<void> {
  const total = plan.writes.length;
  let done = 0;
  deps.onProgress?.({ phase: ctx.name, done, total });
  for (const write of plan.writes) {
    try {
      await applyWrite(ctx, write, gateway);
    } catch (error) {
      // A page Notion rejects (validation) is reported and skipped; anything else stops the push.
      if (!(SagaSyncError.isInstance(error) && error.code === 'invalid_input')) throw error;
      ctx.counts.failed += 1;
      result.failures.push({ table: ctx.name, key: write.key, message: error.message });
    }
    done += 1;
    deps.onProgress?.({ phase: ctx.name, done, total });
    await afterWrite();
  }
}

async function applyWrite(ctx: TableContext, write: PlannedWrite, gateway: NotionGateway): Promise<void> {
  if (write.kind === 'update') {
    try {
      await updatePage(gateway, write.pageId, write.values);
      const entry = ctx.mirror[write.key]!;
      Object.assign(entry.hashes, hashValues(write.values));
      ctx.counts.updated += 1;
      return;
    } catch (error) {
      if (!(SagaSyncError.isInstance(error) && error.code === 'not_found')) throw error;
      // Deleted for good since the scan: fall through to a full create.
      delete ctx.mirror[write.key];
    }
  }
  await createOnce(ctx, write.key, write.kind === 'create' ? write.values : write.all, gateway);
}

/**
 * Creates a page at most once: when a create's answer is lost (5xx, timeout), the key is looked
 * up before trying again, and a page found is adopted instead of duplicated.
 */
async function createOnce(ctx: TableContext, key: string, values: PropertyValues, gateway: NotionGateway): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const page = await createPage(gateway, ctx.dataSourceId, values);
      ctx.mirror[key] = ctx.entryFor(key, page.id, 'created', hashValues(values));
      ctx.counts.created += 1;
      return;
    } catch (error) {
      if (!(error instanceof AmbiguousCreateError) || attempt >= 8) throw error;
      const found = await findByText(gateway, ctx.dataSourceId, ctx.keyProperty, key);
      if (found.length > 0) {
        const page = [...found].sort((a, b) => a.createdTime.localeCompare(b.createdTime))[0]!;
        ctx.mirror[key] = ctx.entryFor(key, page.id, 'created', hashValues(pick(page.values, ctx.names)));
        ctx.counts.created += 1;
        // The lost create may have failed half-way in theory; write whatever differs.
        const differs = Object.entries(hashValues(values)).filter(([n, h]) => ctx.mirror[key]!.hashes[n] !== h);
        if (differs.length > 0) {
          const patch = Object.fromEntries(differs.map(([n]) => [n, values[n]!]));
          await updatePage(gateway, page.id, patch);
          Object.assign(ctx.mirror[key]!.hashes, hashValues(patch));
        }
        return;
      }
    }
  }
}

async function logRun(storage: StoragePort, ownerId: string, result: PushResult, dbs: NotionDatabases, started: number, failure: unknown): Promise<void> {
  const counts = {
    created: result.books.created + result.series.created,
    updated: result.books.updated + result.series.updated,
    unchanged: result.books.unchanged + result.series.unchanged,
    failed: result.books.failed + result.series.failed,
  };
  const run: SyncRunData = {
    id: newId(started),
    kind: 'notion_push',
    source: dbs.books.databaseId,
    status: failure !== undefined || result.failures.length > 0 ? 'failed' : 'succeeded',
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date().toISOString(),
    counts,
    error: failure !== undefined ? (failure instanceof Error ? failure.message : String(failure)) : (result.failures[0]?.message ?? null),
  };
  await storage.applyBatch(ownerId, [{ op: 'putSyncRun', value: run }]);
}

