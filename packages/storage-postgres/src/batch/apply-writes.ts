import type { BatchOperation } from '@sagasync/core';
import type { PoolClient } from 'pg';
import { runGroup, type Conflict } from './run-group.js';
import { planStatementGroups, type StatementGroup } from './statement-groups.js';
import { toWrite } from './writes.js';

/** A validated batch as the statement groups that apply it. */
export const planBatch = (operations: readonly BatchOperation[]): StatementGroup[] => planStatementGroups(operations.map(toWrite));

/**
 * Applies a validated batch inside the caller's transaction, as a few statements (one per
 * statement group; see statement-groups.ts). A throw rolls the whole batch back.
 *
 * Conflicts fail the batch as applying it one operation at a time would: with the first failing
 * operation's error. Groups run out of batch order, so after a conflict the batch goes on while a
 * later group holds an operation earlier than it (which may fail first); each record's operations
 * still run in order, so every operation before the first failure sees what it would have seen.
 */
export async function applyGroups(db: PoolClient, owner: string, groups: readonly StatementGroup[]): Promise<void> {
  /** For each group, the lowest batch index of it and every group after it. */
  const firstFrom = groups.map((group) => group.first);
  for (let i = firstFrom.length - 2; i >= 0; i--) firstFrom[i] = Math.min(firstFrom[i]!, firstFrom[i + 1]!);
  let conflict: Conflict | undefined;
  for (const [i, group] of groups.entries()) {
    if (conflict && conflict.index < firstFrom[i]!) break;
    const found = await runGroup(db, owner, group);
    if (found && (!conflict || found.index < conflict.index)) conflict = found;
  }
  if (conflict) throw conflict.error;
}
