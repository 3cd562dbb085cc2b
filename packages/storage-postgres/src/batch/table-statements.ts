import type { Table } from './tables.js';
import type { Condition, Write } from './writes.js';

/**
 * The SQL of one statement group (see statement-groups.ts): every row of the group travels as
 * arrays, one per column, spread back into rows by `unnest`, so a thousand writes are one
 * statement with a handful of parameters. `$1` is the owner; the key arrays come next, then the
 * put's columns, then the expected versions (condition `at`). Statements whose writes may fail
 * (`new`, `at`) return the keys they wrote; the others return nothing.
 *
 * Conditional writes stay conditional statements, as one per write were: under READ COMMITTED a
 * second writer of a row waits for the first to commit, then PostgreSQL re-checks the row's
 * conditions (`t.version = u.expected_version`, joined to the same unnest row) against the
 * committed version, and a create-only insert meeting a committed row does nothing; either way the
 * write is missing from what the statement returns, so a stale write fails instead of overwriting.
 */
export function statementFor(table: Table, action: Write['action'], condition: Condition, firstArray = 2): string {
  const name = `${table.name} ${action} ${condition} ${firstArray}`;
  let sql = cache.get(name);
  if (sql === undefined) {
    sql = build(table, action, condition, firstArray);
    cache.set(name, sql);
  }
  return sql;
}

/** The parameters of `statementFor(...)` for the group's writes. */
export function parametersFor(owner: string, writes: readonly Write[]): unknown[] {
  return [owner, ...arraysFor(writes)];
}

/** The column arrays of the group's writes, the parameters after the owner (see `statementFor`'s `firstArray`). */
export function arraysFor(writes: readonly Write[]): unknown[] {
  const [first] = writes;
  if (first === undefined) throw new Error('a statement group has at least one write');
  const params: unknown[] = first.table.keys.map((_, i) => writes.map((write) => write.keys[i]));
  if (first.action !== 'delete') params.push(...first.table.columns.map((_, i) => writes.map((write) => write.values[i])));
  if (first.condition === 'at') params.push(writes.map((write) => write.expectedVersion));
  return params;
}

/** The stored version of each of `keys`' records that exists: what a failed conditional write found. Parameters: owner, then the key arrays. */
export function versionsOf(table: Table): string {
  const name = `${table.name} versions`;
  let sql = cache.get(name);
  if (sql === undefined) {
    sql = `SELECT ${table.keys.map((key) => `t.${key}`).join(', ')}, t.version FROM ${table.name} AS t, ${rows(table.keys.map((key) => ({ name: key, type: 'text' })), 2)}
      WHERE t.owner_id = $1 AND ${matchKeys(table)}`;
    cache.set(name, sql);
  }
  return sql;
}

const cache = new Map<string, string>();

/** `unnest($2::text[], $3::jsonb[], ...) AS u(asin, data, ...)`: the parameter arrays (from `$first`) as rows. */
function rows(columns: readonly { name: string; type: string }[], first: number): string {
  return `unnest(${columns.map((column, i) => `$${i + first}::${column.type}[]`).join(', ')}) AS u(${columns.map((column) => column.name).join(', ')})`;
}

const matchKeys = (table: Table): string => table.keys.map((key) => `t.${key} = u.${key}`).join(' AND ');

function build(table: Table, action: Write['action'], condition: Condition, first: number): string {
  const keys = table.keys.map((name) => ({ name, type: 'text' }));
  const returning = `RETURNING ${table.keys.map((key) => `t.${key}`).join(', ')}`;
  const versioned = table.entity !== undefined;
  if (action === 'delete') {
    const columns = condition === 'at' ? [...keys, { name: 'expected_version', type: 'integer' }] : keys;
    const where = `t.owner_id = $1 AND ${matchKeys(table)}`;
    return condition === 'at'
      ? `DELETE FROM ${table.name} AS t USING ${rows(columns, first)} WHERE ${where} AND t.version = u.expected_version ${returning}`
      : `DELETE FROM ${table.name} AS t USING ${rows(columns, first)} WHERE ${where}`;
  }
  const columns = [...keys, ...table.columns];
  if (condition === 'at') {
    const sets = table.columns.map((column) => `${column.name} = u.${column.name}`).join(', ');
    return `UPDATE ${table.name} AS t SET ${sets}, version = t.version + 1 FROM ${rows([...columns, { name: 'expected_version', type: 'integer' }], first)}
      WHERE t.owner_id = $1 AND ${matchKeys(table)} AND t.version = u.expected_version ${returning}`;
  }
  const names = columns.map((column) => column.name);
  const insert = `INSERT INTO ${table.name} AS t (owner_id, ${names.join(', ')}${versioned ? ', version' : ''})
    SELECT $1::text, ${names.map((column) => `u.${column}`).join(', ')}${versioned ? ', 1' : ''} FROM ${rows(columns, first)}`;
  if (action === 'insertOnce') return `${insert} ON CONFLICT DO NOTHING`;
  if (condition === 'new') return `${insert} ON CONFLICT DO NOTHING ${returning}`;
  const sets = table.columns.map((column) => `${column.name} = excluded.${column.name}`);
  if (versioned) sets.push('version = t.version + 1');
  return `${insert} ON CONFLICT (owner_id, ${table.keys.join(', ')}) DO UPDATE SET ${sets.join(', ')}`;
}
