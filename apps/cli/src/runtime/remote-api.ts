import { randomUUID } from 'node:crypto';
import { ErrorBodySchema, IMPORT_ANSWER_MAX_CHANGES, ImportAnswerSchema, JobSchema, type ImportAnswer } from '@sagasync/api';
import { concatImportPages, pageImportRecords, repeatedSeriesKeys, type LibraryRecords } from '@sagasync/core';
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
 * each page's job followed before the next is sent (see core's `pageImportRecords` for how records are
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
        const smaller = pageImportRecords(concatImportPages(pages), Math.floor(size / 2) - envelope);
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

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

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
      for (const key of repeatedSeriesKeys(page, seenSeries)) {
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
