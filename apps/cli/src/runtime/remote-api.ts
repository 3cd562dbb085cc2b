import { randomUUID } from 'node:crypto';
import { ErrorBodySchema, IMPORT_ANSWER_MAX_CHANGES, ImportAnswerSchema, JobSchema, type ImportAnswer } from '@sagasync/api';
import { normaliseSeriesTitle, type LibraryRecords, type ProgressReport, type SeriesRecord, type TitleRecord } from '@sagasync/core';
import type * as z from 'zod';
import { CliError, EXIT } from './env.js';

/** Pages stay this small at first: well under the server's 10 MB default body limit. */
export const DEFAULT_PAGE_BYTES = 4 * 1024 * 1024;

export interface RemoteOptions {
  commit: boolean;
  source: string;
  /** `SAGASYNC_API_TOKEN`: sent as a bearer token. */
  token?: string;
  /** How long to follow a job the API answered with. Default 10 minutes. */
  jobTimeoutMs?: number;
  /** Between two looks at the job. Default 1 s. */
  pollMs?: number;
  /** The largest body sent, in bytes, until a 413 says the server takes less. Default 4 MiB. */
  pageBytes?: number;
  /** Retries of a request after a lost connection, a 502, 503 or 504, or a 409 while its first try still runs. Default 5. */
  retries?: number;
  /** The wait before the first retry, doubled for each next one. Default 500 ms. */
  retryDelayMs?: number;
  /** Told before each page is sent: its number, the pages known so far (a 413 makes more), and its titles. */
  onPage?: (page: { page: number; pages: number; titles: number }) => void;
}

/** The answers of every page as one, as a single request would have answered. */
export interface RemoteImportAnswer extends ImportAnswer {
  /** How many requests the records went in (1 for a library under the page size). */
  pages: number;
  /** The sync runs the pages' commits wrote, in order (`runId` is the last). */
  runIds: string[];
}

/**
 * Sends parsed records to a SagaSync API (`POST /api/import`; a bare server URL gets that path),
 * as the original SagaSync's importer did. The API plans and applies them itself; a large commit
 * comes back as a job, which is followed until it finishes. Answers are checked against the API's
 * own schemas.
 *
 * A library larger than a page (`pageBytes`, 4 MiB) goes in several requests, one after the other,
 * each page's job followed before the next is sent (see `pageImportRecords` for how records are
 * grouped so that the pages together do what one request would). Each committed page carries its
 * own `Idempotency-Key`, so a page retried after a lost answer is not applied twice. A 413 (the
 * server's SAGASYNC_BODY_LIMIT is smaller) halves the page and sends the rest again in smaller
 * pages. The pages' answers are merged into one.
 */
export async function postImport(url: string, records: LibraryRecords, options: RemoteOptions): Promise<RemoteImportAnswer> {
  const target = importUrl(url);
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  // What a body holds besides its records.
  const envelope = byteLength(JSON.stringify({ commit: options.commit, source: options.source, records: null })) - 'null'.length;
  let pages = pageImportRecords(records, (options.pageBytes ?? DEFAULT_PAGE_BYTES) - envelope);
  const run = randomUUID();
  let keys = 0;
  const merged = answerMerger();
  while (pages.length > 0) {
    const page = pages[0]!;
    const body = JSON.stringify({ commit: options.commit, source: options.source, records: page });
    options.onPage?.({ page: merged.pages + 1, pages: merged.pages + pages.length, titles: page.titles.length });
    // A preview writes nothing, so it needs no key (and a key would be a record written).
    const key = options.commit ? `sagasync-import-${run}-${++keys}` : null;
    let answer: ImportAnswer;
    try {
      answer = await sendPage(target, headers, body, key, options);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        // Nothing of this page was read: the rest goes again in pages half this one's size.
        const size = byteLength(body);
        const smaller = pageImportRecords(concatRecords(pages), Math.floor(size / 2) - envelope);
        if (byteLength(JSON.stringify(smaller[0])) + envelope >= size) {
          throw pagesNote(
            new CliError(`the API at ${target.origin} refuses a body of ${size.toLocaleString('en-US')} bytes (413), and the records of one title cannot be split`, {
              hint: 'raise the server\'s SAGASYNC_BODY_LIMIT',
            }),
            merged.pages,
            options.commit,
          );
        }
        pages = smaller;
        continue;
      }
      throw pagesNote(error, merged.pages, options.commit);
    }
    merged.add(answer, page);
    pages.shift();
  }
  return merged.result();
}

/** One page's request, its job followed to the end; the page's answer. */
async function sendPage(target: URL, baseHeaders: Record<string, string>, body: string, key: string | null, options: RemoteOptions): Promise<ImportAnswer> {
  const headers = key ? { ...baseHeaders, 'idempotency-key': key } : baseHeaders;
  const first = await call(target, { method: 'POST', headers, body }, options);
  if (first.status !== 202) return expectShape(ImportAnswerSchema, first.body, target);
  let job = expectShape(JobSchema, first.body, target);
  const deadline = Date.now() + (options.jobTimeoutMs ?? 600_000);
  const jobUrl = new URL(`/api/jobs/${encodeURIComponent(job.id)}`, target);
  while (job.state === 'running') {
    if (Date.now() > deadline) throw new CliError(`the import job ${job.id} is still running at ${target.origin}`, { hint: `look at it later: GET ${jobUrl.pathname}` });
    await sleep(options.pollMs ?? 1000);
    job = expectShape(JobSchema, (await call(jobUrl, { method: 'GET', headers: baseHeaders }, options)).body, jobUrl);
  }
  if (job.state === 'failed') throw new CliError(`the API's import job failed: ${job.error?.message ?? 'unknown error'}`);
  return expectShape(ImportAnswerSchema, job.result, jobUrl);
}

/** An error of a paged import, saying which pages were committed before it. */
function pagesNote(error: unknown, sent: number, commit: boolean): unknown {
  if (!(error instanceof CliError) || sent === 0 || !commit) return error;
  const done = `the first ${sent} page${sent === 1 ? ' was' : 's were'} committed; run the same command again to send the rest (what is there already stays unchanged)`;
  return new CliError(error.message, { exitCode: error.exitCode, hint: error.hint ? `${error.hint}; ${done}` : done, cause: error });
}

// ---- Paging ----------------------------------------------------------------------------------

const NAME_KEY = 'title:';
const isNameKey = (key: string) => key.startsWith(NAME_KEY);
const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');
/** A record's share of a body: its JSON and a comma. */
const sizeOf = (value: unknown) => byteLength(JSON.stringify(value)) + 1;
const EMPTY_RECORDS_BYTES = byteLength(JSON.stringify({ titles: [], series: [], progress: [] }));
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The normalised name a series goes by, as core's alias rule compares them; null for none. */
function seriesName(key: string, title: string): string | null {
  if (isNameKey(key)) return key.slice(NAME_KEY.length);
  const name = normaliseSeriesTitle(title);
  return name === '' ? null : name;
}

/** Every record of one ASIN: its title records and progress reports, in input order. */
interface Unit {
  asin: string;
  titles: TitleRecord[];
  progress: ProgressReport[];
  bytes: number;
}

/** Every series record of one key, in input order. */
interface SeriesGroup {
  key: string;
  records: SeriesRecord[];
  bytes: number;
}

/** Titles and series that belong in one page: see `pageImportRecords`. */
interface Component {
  units: Unit[];
  series: SeriesGroup[];
  bytes: number;
}

/** Union-find over node names. */
function disjointSets() {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = parent.get(x) ?? x;
    if (root === x) {
      parent.set(x, x);
      return x;
    }
    root = find(root);
    parent.set(x, root);
    return root;
  };
  const union = (a: string, b: string) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(rb, ra);
  };
  return { find, union };
}

/**
 * Splits records into pages whose JSON stays within `maxBytes`, such that importing the pages one
 * after the other leaves the store as importing all the records at once does. Core's import plans
 * one request against the store as it is, so a page must not depend on records of a later page:
 * - every record of one ASIN (duplicate title records fold in order; several progress reports of
 *   a title apply in time order) and the title's progress go together: a progress report whose
 *   title is neither in its page nor in the store is skipped ("no such title");
 * - a title goes with the series records of its series: sent apart, the first page would create
 *   the series from the membership alone (catalogue not complete, the membership's title), and a
 *   name-keyed series record sent without its titles is dropped;
 * - series that may be one series (a key, or a normalised name: an export's `title:<name>` series
 *   and the Audible series of that name) go together, so that core finds the same aliases;
 * so titles, series and progress that share a series form one group, and pages are whole groups
 * in ASIN order. A group larger than a page (one huge series) is split by ASIN, each part with
 * the series records its titles name, relying on the store for what an earlier part wrote
 * (aliases found then are found again from the store, as a later import finds them).
 * Records of a library within `maxBytes` go unchanged, as one page.
 */
export function pageImportRecords(records: LibraryRecords, maxBytes: number): LibraryRecords[] {
  if (byteLength(JSON.stringify(records)) <= maxBytes) return [records];

  const units = new Map<string, Unit>();
  const unitOf = (asin: string) => {
    let unit = units.get(asin);
    if (!unit) units.set(asin, (unit = { asin, titles: [], progress: [], bytes: 0 }));
    return unit;
  };
  for (const t of records.titles) {
    const unit = unitOf(t.asin);
    unit.titles.push(t);
    unit.bytes += sizeOf(t);
  }
  for (const p of records.progress) {
    const unit = unitOf(p.asin);
    unit.progress.push(p);
    unit.bytes += sizeOf(p);
  }
  const groups = new Map<string, SeriesGroup>();
  for (const s of records.series) {
    let group = groups.get(s.key);
    if (!group) groups.set(s.key, (group = { key: s.key, records: [], bytes: 0 }));
    group.records.push(s);
    group.bytes += sizeOf(s);
  }

  const sets = disjointSets();
  for (const unit of units.values()) {
    sets.find(`u:${unit.asin}`);
    for (const t of unit.titles) {
      for (const m of t.series) {
        sets.union(`u:${unit.asin}`, `s:${m.seriesKey}`);
        const name = seriesName(m.seriesKey, m.seriesTitle);
        if (name !== null) sets.union(`s:${m.seriesKey}`, `n:${name}`);
      }
    }
  }
  for (const group of groups.values()) {
    sets.find(`s:${group.key}`);
    for (const s of group.records) {
      const name = seriesName(s.key, s.title);
      if (name !== null) sets.union(`s:${group.key}`, `n:${name}`);
    }
  }

  const components = new Map<string, Component & { first: string }>();
  const componentOf = (node: string, first: string) => {
    const root = sets.find(node);
    let component = components.get(root);
    if (!component) components.set(root, (component = { units: [], series: [], bytes: 0, first }));
    return component;
  };
  // Series-only groups first (keyed ''), then by their first ASIN: the order core plans titles in.
  for (const key of [...groups.keys()].sort(compare)) {
    const component = componentOf(`s:${key}`, '');
    component.series.push(groups.get(key)!);
    component.bytes += groups.get(key)!.bytes;
  }
  for (const asin of [...units.keys()].sort(compare)) {
    const component = componentOf(`u:${asin}`, asin);
    if (component.units.length === 0) component.first = asin;
    component.units.push(units.get(asin)!);
    component.bytes += units.get(asin)!.bytes;
  }
  const ordered = [...components.values()].sort((a, b) => compare(a.first, b.first));

  const pages: LibraryRecords[] = [];
  let page = emptyRecords();
  let bytes = EMPTY_RECORDS_BYTES;
  const flush = () => {
    if (page.titles.length + page.series.length + page.progress.length > 0) pages.push(page);
    page = emptyRecords();
    bytes = EMPTY_RECORDS_BYTES;
  };
  for (const component of ordered) {
    if (EMPTY_RECORDS_BYTES + component.bytes > maxBytes) {
      flush();
      pages.push(...splitComponent(component, maxBytes));
      continue;
    }
    if (bytes + component.bytes > maxBytes) flush();
    addTo(page, component.units, component.series);
    bytes += component.bytes;
  }
  flush();
  return pages.length > 0 ? pages : [emptyRecords()];
}

/** A group larger than a page, by ASIN, each part with the series records its titles name. */
function splitComponent(component: Component, maxBytes: number): LibraryRecords[] {
  const byKey = new Map(component.series.map((g) => [g.key, g]));
  const byName = new Map<string, SeriesGroup[]>();
  for (const group of component.series) {
    for (const s of group.records) {
      const name = seriesName(s.key, s.title);
      if (name === null) continue;
      const list = byName.get(name) ?? [];
      if (!list.includes(group)) list.push(group);
      byName.set(name, list);
    }
  }
  /** The series records a unit's titles name, by key or by the name of a name-keyed series. */
  const named = (unit: Unit): SeriesGroup[] => {
    const out = new Set<SeriesGroup>();
    for (const t of unit.titles) {
      for (const m of t.series) {
        const group = byKey.get(m.seriesKey);
        if (group) out.add(group);
        const name = seriesName(m.seriesKey, m.seriesTitle);
        for (const g of name === null ? [] : (byName.get(name) ?? [])) out.add(g);
      }
    }
    return [...out];
  };
  const used = new Set<SeriesGroup>(component.units.flatMap(named));
  const parts: LibraryRecords[] = [];
  let units: Unit[] = [];
  // Series no title of the group names go with the first part.
  let series = new Set<SeriesGroup>(component.series.filter((g) => !used.has(g)));
  let bytes = EMPTY_RECORDS_BYTES + [...series].reduce((sum, g) => sum + g.bytes, 0);
  for (const unit of component.units) {
    const extra = named(unit).filter((g) => !series.has(g));
    const more = unit.bytes + extra.reduce((sum, g) => sum + g.bytes, 0);
    if (units.length > 0 && bytes + more > maxBytes) {
      parts.push(addTo(emptyRecords(), units, [...series]));
      units = [];
      series = new Set();
      bytes = EMPTY_RECORDS_BYTES;
      const all = named(unit);
      units.push(unit);
      for (const g of all) series.add(g);
      bytes += unit.bytes + all.reduce((sum, g) => sum + g.bytes, 0);
      continue;
    }
    units.push(unit);
    for (const g of extra) series.add(g);
    bytes += more;
  }
  if (units.length > 0 || series.size > 0) parts.push(addTo(emptyRecords(), units, [...series]));
  return parts;
}

function emptyRecords(): LibraryRecords {
  return { titles: [], series: [], progress: [] };
}

function addTo(page: LibraryRecords, units: readonly Unit[], series: readonly SeriesGroup[]): LibraryRecords {
  for (const group of series) page.series.push(...group.records);
  for (const unit of units) {
    page.titles.push(...unit.titles);
    page.progress.push(...unit.progress);
  }
  return page;
}

/** Pages back into one set of records; a series record repeated across parts of a group once. */
function concatRecords(pages: readonly LibraryRecords[]): LibraryRecords {
  const out = emptyRecords();
  const seen = new Set<string>();
  for (const page of pages) {
    out.titles.push(...page.titles);
    out.progress.push(...page.progress);
    for (const s of page.series) {
      const text = JSON.stringify(s);
      if (!seen.has(text)) out.series.push(s);
      seen.add(text);
    }
  }
  return out;
}

// ---- Merging the answers ---------------------------------------------------------------------

type Counts = ImportAnswer['summary']['titles'];
const COUNT_OF = { create: 'created', update: 'updated', unchanged: 'unchanged' } as const;

/**
 * The pages' answers as one. Titles and progress rows are each in one page, so their counts add
 * up. A series is in one page too, except in the parts of a group split over pages: a later
 * part plans the series again (unchanged, or for a preview, created again), so it is counted once.
 */
function answerMerger() {
  const zero = (): Counts => ({ created: 0, updated: 0, unchanged: 0 });
  const summary = { titles: zero(), series: zero(), progress: zero() };
  const lists = { titles: [] as ImportAnswer['titles'], series: new Map<string, ImportAnswer['series'][number]>(), progress: [] as ImportAnswer['progress'] };
  const notes = new Set<string>();
  const runIds: string[] = [];
  const seenSeries = new Set<string>();
  let committed = true;
  let attempts = 1;
  let pages = 0;

  const addCounts = (into: Counts, from: Counts) => {
    into.created += from.created;
    into.updated += from.updated;
    into.unchanged += from.unchanged;
  };

  return {
    get pages() {
      return pages;
    },
    add(answer: ImportAnswer, page: LibraryRecords) {
      pages += 1;
      addCounts(summary.titles, answer.summary.titles);
      addCounts(summary.progress, answer.summary.progress);
      addCounts(summary.series, answer.summary.series);
      for (const key of repeatedSeries(page, seenSeries)) {
        const listed = answer.series.find((c) => c.key === key);
        const count = COUNT_OF[listed?.action ?? 'unchanged'];
        summary.series[count] = Math.max(0, summary.series[count] - 1);
      }
      lists.titles.push(...answer.titles);
      lists.progress.push(...answer.progress);
      for (const c of answer.series) if (!lists.series.has(c.key)) lists.series.set(c.key, c);
      for (const note of answer.notes) notes.add(note);
      if (answer.runId) runIds.push(answer.runId);
      committed &&= answer.committed;
      attempts = Math.max(attempts, answer.attempts);
    },
    result(): RemoteImportAnswer {
      const first = <T>(items: T[], keyOf: (item: T) => string) => items.sort((a, b) => compare(keyOf(a), keyOf(b))).slice(0, IMPORT_ANSWER_MAX_CHANGES);
      const titles = first(lists.titles, (c) => c.asin);
      const series = first([...lists.series.values()], (c) => c.key);
      const progress = first(lists.progress, (c) => c.asin);
      const total = (c: Counts) => c.created + c.updated + c.unchanged;
      return {
        committed,
        summary,
        titles,
        series,
        progress,
        omitted: { titles: total(summary.titles) - titles.length, series: total(summary.series) - series.length, progress: total(summary.progress) - progress.length },
        notes: [...notes],
        runId: runIds.at(-1) ?? null,
        attempts,
        pages,
        runIds,
      };
    },
  };
}

/**
 * Series keys of a page that an earlier page planned already (the page's records name them).
 * A name-keyed series beside an Audible series of its name is left out: core folds it into that
 * series, which is the one counted.
 */
function repeatedSeries(page: LibraryRecords, seen: Set<string>): string[] {
  const keys = new Set<string>();
  const audibleNames = new Set<string>();
  const note = (key: string, title: string) => {
    keys.add(key);
    const name = isNameKey(key) ? null : seriesName(key, title);
    if (name !== null) audibleNames.add(name);
  };
  for (const t of page.titles) for (const m of t.series) note(m.seriesKey, m.seriesTitle);
  for (const s of page.series) note(s.key, s.title);
  const repeated = [...keys].filter((key) => seen.has(key) && !(isNameKey(key) && audibleNames.has(key.slice(NAME_KEY.length))));
  for (const key of keys) seen.add(key);
  return repeated;
}

// ---- HTTP ------------------------------------------------------------------------------------

/** A 413: the server takes smaller bodies. */
class BodyTooLarge extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function importUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`--api-url "${url}" is not a URL`, { hint: 'for example https://sagasync.example.com' });
  }
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = '/api/import';
  return parsed;
}

/**
 * One request, retried after a lost connection, a 502, 503 or 504, or a 409 that says the same
 * Idempotency-Key is still running (its answer comes on a later try): a committed page carries
 * its key, so a retry is answered with the first answer instead of applied again.
 */
async function call(url: URL, init: RequestInit, options: Pick<RemoteOptions, 'retries' | 'retryDelayMs'>): Promise<{ status: number; body: unknown }> {
  const retries = options.retries ?? 5;
  const wait = (attempt: number) => sleep((options.retryDelayMs ?? 500) * 2 ** attempt);
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
      text = await response.text();
    } catch (error) {
      if (attempt < retries) {
        await wait(attempt);
        continue;
      }
      throw new CliError(`could not reach ${url.origin}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    if (response.status === 413) throw new BodyTooLarge();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      if ([502, 503, 504].includes(response.status) && attempt < retries) {
        await wait(attempt);
        continue;
      }
      throw new CliError(`the API at ${url.origin} answered ${response.status} without JSON`);
    }
    if (response.ok) return { status: response.status, body };
    const error = ErrorBodySchema.safeParse(body);
    const stillRunning = response.status === 409 && error.success && error.data.error.location === 'headers.idempotency-key';
    if ((stillRunning || [502, 503, 504].includes(response.status)) && attempt < retries) {
      await wait(attempt);
      continue;
    }
    const message = error.success ? error.data.error.message : text.slice(0, 300);
    throw new CliError(`the API at ${url.origin} answered ${response.status}: ${message}`, {
      exitCode: response.status === 400 || response.status === 415 ? EXIT.invalidInput : EXIT.error,
      hint: response.status === 401 || response.status === 403 ? 'set SAGASYNC_API_TOKEN to a token of that server (`sagasync-server user add`)' : undefined,
    });
  }
}

function expectShape<T>(schema: z.ZodType<T>, body: unknown, url: URL): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`the API at ${url.origin} answered in an unexpected shape (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'})`, {
      hint: 'is --api-url a SagaSync API of the same version?',
    });
  }
  return parsed.data;
}
