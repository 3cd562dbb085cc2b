import type { StatementGroup } from './statement-groups.js';
import { arraysFor, statementFor } from './table-statements.js';
import { tables } from './tables.js';

/**
 * The SQLSTATE `sagasync_batch_conflict()` raises (see the migration "batch conflict signal"): a
 * conditional write of a one-statement batch found another version, and the statement, with every
 * write in it, was undone.
 */
export const BATCH_CONFLICT_STATE = 'SSV01';

/**
 * A batch as one statement: each statement group a data-modifying CTE, then a check that every
 * conditional write was applied, which raises `BATCH_CONFLICT_STATE` otherwise. One statement is
 * one implicit transaction, so a batch that fits costs one round trip instead of BEGIN, a
 * statement per group and COMMIT; a listening event (progress, history, baseline, invalidated
 * statuses) is such a batch. Null when the batch does not fit:
 *
 * - two groups on one table: the parts of one statement all see the snapshot it started from, not
 *   each other's writes, so a record written by two groups would not be written in order;
 * - titles: their membership rows are a second statement that depends on which titles were written.
 *
 * A conflict says only that one happened, not which write met it: the caller runs the batch again
 * group by group (`applyOperations`), which reports it as ever, and applies it if the other writer
 * has gone in the meantime, as a retry would.
 */
export function singleStatementOf(owner: string, groups: readonly StatementGroup[]): { sql: string; params: unknown[] } | null {
  if (groups.length === 0) return null;
  const seen = new Set<string>();
  for (const { writes } of groups) {
    const table = writes[0]!.table;
    if (table === tables.titles || seen.has(table.name)) return null;
    seen.add(table.name);
  }
  const params: unknown[] = [owner];
  const parts: string[] = [];
  const checks: string[] = [];
  for (const [i, { writes }] of groups.entries()) {
    const { table, action, condition } = writes[0]!;
    parts.push(`g${i} AS (${statementFor(table, action, condition, params.length + 1)})`);
    params.push(...arraysFor(writes));
    // A conditional statement returns the keys it wrote: all of them, or the batch conflicts.
    if (condition !== 'any') {
      params.push(writes.length);
      checks.push(`(SELECT count(*) FROM g${i}) = $${params.length}::bigint`);
    }
  }
  const check = checks.length === 0 ? 'SELECT 0' : `SELECT CASE WHEN ${checks.join(' AND ')} THEN 0 ELSE sagasync_batch_conflict() END`;
  return { sql: `WITH ${parts.join(',\n')}\n${check}`, params };
}
