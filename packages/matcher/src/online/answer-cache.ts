import type { StoragePort } from '@sagasync/core';

/** Where answers from Open Library are kept between runs. */
export interface AnswerCache {
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
}

/** Open Library's catalogue changes slowly; a month-old answer is still a good one. */
export const OPENLIBRARY_CACHE_DAYS = 30;
export const OPENLIBRARY_CACHE_KIND = 'openlibrary';
const DAY_MS = 24 * 60 * 60 * 1000;
// The store's key limit is 500 characters; a query longer than that is cut and told apart by its length.
const MAX_KEY = 480;

function storeKey(key: string): string {
  return key.length <= MAX_KEY ? key : `${key.slice(0, MAX_KEY)}~${key.length}`;
}

/** Answers kept in the owner's store as expiring records (kind `openlibrary`, 30 days). */
export function storeAnswerCache(deps: { storage: StoragePort; ownerId: string; clock?: () => Date }, days = OPENLIBRARY_CACHE_DAYS): AnswerCache {
  const now = () => deps.clock?.() ?? new Date();
  return {
    async get(key) {
      const record = await deps.storage.getExpiring(deps.ownerId, OPENLIBRARY_CACHE_KIND, storeKey(key), now());
      return record?.value;
    },
    async put(key, value) {
      const at = now();
      const record = { kind: OPENLIBRARY_CACHE_KIND, key: storeKey(key), value: value as never, createdAt: at.toISOString(), expiresAt: new Date(at.getTime() + days * DAY_MS).toISOString() };
      await deps.storage.putExpiring(deps.ownerId, record, { now: at });
    },
  };
}

/** Answers kept for one process (tests, benchmarks). */
export function memoryAnswerCache(): AnswerCache & { readonly size: number } {
  const map = new Map<string, unknown>();
  return {
    get: async (key) => map.get(key),
    put: async (key, value) => {
      map.set(key, value);
    },
    get size() {
      return map.size;
    },
  };
}
