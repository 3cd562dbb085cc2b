import { SagaSyncError, type Page, type PageRequest } from '@sagasync/core';

export type CursorKey = readonly (string | number)[];

/**
 * Cursors are the sort key of the last item a page returned, as base64url JSON: opaque to callers,
 * the same for every adapter, and a keyset position, so a write between two pages never makes a
 * page repeat or skip an item that was there all along.
 */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key inside a cursor; a cursor that is not one of ours (or of another list) is `invalid_input`. */
export function decodeCursor(cursor: string, arity: number): CursorKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = null;
  }
  if (!Array.isArray(key) || key.length !== arity || !key.every((part) => typeof part === 'string' || (typeof part === 'number' && Number.isFinite(part)))) {
    throw new SagaSyncError('invalid_input', 'the page cursor is not valid for this list', { details: { location: 'cursor' } });
  }
  return key as CursorKey;
}

export interface ParsedPageRequest {
  /** Undefined: no limit. */
  limit: number | undefined;
  /** The key to continue after, or null from the start. */
  after: CursorKey | null;
}

/** Validates a page request; `arity` is the number of parts of the list's sort key. */
export function parsePageRequest(query: PageRequest | undefined, arity: number): ParsedPageRequest {
  const limit = query?.limit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new SagaSyncError('invalid_input', 'a page limit must be a positive integer', { details: { location: 'limit' } });
  }
  const cursor = query?.cursor;
  if (cursor !== undefined && cursor !== null && typeof cursor !== 'string') {
    throw new SagaSyncError('invalid_input', 'a page cursor must be a string', { details: { location: 'cursor' } });
  }
  return { limit, after: cursor ? decodeCursor(cursor, arity) : null };
}

/**
 * A page from rows fetched one past the limit: the extra row only says another page follows.
 * `keyOf` gives an item's sort key, which becomes the cursor.
 */
export function pageFrom<T>(rows: T[], limit: number | undefined, keyOf: (item: T) => CursorKey): Page<T> {
  if (limit === undefined || rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(keyOf(items[items.length - 1]!)) };
}
