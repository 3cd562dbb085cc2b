import { applyInChunks, logOf, newId, nowIso, nowOf, SagaSyncError, syncRunOperation, writeSyncRun, type BatchOperation, type MirrorTableName, type Progress, type SyncCounts, type Title } from '@sagasync/core';
import { createNotionGateway, AmbiguousCreateError, type NotionGateway } from '../client/notion-gateway.js';
import { botUserId, createPage, findByText, queryAll, trashPage, updatePage, type MirroredPage } from '../client/pages.js';
import type { NotionDeps } from '../context.js';
import { bookValues } from '../plan/desired-values.js';
import { mirroredTitles, planPush, type PushPlan, type PushWrite } from '../plan/plan-push.js';
import type { PlannedWrite } from '../plan/plan-table.js';
import { hashValue, hashValues, isEmptyValue, normalisePageId, plainTextOf, toSchemaShape, type PropertyValues } from '../plan/property-values.js';
import { handEditFrom, markSeen, PULLED_PROPERTIES } from '../pull/hand-edits.js';
import { checkDatabases, isBlocking } from '../schema/check-databases.js';
import { BOOKS, BOOKS_PROPERTIES, SERIES, SERIES_PROPERTIES } from '../schema/definitions.js';
import { describeDatabases, forgetProperties, replacedProperties } from '../schema/schema-changes.js';
import { retrieveDataSource } from '../schema/setup.js';
import { changedRecordGroups, deleteRecordOperation, loadMirror, migrateMirrorSettings, putRecordOperation, snapshotOf } from '../state/mirror-records.js';
import { loadPushMarker, requireDatabases, saveDatabases, SETTINGS_KEYS, type MirrorEntry, type MirrorState, type MirrorTable, type NotionDatabases, type PushMarker } from '../state/settings.js';
import { planAdoption, type TrackerMatcherFactory } from './adoption.js';
import { coreRules } from './core-rules.js';
import { matcherFactory } from './matcher-adapter.js';
import { decodePushCursor, encodePushCursor, type PushCursor } from './push-cursor.js';
import { withPushLease } from './push-lease.js';
import type { MirrorRules } from './rules.js';

export type PushDeps = NotionDeps & {
  /** Default `coreRules`; listening events (hand edits a push takes in) default to core's too. */
  rules?: Pick<MirrorRules, 'seriesReport'> & Partial<Pick<MirrorRules, 'applyListeningEvent'>>;
  /** Links the user's own Books pages (no ASIN) to titles; default @sagasync/matcher's engine. */
  matcher?: TrackerMatcherFactory;
  onProgress?: (progress: PushProgress) => void;
};

export interface PushOptions {
  /** Plan and report without writing to Notion or the store (reads still happen). Ignores `cursor`. */
  dryRun?: boolean;
  /** Mirror synthetic volumes (series volumes not owned) as pages with Owned unticked. Default true. */
  includeSynthetic?: boolean;
  /** Stop before the next page write once the context's clock has reached this time. */
  deadline?: Date;
  /** Stop once this many page writes (creates and updates) are done. A positive integer. */
  maxWrites?: number;
  /** The `cursor` of a call that stopped early: continues that run. */
  cursor?: string | null;
  /**
   * Re-verify every mirrored page: the scan's values of each page replace what the mirror records
   * say Notion holds, so any property that differs from the store (emptied, edited, deleted and
   * added again) is written. A Status or Progress % edited by hand is taken in first, as every push
   * does (unless it was emptied). Costs no extra request: the scan reads every page.
   */
  full?: boolean;
  /**
   * How long to wait while another push of the same library runs (one push per owner at a time,
   * through the store's lease) before failing with `store_locked`. Default 0: fail at once.
   */
  waitForOtherPushMs?: number;
}

export interface PushProgress {
  phase: 'scan' | 'series' | 'books';
  /** For `series` and `books`: creating the pages that are missing, then updating the others. */
  step?: 'creating' | 'updating';
  /** The phase in words, for a progress display: `scanning Notion`, `series: creating`, `books: updating`. */
  label: string;
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

/** The push run a call belongs to; one run may take several calls (each stopped by a deadline or `maxWrites`). */
export interface PushRun {
  id: string;
  startedAt: string;
  /** `stopped`: more to write, call again with `cursor`; `failed`: done, some pages were refused. */
  status: 'stopped' | 'succeeded' | 'failed';
  /** Totals over every call of the run so far; the sync-run row (id `id`) gets them when the run is done. */
  counts: SyncCounts;
}

export interface PushResult {
  dryRun: boolean;
  /** False when the call stopped early: call again with `cursor`. */
  done: boolean;
  cursor: string | null;
  stoppedBy: 'deadline' | 'max_writes' | null;
  /** Page writes (creates and updates, refused ones included) this call made. */
  writes: number;
  /** Null for a dry run. */
  run: PushRun | null;
  // Everything below describes this call.
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
const zeroSyncCounts = (): SyncCounts => ({ created: 0, updated: 0, unchanged: 0, failed: 0 });
const BOOK_NAMES = new Set(BOOKS_PROPERTIES.map((p) => p.name));
const SERIES_NAMES = new Set(SERIES_PROPERTIES.map((p) => p.name).filter((n) => n !== SERIES.books));

const pick = (values: PropertyValues, names: ReadonlySet<string>): PropertyValues => Object.fromEntries(Object.entries(values).filter(([k]) => names.has(k)));

interface TableContext {
  name: MirrorTableName;
  /** Properties that are native `status` properties in this data source. */
  statusProperties: ReadonlySet<string>;
  dataSourceId: string;
  keyProperty: string;
  names: ReadonlySet<string>;
  mirror: MirrorTable;
  counts: TableCounts;
  normaliseKey(raw: string): string;
  /** A synthetic volume (not owned) now: recorded with the page. */
  isSynthetic(key: string): boolean;
  entryFor(key: string, pageId: string, origin: MirrorEntry['origin'], hashes: Record<string, string>): MirrorEntry;
}

/** The run a call continues (from its cursor) or starts. */
interface RunState {
  id: string;
  startedAt: string;
  seq: number;
  counts: SyncCounts;
  skip: Set<string>;
  /** True for the run's first call: it counts the unchanged pages. */
  first: boolean;
}

/**
 * Pushes the store to Notion: a thin apply around `planPush`.
 *
 * 1. Unless it continues a run whose cursor the store confirms, scans both data sources once and
 *    reconciles the mirror records with them: adopts pages whose create answer was lost, pages a
 *    crash left unrecorded and the user's own tracker pages; trashes SagaSync's duplicates;
 *    forgets pages gone. The changed records are stored.
 * 2. Plans from the store and the records (`planPush`) and writes Series pages, then Books pages
 *    (planned again once the series pages exist), only the properties whose values changed. Each
 *    page's mirror record is stored right after its Notion write.
 * 3. Stops before the next write when `deadline` has passed (by the context's clock) or
 *    `maxWrites` writes are done, and returns `{ done: false, cursor }`; a call with that cursor
 *    plans again from the records, so no Notion write is repeated. When nothing is left the run's
 *    sync-run row is written (status `failed` when Notion refused some pages).
 */
export async function pushToNotion(deps: PushDeps, options: PushOptions = {}): Promise<PushResult> {
  // A dry run writes nothing, so it needs no lease.
  if (options.dryRun) return pushUnderLease(deps, options);
  return withPushLease(deps, options.waitForOtherPushMs ?? 0, () => pushUnderLease(deps, options));
}

async function pushUnderLease(deps: PushDeps, options: PushOptions): Promise<PushResult> {
  if (options.maxWrites !== undefined && !(Number.isInteger(options.maxWrites) && options.maxWrites > 0)) {
    throw new SagaSyncError('invalid_input', 'maxWrites must be a positive integer', { details: { location: 'maxWrites' } });
  }
  if (options.deadline !== undefined && Number.isNaN(options.deadline.getTime())) {
    throw new SagaSyncError('invalid_input', 'deadline is not a valid date', { details: { location: 'deadline' } });
  }
  const dryRun = options.dryRun ?? false;
  const started = nowOf(deps);
  const { storage, ownerId } = deps;
  const log = logOf(deps);
  const dbs = await requireDatabases(storage, ownerId);
  const incoming = !dryRun && options.cursor ? decodePushCursor(options.cursor) : null;
  const run: RunState = incoming
    ? { id: incoming.runId, startedAt: incoming.startedAt, seq: incoming.seq, counts: { ...incoming.counts }, skip: new Set(incoming.skip), first: false }
    : { id: newId(started.getTime()), startedAt: started.toISOString(), seq: 0, counts: zeroSyncCounts(), skip: new Set(), first: true };

  const result: PushResult = {
    dryRun,
    done: false,
    cursor: null,
    stoppedBy: null,
    writes: 0,
    run: null,
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
  let gateway: NotionGateway | undefined;
  try {
    let resumed = false;
    if (!dryRun) {
      await migrateMirrorSettings(deps);
      resumed = incoming !== null && isCurrent(await loadPushMarker(storage, ownerId), incoming);
      // Marks the run as running: a retry of this cursor after a crash finds it stale and scans.
      await storage.applyBatch(ownerId, [{ op: 'putSetting', key: SETTINGS_KEYS.push, value: { runId: run.id, seq: run.seq, state: 'running' } satisfies PushMarker }]);
      if (incoming && !resumed) log.info('notion push: the cursor is stale, scanning Notion again', { runId: run.id });
    }
    gateway = createNotionGateway(deps.notion);
    await pushCall(deps, options, { dbs, run, resumed, gateway, result });
  } catch (error) {
    const counts = addCallCounts(run, result);
    if (!dryRun) await writeSyncRun(deps, { kind: 'notion_push', source: dbs.books.databaseId, startedAt: run.startedAt, counts, error });
    log.error('notion push failed', { runId: run.id, error: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    if (gateway) {
      result.requests = gateway.stats.requests;
      result.retries = gateway.stats.retries;
      result.throttled = gateway.stats.throttled;
    }
    result.elapsedMs = nowOf(deps).getTime() - started.getTime();
  }
  return result;
}

const isCurrent = (marker: PushMarker | null, cursor: PushCursor): boolean => marker !== null && marker.runId === cursor.runId && marker.seq === cursor.seq && marker.state === 'stopped';

/** The run's totals with this call's writes added. */
function addCallCounts(run: RunState, result: PushResult): SyncCounts {
  const sum = (k: 'created' | 'updated' | 'failed') => result.series[k] + result.books[k];
  return {
    created: run.counts.created + sum('created'),
    updated: run.counts.updated + sum('updated'),
    unchanged: run.counts.unchanged + (run.first ? result.series.unchanged + result.books.unchanged : 0),
    failed: run.counts.failed + sum('failed'),
  };
}

async function pushCall(
  deps: PushDeps,
  options: PushOptions,
  call: { dbs: NotionDatabases; run: RunState; resumed: boolean; gateway: NotionGateway; result: PushResult },
): Promise<void> {
  const { storage, ownerId } = deps;
  const { run, gateway, result } = call;
  const dryRun = result.dryRun;
  // Once per run (a call continuing a run trusts what its first call read): the schema, checked as
  // `checkNotion` would, and compared with the stored one for properties deleted and added again.
  let dbs = call.dbs;
  let schema: { fresh: NotionDatabases; replaced: Record<MirrorTableName, string[]> } | null = null;
  if (!call.resumed) {
    const fresh = await readSchema(gateway, dbs);
    schema = { fresh, replaced: replacedProperties(dbs, fresh) };
    dbs = fresh;
  }
  const [allTitles, progressList, reportedViews, mirror] = await Promise.all([
    storage.listTitles(ownerId).then((page) => page.items),
    storage.listProgress(ownerId).then((page) => page.items),
    (deps.rules ?? coreRules).seriesReport(storage, ownerId),
    loadMirror(storage, ownerId),
  ]);
  let views = reportedViews;
  const titles = mirroredTitles(allTitles, options.includeSynthetic);
  const progress = new Map<string, Progress>(progressList.map((p) => [p.asin, p]));
  const titleByAsin = new Map(titles.map((t) => [t.asin, t]));
  const isSynthetic = (asin: string) => titleByAsin.get(asin)?.owned === false;
  const tables: Record<MirrorTableName, TableContext> = {
    series: tableContext('series', dbs, mirror, result, () => false),
    books: tableContext('books', dbs, mirror, result, isSynthetic),
  };

  if (schema) {
    const edited = await scanAndReconcile(deps, {
      dryRun,
      gateway,
      result,
      mirror,
      tables,
      titles,
      progress,
      wanted: { series: new Set(views.map((v) => v.key)), books: new Set(titleByAsin.keys()) },
      replaced: schema.replaced,
      full: options.full ?? false,
    });
    if (edited.length > 0) {
      // Hand edits went into the store: plan from what it holds now.
      for (const asin of edited) {
        const now = await storage.getProgress(ownerId, asin);
        if (now) progress.set(asin, now);
        else progress.delete(asin);
      }
      views = await (deps.rules ?? coreRules).seriesReport(storage, ownerId);
    }
    // After the records that forget replaced properties are stored, so a crash in between finds them again.
    if (!dryRun && JSON.stringify(schema.fresh) !== JSON.stringify(call.dbs)) await saveDatabases(storage, ownerId, schema.fresh);
  }

  const statusProperties = { books: tables.books.statusProperties, series: tables.series.statusProperties };
  const plan = (): PushPlan => planPush({ titles, progress, series: views, mirror, includeSynthetic: true, skip: run.skip, statusProperties });
  const seriesPlan = plan();
  let booksPlan = seriesPlan;
  if (dryRun) {
    tally(result, seriesPlan, booksPlan);
    result.done = true;
    return;
  }

  const stopReason = (): PushResult['stoppedBy'] => {
    if (options.maxWrites !== undefined && result.writes >= options.maxWrites) return 'max_writes';
    if (options.deadline !== undefined && nowOf(deps).getTime() >= options.deadline.getTime()) return 'deadline';
    return null;
  };
  let stoppedBy: PushResult['stoppedBy'] = null;
  try {
    stoppedBy = await applyWrites(deps, tables.series, seriesPlan.writes.filter((w) => w.table === 'series'), gateway, result, run, stopReason);
    if (!stoppedBy) {
      // Book relations need the series pages just created: plan the books again.
      booksPlan = plan();
      stoppedBy = await applyWrites(deps, tables.books, booksPlan.writes.filter((w) => w.table === 'books'), gateway, result, run, stopReason);
    }
  } finally {
    tally(result, seriesPlan, booksPlan);
  }

  const counts = addCallCounts(run, result);
  if (stoppedBy) {
    const seq = run.seq + 1;
    const cursor: PushCursor = { v: 1, runId: run.id, startedAt: run.startedAt, seq, counts, skip: [...run.skip] };
    await storage.applyBatch(ownerId, [{ op: 'putSetting', key: SETTINGS_KEYS.push, value: { runId: run.id, seq, state: 'stopped' } satisfies PushMarker }]);
    Object.assign(result, { done: false, cursor: encodePushCursor(cursor), stoppedBy, run: { id: run.id, startedAt: run.startedAt, status: 'stopped', counts } });
    logOf(deps).info('notion push stopped early', { runId: run.id, stoppedBy, writes: result.writes });
    return;
  }
  const firstFailure = result.failures[0]?.message;
  const error = counts.failed > 0 ? (firstFailure ?? `${counts.failed} pages could not be written`) : undefined;
  const row = syncRunOperation(deps, { kind: 'notion_push', source: dbs.books.databaseId, startedAt: run.startedAt, counts, ...(error !== undefined ? { error } : {}) });
  // The run's id names its row: a stale cursor of a finished run rewrites the same row, never adds one.
  await storage.applyBatch(ownerId, [
    { op: 'deleteSetting', key: SETTINGS_KEYS.push },
    { ...row, value: { ...row.value, id: run.id } },
  ]);
  Object.assign(result, { done: true, run: { id: run.id, startedAt: run.startedAt, status: error === undefined ? 'succeeded' : 'failed', counts } });
}

/**
 * Reads both data sources (two requests) and checks them as `checkNotion` does: a schema it would
 * reject stops the push before any write (`invalid_input`, reason `notion_schema_invalid`).
 */
async function readSchema(gateway: NotionGateway, dbs: NotionDatabases): Promise<NotionDatabases> {
  const books = await retrieveDataSource(gateway, dbs.books.dataSourceId);
  const series = await retrieveDataSource(gateway, dbs.series.dataSourceId);
  const blocking = checkDatabases(books, series).filter(isBlocking);
  if (blocking.length > 0) {
    const first = blocking[0]!;
    throw new SagaSyncError('invalid_input', `the Notion databases no longer fit SagaSync, so nothing was pushed: ${blocking.map((i) => i.message).join('; ')}`, {
      details: {
        reason: 'notion_schema_invalid',
        location: `${first.table === 'books' ? 'Books' : 'Series'}.${first.property}`,
        issues: blocking.map((i) => i.message),
      },
    });
  }
  return describeDatabases(dbs, books, series);
}

interface ScanContext {
  dryRun: boolean;
  gateway: NotionGateway;
  result: PushResult;
  mirror: MirrorState;
  tables: Record<MirrorTableName, TableContext>;
  titles: readonly Title[];
  progress: ReadonlyMap<string, Progress>;
  wanted: Record<MirrorTableName, ReadonlySet<string>>;
  /** Properties deleted and added again since the schema was last read: what the records say of them is void. */
  replaced: Record<MirrorTableName, readonly string[]>;
  /** `PushOptions.full`: the scanned values replace the records' hashes. */
  full: boolean;
}

/**
 * Step 1: scan both data sources, reconcile the records with them, adopt the user's pages, take in
 * Status and Progress % edited by hand since SagaSync last looked (as a pull would: the three-way
 * merge decides whether the edit or the store's own later change wins), store what changed.
 * Returns the ASINs whose hand edits went into the store.
 */
async function scanAndReconcile(deps: PushDeps, scan: ScanContext): Promise<string[]> {
  const { storage, ownerId } = deps;
  const { dryRun, gateway, result, mirror, tables, titles, progress } = scan;
  const before = snapshotOf(mirror);
  forgetProperties(mirror, scan.replaced);
  const scanning = (done: number) => deps.onProgress?.({ phase: 'scan', label: 'scanning Notion', done, total: 2 });
  scanning(0);
  const seriesPages = await queryAll(gateway, tables.series.dataSourceId);
  scanning(1);
  const bookPages = await queryAll(gateway, tables.books.dataSourceId);
  scanning(2);

  let bot: Promise<string> | undefined;
  const whoAmI = () => (bot ??= botUserId(gateway));
  await reconcile(tables.series, seriesPages, scan.wanted.series, gateway, dryRun, whoAmI, scan.full);
  const { unkeyed, adoptedFromUser } = await reconcile(tables.books, bookPages, scan.wanted.books, gateway, dryRun, whoAmI, scan.full);

  // The user's own pages (no ASIN) are matched against titles that have no page yet.
  const groups: BatchOperation[][] = [];
  const grouped = new Set<string>();
  const now = nowIso(deps);
  const unmirrored = titles.filter((t) => !mirror.books[t.asin]);
  let adoptedByMatcher = new Map<string, string>();
  let adoptionGroups: { pageId: string; operations: BatchOperation[] }[] = [];
  if (unkeyed.length > 0 && unmirrored.length > 0) {
    const [decisions, conflicts] = await Promise.all([storage.listDecisions(ownerId, { source: 'notion' }).then((page) => page.items), storage.listConflicts(ownerId).then((page) => page.items)]);
    const adoption = planAdoption({
      ownerId,
      pages: unkeyed,
      titles: unmirrored,
      decisions,
      matcher: deps.matcher ?? matcherFactory(),
      knownConflictIds: new Set(conflicts.map((c) => c.id)),
      now,
    });
    result.conflicts = adoption.conflicts;
    const byId = new Map(unkeyed.map((p) => [p.id, p]));
    for (const [pageId, asin] of adoption.adopt) {
      const page = byId.get(pageId)!;
      mirror.books[asin] = tables.books.entryFor(asin, pageId, 'adopted', hashValues(pick(page.values, BOOK_NAMES)));
      adoptedFromUser.push(asin);
      result.books.adopted += 1;
    }
    adoptedByMatcher = adoption.adopt;
    adoptionGroups = adoption.groups;
  }

  // On a page from the user's own tracker, their Status and Progress % are news for the store, not
  // stale values: mark them as in step with the store so push keeps them and the next pull reads them.
  const titleByAsin = new Map(titles.map((t) => [t.asin, t]));
  for (const asin of adoptedFromUser) {
    const title = titleByAsin.get(asin);
    const entry = mirror.books[asin];
    if (!title || !entry) continue;
    const wantedValues = toSchemaShape(bookValues(title, progress.get(asin) ?? null, new Map()), tables.books.statusProperties);
    for (const name of PULLED_PROPERTIES) entry.hashes[name] = hashValue(wantedValues[name]!);
  }
  if (dryRun) return [];

  // Hand edits not pulled yet: without this the push would overwrite them with the store's value.
  const edited = await takeHandEdits(deps, mirror.books, bookPages, new Set(adoptedFromUser));

  // A page adopted by the matcher lands in one batch with its link; the rest, one record each.
  for (const group of adoptionGroups) {
    const asin = adoptedByMatcher.get(group.pageId);
    const entry = asin ? mirror.books[asin] : undefined;
    if (asin && entry) {
      groups.push([...group.operations, putRecordOperation('books', asin, entry, now)]);
      grouped.add(`books:${asin}`);
    } else groups.push(group.operations);
  }
  groups.push(...changedRecordGroups(before, mirror, now, grouped));
  await applyInChunks(storage, ownerId, groups);
  return edited;
}

/**
 * Applies the Status and Progress % a person changed on mirrored pages as listening events from
 * Notion, at the page's last edit, and marks the values seen. Adopted pages are the person's own
 * tracker: what they say was taken in on adoption.
 */
async function takeHandEdits(deps: PushDeps, books: MirrorTable, pages: readonly MirroredPage[], adopted: ReadonlySet<string>): Promise<string[]> {
  const asinByPage = new Map(Object.entries(books).map(([asin, e]) => [e.pageId, asin]));
  const applyEvent = deps.rules?.applyListeningEvent ?? coreRules.applyListeningEvent;
  const edited: string[] = [];
  for (const page of pages) {
    const asin = asinByPage.get(normalisePageId(page.id));
    const entry = asin ? books[asin] : undefined;
    if (!asin || !entry || adopted.has(asin)) continue;
    const edit = handEditFrom(entry, page.values);
    if (!edit) continue;
    try {
      await applyEvent(deps.storage, deps.ownerId, { asin, ...edit, at: page.lastEditedTime, source: 'notion' });
      edited.push(asin);
    } catch (error) {
      // A value core refuses is left for `notion pull` to report; the push goes on.
      if (!(SagaSyncError.isInstance(error) && (error.code === 'not_found' || error.code === 'invalid_input'))) throw error;
    }
    markSeen(entry, page.values);
  }
  return edited;
}

function tableContext(name: MirrorTableName, dbs: NotionDatabases, mirror: MirrorState, result: PushResult, isSynthetic: (key: string) => boolean): TableContext {
  const books = name === 'books';
  return {
    name,
    statusProperties: new Set(dbs.statusProperties?.[name] ?? []),
    dataSourceId: books ? dbs.books.dataSourceId : dbs.series.dataSourceId,
    keyProperty: books ? BOOKS.asin : SERIES.key,
    names: books ? BOOK_NAMES : SERIES_NAMES,
    mirror: books ? mirror.books : mirror.series,
    counts: books ? result.books : result.series,
    normaliseKey: books ? (raw) => raw.trim().toUpperCase() : (raw) => raw.trim(),
    isSynthetic,
    entryFor: (key, pageId, origin, hashes) => ({ pageId, origin, synthetic: isSynthetic(key), hashes }),
  };
}

/** Counts the plans of this call: unchanged keys and planned writes, and on a dry run the writes as done. */
function tally(result: PushResult, seriesPlan: PushPlan, booksPlan: PushPlan): void {
  for (const [plan, table, counts, label] of [
    [seriesPlan, 'series', result.series, 'Series'],
    [booksPlan, 'books', result.books, 'Books'],
  ] as const) {
    counts.unchanged += plan.unchanged[table].length;
    for (const w of plan.writes) {
      if (w.table !== table) continue;
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
  full: boolean,
): Promise<{ unkeyed: MirroredPage[]; adoptedFromUser: string[] }> {
  const byId = new Map(pages.map((p) => [p.id, p]));
  const adoptedFromUser: string[] = [];
  for (const [key, entry] of Object.entries(ctx.mirror)) if (!byId.has(entry.pageId)) delete ctx.mirror[key];
  if (full) for (const entry of Object.values(ctx.mirror)) verifyAgainstPage(ctx, entry, byId.get(entry.pageId)!);
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

/**
 * `full`: what the page holds now replaces what the record says it holds, property by property, so
 * the plan writes whatever differs from the store. A pulled property (Status, Progress %) edited by
 * hand and not pulled yet keeps its record, so the edit reaches the store by `pullFromNotion`
 * instead of being overwritten; emptied, it is written again.
 */
function verifyAgainstPage(ctx: TableContext, entry: MirrorEntry, page: MirroredPage): void {
  const pulled: readonly string[] = ctx.name === 'books' ? PULLED_PROPERTIES : [];
  for (const name of ctx.names) {
    const actual = page.values[name];
    if (!actual) {
      delete entry.hashes[name];
      continue;
    }
    const hash = hashValue(actual);
    if (pulled.includes(name) && entry.hashes[name] !== undefined && entry.hashes[name] !== hash && !isEmptyValue(actual)) continue;
    entry.hashes[name] = hash;
  }
}

/**
 * Step 2 for one table: applies the writes, creates first, then updates, storing each page's
 * record right after its Notion write. Returns why it stopped early, or null when every write was applied.
 */
async function applyWrites(
  deps: PushDeps,
  ctx: TableContext,
  writes: readonly PushWrite[],
  gateway: NotionGateway,
  result: PushResult,
  run: RunState,
  stopReason: () => PushResult['stoppedBy'],
): Promise<PushResult['stoppedBy']> {
  for (const step of ['creating', 'updating'] as const) {
    const batch = writes.filter((w) => (w.kind === 'create') === (step === 'creating'));
    if (batch.length === 0) continue;
    const stop = await applyStep(deps, ctx, step, batch, gateway, result, run, stopReason);
    if (stop) return stop;
  }
  return null;
}

async function applyStep(
  deps: PushDeps,
  ctx: TableContext,
  step: 'creating' | 'updating',
  writes: readonly PushWrite[],
  gateway: NotionGateway,
  result: PushResult,
  run: RunState,
  stopReason: () => PushResult['stoppedBy'],
): Promise<PushResult['stoppedBy']> {
  const total = writes.length;
  let done = 0;
  const report = () => deps.onProgress?.({ phase: ctx.name, step, label: `${ctx.name}: ${step}`, done, total });
  report();
  for (const write of writes) {
    const stop = stopReason();
    if (stop) return stop;
    const before = JSON.stringify(ctx.mirror[write.key] ?? null);
    result.writes += 1;
    try {
      await applyWrite(ctx, write, gateway);
    } catch (error) {
      // A page Notion rejects (validation) is reported and skipped for the rest of the run; anything else stops the push.
      if (!(SagaSyncError.isInstance(error) && error.code === 'invalid_input')) {
        // Keep what is known (a page found gone); the push's own error is the one to report.
        await storeRecord(deps, ctx, write.key, before).catch(() => undefined);
        throw error;
      }
      ctx.counts.failed += 1;
      run.skip.add(`${ctx.name}:${write.key}`);
      result.failures.push({ table: ctx.name, key: write.key, message: error.message });
      logOf(deps).warn('notion push: Notion refused a page', { table: ctx.name, key: write.key, error: error.message });
    }
    await storeRecord(deps, ctx, write.key, before);
    done += 1;
    report();
  }
  return null;
}

/** Stores the record of `key` when the write changed it: a put, or a delete for a page found gone. */
async function storeRecord(deps: PushDeps, ctx: TableContext, key: string, before: string): Promise<void> {
  const entry = ctx.mirror[key];
  if (JSON.stringify(entry ?? null) === before) return;
  const operation = entry ? putRecordOperation(ctx.name, key, entry, nowIso(deps)) : deleteRecordOperation(ctx.name, key);
  await deps.storage.applyBatch(deps.ownerId, [operation]);
}

async function applyWrite(ctx: TableContext, write: PlannedWrite, gateway: NotionGateway): Promise<void> {
  if (write.kind === 'update') {
    try {
      await updatePage(gateway, write.pageId, write.values);
      const entry = ctx.mirror[write.key]!;
      ctx.mirror[write.key] = { ...entry, synthetic: ctx.isSynthetic(write.key), hashes: { ...entry.hashes, ...hashValues(write.values) } };
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

/**
 * Folds the result of a call that continued a run into the previous calls' result, for a caller
 * that loops until `done` and reports once (the CLI): writes, adoptions, failures and requests
 * add up; unchanged and planned counts are those of the first call; the rest is the last call's.
 */
export function mergePushResults(previous: PushResult, next: PushResult): PushResult {
  const add = (a: TableCounts, b: TableCounts): TableCounts => ({
    created: a.created + b.created,
    updated: a.updated + b.updated,
    unchanged: a.unchanged,
    failed: a.failed + b.failed,
    adopted: a.adopted + b.adopted,
    duplicatesTrashed: a.duplicatesTrashed + b.duplicatesTrashed,
  });
  return {
    ...next,
    writes: previous.writes + next.writes,
    series: add(previous.series, next.series),
    books: add(previous.books, next.books),
    planned: previous.planned,
    conflicts: previous.conflicts + next.conflicts,
    failures: [...previous.failures, ...next.failures],
    requests: previous.requests + next.requests,
    retries: previous.retries + next.retries,
    throttled: previous.throttled + next.throttled,
    elapsedMs: previous.elapsedMs + next.elapsedMs,
  };
}
