import { foldText } from '../normalise/fold.js';
import { isbn10To13, parseIsbn } from '../normalise/identifiers.js';
import type { AnswerCache } from './answer-cache.js';
import {
  CachedIsbnsSchema,
  CachedSearchSchema,
  CachedWorksSchema,
  EditionAnswerSchema,
  EditionsAnswerSchema,
  SearchAnswerSchema,
  type CachedSearch,
} from './openlibrary-schemas.js';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';

export const OPENLIBRARY_URL = 'https://openlibrary.org';
export const DEFAULT_USER_AGENT = 'SagaSync/0.1.0 (+https://github.com/sagasync/sagasync)';
const SEARCH_FIELDS = 'key,title,subtitle,alternative_title,author_name,author_alternative_name';
const SEARCH_LIMIT = 5;
const EDITIONS_LIMIT = 100;

export interface OpenLibraryClientOptions {
  /** Default https://openlibrary.org; tests point it at tools/fake-openlibrary. */
  baseUrl?: string;
  /** Sent with every request, as Open Library asks: the application and where to reach its authors. */
  userAgent?: string;
  cache: AnswerCache;
  /** Default: one request a second. */
  limiter?: RateLimiter;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Told about answers that could not be used (a failure, a malformed body); they count as no answer. */
  onProblem?: (message: string) => void;
}

export interface OpenLibraryStats {
  /** Requests sent. */
  requests: number;
  /** Questions answered from the cache. */
  cached: number;
  /** Requests that gave no usable answer. */
  failed: number;
}

export interface OpenLibraryClient {
  /** Works matching a title and an author: `search.json`. Null when there was no usable answer. */
  searchWorks(title: string, author: string | null): Promise<CachedSearch | null>;
  /** The works of the edition with this ISBN: `isbn/{isbn}.json`. */
  worksOfIsbn(isbn13: string): Promise<string[] | null>;
  /** ISBN-13s of a work's editions (the first page): `works/{id}/editions.json`. */
  editionIsbns(workKey: string): Promise<string[] | null>;
  readonly stats: OpenLibraryStats;
}

type Fetched = { status: 'ok'; body: unknown } | { status: 'absent' } | { status: 'failed' };

/**
 * A small Open Library client for the matcher's online step: three read endpoints, zod-checked
 * answers, every question cached (a negative answer too), requests spaced by the rate limiter and
 * sent with a User-Agent that names SagaSync. Nothing is fetched before a question is asked.
 */
export function createOpenLibraryClient(options: OpenLibraryClientOptions): OpenLibraryClient {
  const base = (options.baseUrl ?? OPENLIBRARY_URL).replace(/\/+$/, '');
  const limiter = options.limiter ?? createRateLimiter();
  const doFetch = options.fetch ?? fetch;
  const stats: OpenLibraryStats = { requests: 0, cached: 0, failed: 0 };
  const problem = (message: string) => options.onProblem?.(message);

  async function get(path: string): Promise<Fetched> {
    await limiter.wait();
    stats.requests++;
    try {
      const response = await doFetch(`${base}${path}`, {
        headers: { 'User-Agent': options.userAgent ?? DEFAULT_USER_AGENT, Accept: 'application/json' },
        redirect: 'follow',
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
      if (response.status === 404) return { status: 'absent' };
      if (!response.ok) {
        stats.failed++;
        problem(`Open Library answered ${response.status} to ${path}`);
        return { status: 'failed' };
      }
      return { status: 'ok', body: await response.json() };
    } catch (error) {
      stats.failed++;
      problem(`Open Library request ${path} failed: ${error instanceof Error ? error.message : String(error)}`);
      return { status: 'failed' };
    }
  }

  /** Cached answer or a fresh one; `read` turns a fetched body into the cached form, or null when it does not fit. */
  async function ask<T>(key: string, cached: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, path: string, read: (body: unknown) => T | null, absent: T): Promise<T | null> {
    const hit = await options.cache.get(key);
    if (hit !== undefined && hit !== null) {
      const parsed = cached.safeParse(hit);
      if (parsed.success) {
        stats.cached++;
        return parsed.data;
      }
    }
    const fetched = await get(path);
    if (fetched.status === 'failed') return null;
    const value = fetched.status === 'absent' ? absent : read(fetched.body);
    if (value === null) {
      stats.failed++;
      problem(`Open Library's answer to ${path} was not understood; treated as no answer`);
      return null;
    }
    await options.cache.put(key, value);
    return value;
  }

  return {
    stats,
    searchWorks(title, author) {
      const params = new URLSearchParams({ title, fields: SEARCH_FIELDS, limit: String(SEARCH_LIMIT) });
      if (author) params.set('author', author);
      const key = `search:${foldText(title)}|${author ? foldText(author) : ''}`;
      return ask(key, CachedSearchSchema, `/search.json?${params}`, (body) => {
        const parsed = SearchAnswerSchema.safeParse(body);
        if (!parsed.success) return null;
        return {
          works: parsed.data.docs.map((doc) => ({
            key: doc.key.slice('/works/'.length),
            titles: [...new Set([doc.title, ...(doc.subtitle ? [`${doc.title}: ${doc.subtitle}`] : []), ...(doc.alternative_title ?? [])])],
            authors: [...new Set([...(doc.author_name ?? []), ...(doc.author_alternative_name ?? [])])],
          })),
        };
      }, { works: [] });
    },
    async worksOfIsbn(isbn13) {
      const answer = await ask(`isbn:${isbn13}`, CachedWorksSchema, `/isbn/${encodeURIComponent(isbn13)}.json`, (body) => {
        const parsed = EditionAnswerSchema.safeParse(body);
        return parsed.success ? { works: (parsed.data.works ?? []).map((w) => w.key.slice('/works/'.length)) } : null;
      }, { works: [] });
      return answer?.works ?? null;
    },
    async editionIsbns(workKey) {
      const answer = await ask(`editions:${workKey}`, CachedIsbnsSchema, `/works/${encodeURIComponent(workKey)}/editions.json?limit=${EDITIONS_LIMIT}`, (body) => {
        const parsed = EditionsAnswerSchema.safeParse(body);
        if (!parsed.success) return null;
        const isbns = new Set<string>();
        for (const edition of parsed.data.entries) {
          for (const isbn of edition.isbn_13 ?? []) {
            const p = parseIsbn(isbn).isbn13;
            if (p) isbns.add(p);
          }
          for (const isbn of edition.isbn_10 ?? []) {
            const p = isbn10To13(isbn.replace(/[^0-9Xx]/g, ''));
            if (p) isbns.add(p);
          }
        }
        return { isbns: [...isbns] };
      }, { isbns: [] });
      return answer?.isbns ?? null;
    },
  };
}
