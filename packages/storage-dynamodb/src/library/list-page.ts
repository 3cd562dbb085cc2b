import type { Page, PageRequest } from '@sagasync/core';
import { pageFrom, parsePageRequest, type CursorKey } from '@sagasync/storage';
import type { Item, QueryInput, TableClient } from './table-client.js';

/** An attribute filter DynamoDB applies after reading (it still charges for what it read). */
export interface Filter {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/** One list of the port as a Query on the table or an index. */
export interface ListSpec<T> {
  /** The port method, for capacity reports. */
  method: string;
  index?: 'gsi1' | 'gsi2';
  /** The (index) partition key value. */
  partition: string;
  /** Only (index) sort keys starting with this. */
  prefix?: string;
  filter?: Filter;
  /** Newest first: descending (index) sort keys. */
  descending?: boolean;
  /** Parts of the list's cursor. */
  arity: number;
  decode(item: Item): T;
  cursorOf(record: T): CursorKey;
  /** The key of the item a cursor names (table keys, plus the index keys on an index) and its (index) sort key. */
  startAfter(after: CursorKey): { key: Item; sortValue: string };
}

/** How many items to ask for: what is still wanted, and on a filtered list twice as many each round as the last. */
export function pageSizes(wanted: number | undefined, filtered: boolean, have: () => number): () => number | undefined {
  let last = 0;
  return () => {
    if (wanted === undefined) return undefined;
    const missing = wanted - have();
    last = filtered ? Math.max(missing, last * 2) : missing;
    return last;
  };
}

/**
 * A keyset page: the Query starts after the cursor's item (`ExclusiveStartKey`), reads one item
 * past the limit to know whether more follow, and keeps reading pages until it has them, so a
 * page is short only at the end of the list.
 */
export async function listPage<T>(table: TableClient, spec: ListSpec<T>, request: PageRequest | undefined): Promise<Page<T>> {
  const { limit, after } = parsePageRequest(request, spec.arity);
  const prefix = spec.prefix ?? '';
  let start: Item | undefined;
  if (after) {
    const position = spec.startAfter(after);
    // DynamoDB refuses a start key outside the key condition; a cursor before the range starts at its
    // beginning, one after it has nothing left.
    if (position.sortValue.startsWith(prefix)) start = position.key;
    else if ((position.sortValue > prefix) === !spec.descending) return { items: [], nextCursor: null };
  }
  const pk = spec.index ? `${spec.index}pk` : 'pk';
  const sk = spec.index ? `${spec.index}sk` : 'sk';
  const input: QueryInput = {
    ...(spec.index ? { IndexName: spec.index } : { ConsistentRead: true }),
    KeyConditionExpression: `#pk = :pk${prefix ? ' AND begins_with(#sk, :prefix)' : ''}`,
    ExpressionAttributeNames: { '#pk': pk, ...(prefix ? { '#sk': sk } : {}), ...spec.filter?.names },
    ExpressionAttributeValues: { ':pk': spec.partition, ...(prefix ? { ':prefix': prefix } : {}), ...spec.filter?.values },
    ...(spec.filter ? { FilterExpression: spec.filter.expression } : {}),
    ...(spec.descending ? { ScanIndexForward: false } : {}),
    ...(start ? { ExclusiveStartKey: start } : {}),
  };
  const wanted = limit === undefined ? undefined : limit + 1;
  const found: T[] = [];
  for await (const page of table.query(spec.method, input, pageSizes(wanted, spec.filter !== undefined, () => found.length))) {
    for (const item of page) found.push(spec.decode(item));
    if (wanted !== undefined && found.length >= wanted) break;
  }
  return pageFrom(wanted === undefined ? found : found.slice(0, wanted), limit, spec.cursorOf);
}
