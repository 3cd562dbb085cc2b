import type Database from 'better-sqlite3';
import type { CursorKey } from '@sagasync/storage';

type Params = Record<string, unknown>;

/**
 * One list of the port as keyset-paginated SQL: `base` selects and filters (named parameters,
 * `@owner` first), `order` names the sort columns, which are also the cursor's parts. Two
 * statements, prepared on first use: from the start, and after a cursor (`(cols) > (@c0, ...)`,
 * which the sort index serves as a range). `LIMIT -1` is SQLite for no limit.
 */
export class PagedQuery<R> {
  private first: Database.Statement<Params, R> | null = null;
  private after: Database.Statement<Params, R> | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly base: string,
    private readonly order: readonly string[],
    private readonly descending = false,
  ) {}

  /** The number of parts of this list's cursor: its sort columns. */
  get arity(): number {
    return this.order.length;
  }

  /** Rows after `cursor` (or from the start), at most `fetch` of them (-1: all). */
  iterate(params: Params, cursor: CursorKey | null, fetch: number): IterableIterator<R> {
    if (!cursor) return this.statement(false).iterate({ ...params, limit: fetch });
    const bound: Params = { ...params, limit: fetch };
    cursor.forEach((part, i) => (bound[`c${i}`] = part));
    return this.statement(true).iterate(bound);
  }

  private statement(withCursor: boolean): Database.Statement<Params, R> {
    const cached = withCursor ? this.after : this.first;
    if (cached) return cached;
    const direction = this.descending ? 'DESC' : 'ASC';
    const columns = this.order.join(', ');
    const keyset = withCursor ? ` AND (${columns}) ${this.descending ? '<' : '>'} (${this.order.map((_, i) => `@c${i}`).join(', ')})` : '';
    const sql = `${this.base}${keyset} ORDER BY ${this.order.map((column) => `${column} ${direction}`).join(', ')} LIMIT @limit`;
    const statement = this.db.prepare<Params, R>(sql);
    if (withCursor) this.after = statement;
    else this.first = statement;
    return statement;
  }
}
