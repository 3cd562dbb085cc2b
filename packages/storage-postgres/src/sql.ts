import type { Page, PageRequest } from '@sagasync/core';
import { pageFrom, parsePageRequest, type CursorKey } from '@sagasync/storage';
import type { Pool, PoolClient, QueryResultRow } from 'pg';

export type Queryable = Pool | PoolClient;

/** Positional parameters collected while a statement is built: `p.add(value)` returns its `$n`. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** One list of the port as keyset-paginated SQL, like storage-sqlite's `PagedQuery`. */
export interface ListSpec {
  /** `SELECT ... FROM ...` up to (not including) WHERE. */
  select: string;
  /** Conditions combined with AND; each may use parameters added to `params`. Owner first. */
  where: string[];
  params: Params;
  /** The sort columns, which are also the cursor's parts; an index on (owner, ...order) serves each list. */
  order: readonly string[];
  descending?: boolean;
}

/**
 * A page of a list: rows after the cursor (`(cols) > ($a, $b)`, which a btree on those columns
 * serves as one range), one past the limit to know whether more follow.
 */
export async function listPage<R extends QueryResultRow, T>(
  db: Queryable,
  spec: ListSpec,
  request: PageRequest | undefined,
  decode: (row: R) => T,
  keyOf: (item: T) => CursorKey,
): Promise<Page<T>> {
  const { limit, after } = parsePageRequest(request, spec.order.length);
  const { params } = spec;
  const where = [...spec.where];
  const columns = spec.order.join(', ');
  if (after) where.push(`(${columns}) ${spec.descending ? '<' : '>'} (${after.map((part) => params.add(part)).join(', ')})`);
  const direction = spec.descending ? 'DESC' : 'ASC';
  // LIMIT NULL is PostgreSQL for no limit.
  const sql = `${spec.select} WHERE ${where.join(' AND ')} ORDER BY ${spec.order.map((column) => `${column} ${direction}`).join(', ')} LIMIT ${params.add(
    limit === undefined ? null : limit + 1,
  )}`;
  const { rows } = await db.query<R>(sql, params.values);
  return pageFrom(rows.map(decode), limit, keyOf);
}
