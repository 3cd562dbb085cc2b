import { SagaSyncError } from '@sagasync/core';
import type { AudibleClient } from '../client.js';
import { mapLimit } from './concurrency.js';
import { LIBRARY_RESPONSE_GROUPS, LibraryPageSchema, type LibraryItem } from './schemas.js';

export interface FetchLibraryOptions {
  /** Items per page, 1–1000. Default 250: large pages with many response groups time out. */
  pageSize?: number;
  /** Pages fetched at once after the first. Default 4. */
  concurrency?: number;
  /** Only titles bought after this (RFC 3339). */
  purchasedAfter?: string;
  responseGroups?: string;
  onPage?: (info: { page: number; pages: number; items: number; total: number }) => void;
}

export const MAX_LIBRARY_PAGE_SIZE = 1000;

/**
 * The whole library: page 1 tells `total-count`, the remaining pages are fetched concurrently.
 * Items are de-duplicated by ASIN (a purchase during paging shifts pages) and kept in API order.
 */
export async function fetchLibrary(client: AudibleClient, options: FetchLibraryOptions = {}): Promise<LibraryItem[]> {
  const pageSize = Math.min(MAX_LIBRARY_PAGE_SIZE, Math.max(1, Math.floor(options.pageSize ?? 250)));
  const query = (page: number) => ({
    num_results: pageSize,
    page,
    response_groups: options.responseGroups ?? LIBRARY_RESPONSE_GROUPS,
    purchased_after: options.purchasedAfter,
  });
  const first = await client.get('/1.0/library', query(1), LibraryPageSchema);
  const totalHeader = first.headers.get('total-count');
  const pages: LibraryItem[][] = [first.data.items];
  if (totalHeader !== null && /^\d+$/.test(totalHeader)) {
    const total = Number(totalHeader);
    const pageCount = Math.max(1, Math.ceil(total / pageSize));
    options.onPage?.({ page: 1, pages: pageCount, items: first.data.items.length, total });
    const rest = Array.from({ length: pageCount - 1 }, (_, i) => i + 2);
    const fetched = await mapLimit(rest, options.concurrency ?? 4, async (page) => {
      const { data } = await client.get('/1.0/library', query(page), LibraryPageSchema);
      options.onPage?.({ page, pages: pageCount, items: data.items.length, total });
      return data.items;
    });
    pages.push(...fetched);
  } else {
    // No total-count: page until a short page, as early clients did.
    let page = 1;
    let last = first.data.items;
    while (last.length === pageSize) {
      page++;
      if (page > 10_000) throw new SagaSyncError('remote_failure', 'Audible library paging did not end');
      last = (await client.get('/1.0/library', query(page), LibraryPageSchema)).data.items;
      pages.push(last);
    }
  }
  const seen = new Set<string>();
  const items: LibraryItem[] = [];
  for (const item of pages.flat()) {
    if (seen.has(item.asin)) continue;
    seen.add(item.asin);
    items.push(item);
  }
  return items;
}
