import type { LibraryRecords } from '../model/library-records.js';
import type { Progress, ProgressReport, ProgressSource } from '../model/progress.js';
import type { Series, SeriesRecord } from '../model/series.js';
import type { SeriesMembership, Title, TitleRecord } from '../model/title.js';
import { TITLE_FIELDS } from '../model/title.js';
import type { BaselineValue } from '../model/store-records.js';
import type { BaselineData, BatchOperation, HistoryData, ProgressData, SeriesData, TitleData } from '../ports/storage.port.js';
import { baselineOf, baselineSourceFor, changedValueFor, displacedBaseline, outranked, saidByRow, sameBaseline, supersededEntry } from '../progress/source-merge.js';
import { applyProgressReport } from '../progress/apply-progress.js';
import { deepEqual, sameMemberships, sameStrings } from './equality.js';
import { mergeMemberships, mergeSeriesRecords, mergeTitleRecords, titleDataFrom } from './merge-records.js';
import { canonicalMemberships, discoverSeriesAliases, isNameKey } from './series-aliases.js';

export type PlanAction = 'create' | 'update' | 'unchanged';

export interface TitleChange {
  action: PlanAction;
  asin: string;
  /** Fields that differ from the stored title; for a create, every field that has a value. */
  changedFields: string[];
  /** The version the plan was made against (null for a create): a concurrent write fails the batch. */
  expectedVersion: number | null;
  value: TitleData;
}

export interface SeriesChange {
  action: PlanAction;
  key: string;
  changedFields: string[];
  expectedVersion: number | null;
  value: SeriesData;
}

export interface ProgressChange {
  action: PlanAction;
  asin: string;
  changedFields: string[];
  expectedVersion: number | null;
  value: ProgressData;
  /** History entries to append, one per change the reports made, oldest first. */
  history: HistoryData[];
  /**
   * Baselines to store: the plan's source's, when the row does not hold it (its report lost, or
   * changed nothing), and the displaced source's, when this change replaces its value.
   */
  baselines: BaselineData[];
}

export interface ActionCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface ChangeSetSummary {
  titles: ActionCounts;
  series: ActionCounts;
  progress: ActionCounts;
}

/** A name-keyed series joined to the ASIN-keyed series it is (see `discoverSeriesAliases`). */
export interface SeriesMerge {
  /** The name key, e.g. `title:the expanse`. */
  alias: string;
  /**
   * The series it stands for; null when the name fits several series and every title that used
   * it said which one it meant: the emptied name-keyed row goes, and no alias is kept.
   */
  into: string | null;
  /** False when the store already had the alias (its row or memberships were left behind). */
  newAlias: boolean;
  /** The stored name-keyed series row to delete, with the version read; null when there is none. */
  expectedVersion: number | null;
}

export interface ChangeSet {
  /** Ordered by ASIN. Titles the records mention, and stored titles whose series were merged. */
  titles: TitleChange[];
  /** Ordered by key. Series the records list or that a membership refers to. */
  series: SeriesChange[];
  /** Ordered by ASIN. Titles with reports and with (or gaining) a progress row. */
  progress: ProgressChange[];
  /** Name-keyed series that turned out to be ASIN-keyed ones, ordered by alias. */
  seriesMerges: SeriesMerge[];
  /** The plan's `now`: when its aliases were found. */
  plannedAt: string;
  /** The source the plan's progress reports came from, as the three-way merge knows it. */
  baselineSource?: string;
  summary: ChangeSetSummary;
  /** Things a person may want to know: merged duplicates, skipped or ignored reports. */
  notes: string[];
}

export interface CurrentState {
  titles: ReadonlyMap<string, Title>;
  series: ReadonlyMap<string, Series>;
  progress: ReadonlyMap<string, Progress>;
  /** Series aliases in force (alias key -> series key). */
  aliases?: ReadonlyMap<string, string>;
  /** What the plan's source last said about each title (by ASIN); see `PlanOptions.baselineSource`. */
  baselines?: ReadonlyMap<string, { value: BaselineValue; observedAt: string }>;
}

export interface PlanOptions {
  /** The time stamped on what changes, and the observation time of reports that carry none. */
  now: string;
  /** The source recorded in progress history. Default `import`. */
  progressSource?: ProgressSource;
  /** The source as the three-way merge knows it (`file`, `audible:<account>`); default from `progressSource`. */
  baselineSource?: string;
  /** Told how many titles are planned, every thousand and at the end: a progress bar for a large import. */
  onProgress?: (done: number, total: number) => void;
}

const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Groups records by a key, folding duplicates in input order; counts how many were folded. */
function fold<T>(items: readonly T[], keyOf: (item: T) => string, merge: (a: T, b: T) => T): { byKey: Map<string, T>; folded: number } {
  const byKey = new Map<string, T>();
  let folded = 0;
  for (const item of items) {
    const key = keyOf(item);
    const previous = byKey.get(key);
    if (previous === undefined) byKey.set(key, item);
    else {
      byKey.set(key, merge(previous, item));
      folded++;
    }
  }
  return { byKey, folded };
}

function titleDiff(next: TitleData, stored: Title): string[] {
  const changed: string[] = [];
  for (const field of TITLE_FIELDS) {
    const a = next[field];
    const b = stored[field];
    if (a === b) continue;
    const same =
      field === 'series'
        ? sameMemberships(next.series, stored.series)
        : field === 'contributors'
          ? deepEqual(a, b)
          : Array.isArray(a) && Array.isArray(b)
            ? sameStrings(a as string[], b as string[])
            : false;
    if (!same) changed.push(field);
  }
  return changed;
}

const setFields = (value: Record<string, unknown>, fields: readonly string[]): string[] =>
  fields.filter((f) => {
    const v = value[f];
    return v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0);
  });

/**
 * One frozen copy of each list of field names a plan uses. Changes repeat a handful of lists (every
 * create of a title with the same fields set), and a plan of 100,000 creates would otherwise hold
 * 100,000 arrays. Frozen because changes share them: treat a change set as read-only.
 */
class FieldLists {
  private readonly lists = new Map<string, string[]>();

  share(fields: string[]): string[] {
    const key = fields.join(',');
    const known = this.lists.get(key);
    if (known !== undefined) return known;
    Object.freeze(fields);
    this.lists.set(key, fields);
    return fields;
  }
}

/** A stored progress row without owner and version; spelled out because rest-spread is slow in hot loops. */
function progressDataOf(p: Progress): ProgressData {
  return {
    asin: p.asin,
    status: p.status,
    percentComplete: p.percentComplete,
    isFinished: p.isFinished,
    startedAt: p.startedAt,
    finishedAt: p.finishedAt,
    lastPositionMs: p.lastPositionMs,
    finishCount: p.finishCount,
    changedAt: p.changedAt ?? null,
    changedBy: p.changedBy ?? null,
    ...(p.changedValue ? { changedValue: p.changedValue } : {}),
    updatedAt: p.updatedAt,
  };
}

const SERIES_FIELDS = ['title', 'asin', 'catalogueComplete'] as const;
const PROGRESS_FIELDS = ['status', 'percentComplete', 'isFinished', 'startedAt', 'finishedAt', 'lastPositionMs', 'finishCount'] as const;

function planTitles(
  records: Map<string, TitleRecord>,
  stored: ReadonlyMap<string, Title>,
  now: string,
  fieldLists: FieldLists,
  canonical: (memberships: readonly SeriesMembership[]) => SeriesMembership[],
  onProgress?: (done: number, total: number) => void,
): TitleChange[] {
  const changes: TitleChange[] = [];
  const total = records.size;
  for (const asin of [...records.keys()].sort(compareKeys)) {
    if (onProgress && changes.length % 1000 === 0) onProgress(changes.length, total);
    const record = records.get(asin)!;
    const current = stored.get(asin);
    const value = titleDataFrom(record, current, now);
    // Memberships move once merged: a file's name-keyed one meets the stored ASIN-keyed one here.
    value.series = canonical(value.series);
    if (!current) {
      changes.push({ action: 'create', asin, changedFields: fieldLists.share(setFields(value, TITLE_FIELDS)), expectedVersion: null, value });
      continue;
    }
    const changedFields = fieldLists.share(titleDiff(value, current));
    // `value` is a fresh object that still carries the stored updatedAt: set it in place.
    if (changedFields.length > 0) value.updatedAt = now;
    changes.push({ action: changedFields.length === 0 ? 'unchanged' : 'update', asin, changedFields, expectedVersion: current.version, value });
  }
  onProgress?.(total, total);
  return changes;
}

function planSeries(seriesRecords: Map<string, SeriesRecord>, titles: readonly TitleChange[], stored: ReadonlyMap<string, Series>, now: string): SeriesChange[] {
  // Series a membership names but no series record describes: created from the membership, never
  // updated from it (a record, or the first membership, is the better source for the title).
  const implied = new Map<string, SeriesRecord>();
  for (const t of titles) {
    for (const m of t.value.series) {
      if (seriesRecords.has(m.seriesKey) || implied.has(m.seriesKey)) continue;
      implied.set(m.seriesKey, { key: m.seriesKey, asin: m.seriesAsin, title: m.seriesTitle, catalogueComplete: false });
    }
  }
  const keys = [...new Set([...seriesRecords.keys(), ...implied.keys()])].sort(compareKeys);
  const changes: SeriesChange[] = [];
  for (const key of keys) {
    const current = stored.get(key);
    const record = seriesRecords.get(key);
    if (!current) {
      const r = (record ?? implied.get(key))!;
      const value: SeriesData = { key, asin: r.asin, title: r.title, catalogueComplete: r.catalogueComplete, createdAt: now, updatedAt: now };
      changes.push({ action: 'create', key, changedFields: setFields(value, SERIES_FIELDS), expectedVersion: null, value });
      continue;
    }
    const base: SeriesData = { key, asin: current.asin, title: current.title, catalogueComplete: current.catalogueComplete, createdAt: current.createdAt, updatedAt: current.updatedAt };
    const value: SeriesData = record
      ? { ...base, title: record.title, asin: record.asin ?? current.asin, catalogueComplete: current.catalogueComplete || record.catalogueComplete }
      : base;
    const changedFields = SERIES_FIELDS.filter((f) => value[f] !== current[f]);
    if (changedFields.length === 0) changes.push({ action: 'unchanged', key, changedFields, expectedVersion: current.version, value });
    else changes.push({ action: 'update', key, changedFields, expectedVersion: current.version, value: { ...value, updatedAt: now } });
  }
  return changes;
}

const NO_FIELDS: string[] = Object.freeze([]) as unknown as string[];
const NO_BASELINES: BaselineData[] = Object.freeze([]) as unknown as BaselineData[];

function planProgress(
  reports: readonly ProgressReport[],
  knownTitle: (asin: string) => boolean,
  stored: ReadonlyMap<string, Progress>,
  baselines: CurrentState['baselines'],
  options: PlanOptions,
  notes: string[],
  fieldLists: FieldLists,
): ProgressChange[] {
  // Most titles have one report: it is kept as is, and only a second one makes a list.
  const byAsin = new Map<string, ProgressReport | ProgressReport[]>();
  const unknown = new Set<string>();
  for (const report of reports) {
    if (!knownTitle(report.asin)) {
      unknown.add(report.asin);
      continue;
    }
    const known = byAsin.get(report.asin);
    if (known === undefined) byAsin.set(report.asin, report);
    else if (Array.isArray(known)) known.push(report);
    else byAsin.set(report.asin, [known, report]);
  }
  if (unknown.size > 0) notes.push(`${unknown.size} progress report(s) skipped: no such title (${[...unknown].sort(compareKeys).slice(0, 5).join(', ')}${unknown.size > 5 ? ', …' : ''})`);

  const historySource = options.progressSource ?? 'import';
  const source = options.baselineSource ?? baselineSourceFor(historySource);
  const ctx = { source: historySource, now: options.now, changeSource: source };
  const changes: ProgressChange[] = [];
  let ignored = 0;
  let unchangedSince = 0;
  let outrankedCount = 0;
  for (const asin of [...byAsin.keys()].sort(compareKeys)) {
    const current = stored.get(asin) ?? null;
    const known = byAsin.get(asin)!;
    const reportsFor = Array.isArray(known) ? inTimeOrder(datedTogether(known)) : [known];
    const unchanged = (history: HistoryData[], written: BaselineData[]): ProgressChange => ({
      action: 'unchanged', asin, changedFields: NO_FIELDS, expectedVersion: current!.version, value: progressDataOf(current!), history, baselines: written,
    });

    // Three-way: a source that says what it said last time changes nothing, whatever happened
    // since. What it said last is on the row while it set the value, else a stored baseline.
    const latestReport = reportsFor[reportsFor.length - 1]!;
    const said = baselineOf(latestReport);
    const storedSaid = baselines?.get(asin);
    const onRow = current?.changedBy === source ? saidByRow(current) : undefined;
    if ((onRow && sameBaseline(onRow, said)) || (storedSaid !== undefined && sameBaseline(storedSaid.value, said))) {
      unchangedSince++;
      if (current !== null) changes.push(unchanged([], NO_BASELINES));
      continue;
    }
    const eventAt = latestReport.observedAt ?? options.now;
    const own: BaselineData = { asin, source, value: said, observedAt: eventAt };
    // A report without its own time is what the source says now: the newest knowledge there is.
    if (current !== null && latestReport.observedAt !== undefined && outranked(current, source, eventAt)) {
      // Another source changed the title later: that stays, and this value goes into the history.
      outrankedCount++;
      changes.push(unchanged([supersededEntry(current, latestReport, historySource, eventAt)], [own]));
      continue;
    }

    // Reports for one title apply in time order, each against the result of the previous. Several
    // reports can disagree (a finish and a re-listen at one instant); passes repeat until nothing
    // changes, so the planned state is a fixed point and re-planning the same records changes
    // nothing. Each pass that changes something moves the title's last event forward, so this ends.
    let state: Progress | null = current;
    let changedData: ProgressData | null = null;
    let history: HistoryData[] = [];
    for (let pass = 0; pass <= reportsFor.length; pass++) {
      let changed = false;
      for (const report of reportsFor) {
        const out = applyProgressReport(state, report, ctx);
        if (pass === 0 && out.ignoredRegression) ignored++;
        if (out.next === null) continue;
        changed = true;
        changedData = out.next;
        history = history.length === 0 ? out.history : history.concat(out.history);
        if (reportsFor.length > 1) state = { ...out.next, ownerId: current?.ownerId ?? '', version: current?.version ?? 0 };
      }
      if (!changed || reportsFor.length === 1) break;
    }
    if (reportsFor.length > 1 && history.length > 1) history = uniqueById(history);
    // The row keeps what the source said last (its latest report), for its next import to compare,
    // where its own fields do not say it already.
    if (changedData) {
      const value = changedValueFor(latestReport, changedData);
      if (value === undefined) delete changedData.changedValue;
      else changedData.changedValue = value;
    }
    if (current === null) {
      if (changedData) changes.push({ action: 'create', asin, changedFields: fieldLists.share(PROGRESS_FIELDS.slice()), expectedVersion: null, value: changedData, history, baselines: NO_BASELINES });
      continue;
    }
    const changedFields = fieldLists.share(changedData ? PROGRESS_FIELDS.filter((f) => changedData[f] !== current[f]) : []);
    if (!changedData || changedFields.length === 0) {
      // Nothing changed, but the source said something new: remember it.
      changes.push(unchanged([], [own]));
      continue;
    }
    const written: BaselineData[] = [];
    const displaced = displacedBaseline(current, source);
    if (displaced) written.push(displaced);
    // A stored baseline of this source is older than what the row now holds: replace it.
    if (storedSaid !== undefined) written.push(own);
    changes.push({ action: 'update', asin, changedFields, expectedVersion: current.version, value: changedData, history, baselines: written });
  }
  if (unchangedSince > 0) notes.push(`${unchangedSince} progress report(s) unchanged since this source's last import: left as they are`);
  if (outrankedCount > 0) notes.push(`${outrankedCount} progress change(s) kept in the history only: another source changed the title later`);
  if (ignored > 0) notes.push(`${ignored} progress report(s) ignored: a finished title was reported unfinished (no re-listen detected)`);
  return changes;
}

/**
 * Among several reports for one title, those without an observation time are taken to be as
 * recent as the newest dated one. Left at "now" they would count as newer than everything on every
 * later run, and replaying the same file would finish (or restart) the title again each time.
 */
function datedTogether(reports: ProgressReport[]): ProgressReport[] {
  if (reports.length < 2) return reports;
  let newest: string | undefined;
  for (const r of reports) if (r.observedAt !== undefined && (newest === undefined || Date.parse(r.observedAt) > Date.parse(newest))) newest = r.observedAt;
  if (newest === undefined) return reports;
  return reports.map((r) => (r.observedAt === undefined ? { ...r, observedAt: newest } : r));
}

function uniqueById(entries: HistoryData[]): HistoryData[] {
  const seen = new Set<string>();
  return entries.filter((e) => !seen.has(e.id) && seen.add(e.id) !== undefined);
}

/** Stable sort by observation time; reports without one keep their place after dated ones. */
function inTimeOrder(reports: ProgressReport[]): ProgressReport[] {
  if (reports.length < 2) return reports;
  const time = (r: ProgressReport) => (r.observedAt === undefined ? Infinity : Date.parse(r.observedAt));
  return reports
    .map((report, index) => ({ report, index, t: time(report) }))
    .sort((a, b) => a.t - b.t || a.index - b.index)
    .map((x) => x.report);
}

function count(changes: readonly { action: PlanAction }[]): ActionCounts {
  const counts: ActionCounts = { created: 0, updated: 0, unchanged: 0 };
  for (const c of changes) {
    if (c.action === 'create') counts.created++;
    else if (c.action === 'update') counts.updated++;
    else counts.unchanged++;
  }
  return counts;
}

/**
 * Plans an import: what creating, updating or leaving alone each title, series and progress row
 * the records mention would do to the current state. Pure and deterministic (output ordered by
 * ASIN and key); planning the same records against the result of applying the plan gives only
 * `unchanged`. Merge rules:
 * - duplicate ASINs (and series keys) within the records fold together in input order;
 * - optional fields a record leaves undefined or null keep the stored value: a source that does
 *   not know never clears data; empty author or narrator lists count as unknown too;
 * - `owned` is sticky: a synthetic record never downgrades an owned title;
 * - memberships merge by series key (incoming replaces the same key, others are kept);
 * - a membership whose series nothing describes creates that series (catalogue not complete);
 *   a series record with `catalogueComplete` upgrades it, and it never downgrades;
 * - `createdAt` is kept; `updatedAt` moves to `now` only when something changed;
 * - progress reports apply in order through `applyProgressReport`; reports for titles that neither
 *   the records nor the store know are skipped with a note.
 */
export function planImport(records: LibraryRecords, current: CurrentState, options: PlanOptions): ChangeSet {
  const notes: string[] = [];
  const folded = fold(records.titles, (t) => t.asin, mergeTitleRecords);
  if (folded.folded > 0) notes.push(`${folded.folded} duplicate title record(s) merged by ASIN`);
  const seriesRecords = fold(records.series, (s) => s.key, mergeSeriesRecords);
  if (seriesRecords.folded > 0) notes.push(`${seriesRecords.folded} duplicate series record(s) merged by key`);

  const discovery = discoverSeriesAliases({
    memberships: plannedMemberships(folded.byKey, current.titles),
    seriesTitles: plannedSeriesTitles(seriesRecords.byKey, current.series),
    seriesRecords: [...seriesRecords.byKey.values()],
    storedAliases: current.aliases ?? new Map(),
  });
  const { aliases } = discovery;
  const seriesInfo = new Map<string, { asin: string | null; title: string }>();
  for (const s of current.series.values()) seriesInfo.set(s.key, s);
  for (const s of seriesRecords.byKey.values()) if (!aliases.has(s.key)) seriesInfo.set(s.key, s);
  for (const t of folded.byKey.values()) for (const m of t.series) if (!seriesInfo.has(m.seriesKey)) seriesInfo.set(m.seriesKey, { asin: m.seriesAsin, title: m.seriesTitle });
  const canonical = (memberships: readonly SeriesMembership[]) => canonicalMemberships(memberships, aliases, (key) => seriesInfo.get(key), discovery.hasName);

  const titleRecords = { byKey: folded.byKey };
  if (aliases.size > 0) {
    for (const [key, s] of [...seriesRecords.byKey]) {
      const into = aliases.get(key);
      if (into === undefined) continue;
      seriesRecords.byKey.delete(key);
      const info = seriesInfo.get(into);
      const moved = { key: into, asin: info?.asin ?? into, title: info?.title ?? s.title, catalogueComplete: s.catalogueComplete };
      const known = seriesRecords.byKey.get(into);
      seriesRecords.byKey.set(into, known === undefined ? moved : { ...known, catalogueComplete: known.catalogueComplete || s.catalogueComplete });
    }
    // A stored name-keyed row that knew its whole catalogue passes that on as it goes.
    for (const [alias, into] of aliases) {
      if (!current.series.get(alias)?.catalogueComplete) continue;
      const known = seriesRecords.byKey.get(into);
      const info = seriesInfo.get(into);
      if (known !== undefined) seriesRecords.byKey.set(into, { ...known, catalogueComplete: true });
      else if (info !== undefined) seriesRecords.byKey.set(into, { key: into, asin: info.asin ?? into, title: info.title, catalogueComplete: true });
    }
  }

  // Stored titles the records do not mention still move out of a merged series.
  for (const title of current.titles.values()) {
    if (titleRecords.byKey.has(title.asin) || canonical(title.series) === title.series) continue;
    titleRecords.byKey.set(title.asin, { asin: title.asin, title: title.title, authors: [], narrators: [], owned: false, series: [] });
  }

  const fieldLists = new FieldLists();
  const titles = planTitles(titleRecords.byKey, current.titles, options.now, fieldLists, canonical, options.onProgress);
  // A name-keyed series a file describes but that none of its titles is in any more (each said
  // which same-named Audible series it meant) is not created.
  const used = new Set<string>();
  for (const c of titles) for (const m of c.value.series) used.add(m.seriesKey);
  for (const key of [...seriesRecords.byKey.keys()]) if (isNameKey(key) && !current.series.has(key) && !used.has(key)) seriesRecords.byKey.delete(key);
  const series = planSeries(seriesRecords.byKey, titles, current.series, options.now);
  const progress = planProgress(records.progress, (asin) => titleRecords.byKey.has(asin) || current.titles.has(asin), current.progress, current.baselines, options, notes, fieldLists);
  const seriesMerges = planSeriesMerges(discovery.created, aliases, current, emptiedNameSeries(titles, current, aliases).filter((key) => !seriesRecords.byKey.has(key)));
  if (discovery.created.length > 0) {
    const names = discovery.created.map((a) => seriesInfo.get(a.seriesKey)?.title ?? a.seriesKey);
    notes.push(`${names.length} series named only by title joined the Audible series of the same name: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`);
  }
  if (discovery.ambiguous.length > 0) notes.push(`kept apart, the name fits several series: ${discovery.ambiguous.slice(0, 5).join(', ')}${discovery.ambiguous.length > 5 ? ', …' : ''}`);

  return {
    titles,
    series,
    progress,
    seriesMerges,
    plannedAt: options.now,
    baselineSource: options.baselineSource ?? baselineSourceFor(options.progressSource ?? 'import'),
    summary: { titles: count(titles), series: count(series), progress: count(progress) },
    notes,
  };
}

/** Each title's memberships once the records are merged in, before aliases move them. */
function* plannedMemberships(records: ReadonlyMap<string, TitleRecord>, stored: ReadonlyMap<string, Title>): Generator<readonly SeriesMembership[]> {
  for (const [asin, record] of records) yield mergeMemberships(stored.get(asin)?.series ?? [], record.series);
  for (const [asin, title] of stored) if (!records.has(asin)) yield title.series;
}

/** Each series row's title after the plan: a record's, else the stored one. */
function plannedSeriesTitles(records: ReadonlyMap<string, SeriesRecord>, stored: ReadonlyMap<string, Series>): Map<string, string> {
  const titles = new Map<string, string>();
  for (const [key, s] of stored) titles.set(key, s.title);
  for (const [key, s] of records) titles.set(key, s.title);
  return titles;
}

/**
 * Stored name-keyed series that the plan's titles left and no other title uses any more: every
 * title in them was folded into the ASIN-keyed series it belongs to. Only knowable when the state
 * holds every title of such a series; the import reads them before it commits (see importLibrary).
 */
function emptiedNameSeries(titles: readonly TitleChange[], current: CurrentState, aliases: ReadonlyMap<string, string>): string[] {
  const left = new Set<string>();
  for (const c of titles) {
    if (c.action !== 'update') continue;
    for (const m of current.titles.get(c.asin)?.series ?? []) {
      if (isNameKey(m.seriesKey) && !aliases.has(m.seriesKey) && current.series.has(m.seriesKey) && !c.value.series.some((x) => x.seriesKey === m.seriesKey)) left.add(m.seriesKey);
    }
  }
  if (left.size === 0) return [];
  const planned = new Set(titles.map((c) => c.asin));
  for (const c of titles) for (const m of c.value.series) left.delete(m.seriesKey);
  for (const t of current.titles.values()) if (!planned.has(t.asin)) for (const m of t.series) left.delete(m.seriesKey);
  return [...left];
}

/** New aliases to record, and name-keyed series rows (new, left behind or emptied) to delete. */
function planSeriesMerges(
  created: readonly { alias: string; seriesKey: string }[],
  aliases: ReadonlyMap<string, string>,
  current: CurrentState,
  emptied: readonly string[],
): SeriesMerge[] {
  const merges = new Map<string, SeriesMerge>();
  for (const key of emptied) merges.set(key, { alias: key, into: null, newAlias: false, expectedVersion: current.series.get(key)!.version });
  for (const a of created) merges.set(a.alias, { alias: a.alias, into: a.seriesKey, newAlias: true, expectedVersion: current.series.get(a.alias)?.version ?? null });
  for (const [alias, into] of aliases) {
    const row = current.series.get(alias);
    if (row !== undefined && !merges.has(alias)) merges.set(alias, { alias, into, newAlias: false, expectedVersion: row.version });
  }
  return [...merges.values()].sort((a, b) => compareKeys(a.alias, b.alias));
}

/** True when applying the change set would write nothing. */
export function isEmptyChangeSet(changeSet: ChangeSet): boolean {
  const { titles, series, progress } = changeSet.summary;
  const merges = changeSet.seriesMerges.filter((m) => m.newAlias || m.expectedVersion !== null).length;
  const records = changeSet.progress.filter((c) => c.action === 'unchanged' && (c.history.length > 0 || c.baselines.length > 0)).length;
  return records + titles.created + titles.updated + series.created + series.updated + progress.created + progress.updated + merges === 0;
}

/**
 * The store writes a change set needs: series, then titles, then progress with its history. Only
 * creates and updates, each guarded by the version it was planned against.
 */
export function changeSetToOperations(changeSet: ChangeSet): BatchOperation[] {
  const operations: BatchOperation[] = [];
  for (const group of changeSetToOperationGroups(changeSet)) for (const operation of group) operations.push(operation);
  return operations;
}

/**
 * The change set's writes as groups that must land in one batch: each series and title alone, a
 * progress row with its history entries (written apart, a rerun would see the progress and never
 * write the history). Series first, so a title never names a series the store has not got.
 */
export function* changeSetToOperationGroups(changeSet: ChangeSet): Generator<BatchOperation[]> {
  for (const c of changeSet.series) if (c.action !== 'unchanged') yield [{ op: 'putSeries', value: c.value, expectedVersion: c.expectedVersion }];
  // Progress before titles: an adapter that keeps a title's status beside it (for lists by status)
  // then writes a new title once, with its status, instead of writing it again for its progress.
  for (const c of changeSet.progress) {
    if (c.action === 'unchanged' && c.history.length === 0 && c.baselines.length === 0) continue;
    // The baseline lands with the change it explains, or alone (with the value that lost).
    const group: BatchOperation[] = c.action === 'unchanged' ? [] : [{ op: 'putProgress', value: c.value, expectedVersion: c.expectedVersion }];
    for (const h of c.history) group.push({ op: 'appendHistory', value: h });
    for (const b of c.baselines) group.push({ op: 'putBaseline', value: b });
    yield group;
  }
  for (const c of changeSet.titles) if (c.action !== 'unchanged') yield [{ op: 'putTitle', value: c.value, expectedVersion: c.expectedVersion }];
  // Last: the name-keyed row goes only once no title names it any more.
  for (const m of changeSet.seriesMerges) {
    const group: BatchOperation[] = [];
    if (m.newAlias && m.into !== null) group.push({ op: 'putSeriesAlias', value: { alias: m.alias, seriesKey: m.into, createdAt: changeSet.plannedAt } });
    if (m.expectedVersion !== null) group.push({ op: 'deleteSeries', key: m.alias, expectedVersion: m.expectedVersion });
    if (group.length > 0) yield group;
  }
}

/**
 * The state a store would hold after applying the change set: what a preview can show, and what
 * the planner's invariants are tested against. Versions advance as a store's would.
 */
export function applyChangeSetToState(state: CurrentState, changeSet: ChangeSet, ownerId: string): CurrentState {
  const titles = new Map(state.titles);
  const series = new Map(state.series);
  const progress = new Map(state.progress);
  for (const c of changeSet.titles) if (c.action !== 'unchanged') titles.set(c.asin, { ...c.value, ownerId, version: (c.expectedVersion ?? 0) + 1 });
  for (const c of changeSet.series) if (c.action !== 'unchanged') series.set(c.key, { ...c.value, ownerId, version: (c.expectedVersion ?? 0) + 1 });
  for (const c of changeSet.progress) if (c.action !== 'unchanged') progress.set(c.asin, { ...c.value, ownerId, version: (c.expectedVersion ?? 0) + 1 });
  const baselines = new Map(state.baselines ?? []);
  // One source per plan: the state keeps the baselines of the plan's source only.
  for (const c of changeSet.progress) for (const b of c.baselines) if (b.source === (changeSet.baselineSource ?? b.source)) baselines.set(c.asin, { value: b.value, observedAt: b.observedAt });
  const aliases = new Map(state.aliases ?? []);
  for (const m of changeSet.seriesMerges) {
    if (m.into !== null) aliases.set(m.alias, m.into);
    series.delete(m.alias);
  }
  return { titles, series, progress, aliases, baselines };
}
