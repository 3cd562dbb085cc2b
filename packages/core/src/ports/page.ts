/**
 * Cursor pagination, the same for every list of every adapter. A page may hold fewer than `limit`
 * items while more follow (a backend may stop early, as DynamoDB does at 1 MB); only a null
 * `nextCursor` says the list is done. Cursors are opaque: pass back what a page returned.
 */
export interface PageRequest {
  /** At most this many items; all of them when omitted. A positive integer. */
  limit?: number;
  /** Where to continue: a previous page's `nextCursor`. */
  cursor?: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Reads every page of a list: for callers that need all of it (planners, exports). */
export async function readAll<T>(list: (cursor: string | null) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await list(cursor);
    for (const item of page.items) items.push(item);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}
