import { parseLibraryItem, type AudibleLibraryItem } from '@sagasync/audible-parser';
import { SagaSyncError, type InputIssue } from '@sagasync/core';
import type { AudibleClient } from '../client.js';
import { asinOf } from '../http/validate.js';
import { mapLimit } from './concurrency.js';
import { LIBRARY_RESPONSE_GROUPS, LibraryPageSchema } from './schemas.js';

/** A library item that does not fit the item schema (a wrong JSON type), left out of the library. */
export interface RejectedLibraryItem {
  /** The item's `asin` when it is text. */
  asin: string | null;
  /** Located at the page (`GET /1.0/library?page=2`) and the item's path (`$.items[13].title`). */
  issues: InputIssue[];
}

export interface FetchLibraryOptions {
  /** Items per page, 1–1000. Default 250: large pages with many response groups time out. */
  pageSize?: number;
  /** Pages fetched at once after the first. Default 4. */
  concurrency?: number;
  /** Only titles bought after this (RFC 3339). */
  purchasedAfter?: string;
  responseGroups?: string;
  onPage?: (info: { page: number; pages: number; items: number; total: number }) => void;
  /** Called for each item left out because it does not fit the item schema. */
  onRejectedItem?: (item: RejectedLibraryItem) => void;
}

export const MAX_LIBRARY_PAGE_SIZE = 1000;

/**
 * The whole library: page 1 tells `total-count`, the remaining pages are fetched concurrently.
 * Each item is checked on its own with the parser's `AudibleLibraryItemSchema` (one bad item is
 * left out and reported, not the page). Items are de-duplicated by ASIN (a purchase during paging
 * shifts pages) and kept in API order.
 */
export async function fetchLibrary(client: AudibleClient, options: FetchLibraryOptions = {}): Promise<AudibleLibraryItem[]> {
  const pageSize = Math.min(MAX_LIBRARY_PAGE_SIZE, Math.max(1, Math.floor(options.pageSize ?? 250)));
  const query = (page: number) => ({
    num_results: pageSize,
    page,
    response_groups: options.responseGroups ?? LIBRARY_RESPONSE_GROUPS,
    purchased_after: options.purchasedAfter,
  });
  const read = (page: number, raw: readonly unknown[]): AudibleLibraryItem[] => {
    const items: AudibleLibraryItem[] = [];
    raw.forEach((element, i) => {
      const parsed = parseLibraryItem(element, { file: `GET /1.0/library?page=${page}`, path: `$.items[${i}]` });
      if (parsed.success) items.push(parsed.value);
      else options.onRejectedItem?.({ asin: asinOf(element), issues: parsed.error });
    });
    return items;
  };
  const first = await client.get('/1.0/library', query(1), LibraryPageSchema);
  const totalHeader = first.headers.get('total-count');
  const pages: AudibleLibraryItem[][] = [read(1, first.data.items)];
  if (totalHeader !== null && /^\d+$/.test(totalHeader)) {
    const total = Number(totalHeader);
    const pageCount = Math.max(1, Math.ceil(total / pageSize));
    options.onPage?.({ page: 1, pages: pageCount, items: first.data.items.length, total });
    const rest = Array.from({ length: pageCount - 1 }, (_, i) => i + 2);
    const fetched = await mapLimit(rest, options.concurrency ?? 4, async (page) => {
      const { data } = await client.get('/1.0/library', query(page), LibraryPageSchema);
      options.onPage?.({ page, pages: pageCount, items: data.items.length, total });
      return read(page, data.items);
    });
    pages.push(...fetched);
  } else {
    // No total-count: page until a short page, as early clients did.
    let page = 1;
    let last = first.data.items.length;
    while (last === pageSize) {
      page++;
      if (page > 10_000) throw new SagaSyncError('remote_failure', 'Audible library paging did not end');
      const { data } = await client.get('/1.0/library', query(page), LibraryPageSchema);
      last = data.items.length;
      pages.push(read(page, data.items));
    }
  }
  const seen = new Set<string>();
  const items: AudibleLibraryItem[] = [];
  for (const item of pages.flat()) {
    if (seen.has(item.asin)) continue;
    seen.add(item.asin);
    items.push(item);
  }
  return items;
}
