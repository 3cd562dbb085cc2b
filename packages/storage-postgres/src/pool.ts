import { createHash } from 'node:crypto';
import pg from 'pg';

/** Statement names by text: the adapter's statements come in a bounded set of shapes (values are always parameters). */
const names = new Map<string, string>();
const nameOf = (text: string): string => {
  let name = names.get(text);
  if (name === undefined) {
    name = `sagasync_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
};

/**
 * A pg client that prepares each parameterised statement once per connection: `query(text,
 * values)` goes as a named statement, so PostgreSQL parses and plans it on the connection's first
 * use only, instead of on every call as pg's unnamed statements are. Statements without
 * parameters (migrations, BEGIN) go as they are.
 */
export class PreparingClient extends pg.Client {
  // pg's overloads, all of which this accepts: only a (text, values[]) call is changed.
  override query(...args: unknown[]): never {
    const [config, values, callback] = args;
    const query = super.query as (...rest: unknown[]) => never;
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      return query.call(this, { name: nameOf(config), text: config, values }, callback);
    }
    return query.apply(this, args);
  }
}

/**
 * A pool for the adapter: pg's, with clients that prepare the adapter's statements once per
 * connection (`PreparingClient`). Any `pg.Pool` works with the adapter; this one spends less of
 * the database's time parsing.
 */
export function createPostgresPool(config: pg.PoolConfig): pg.Pool {
  return new pg.Pool({ ...config, Client: PreparingClient });
}
