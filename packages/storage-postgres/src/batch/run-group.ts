import { VersionConflictError } from '@sagasync/core';
import type { PoolClient } from 'pg';
import type { StatementGroup } from './statement-groups.js';
import { parametersFor, statementFor, versionsOf } from './table-statements.js';
import { clearMemberships, writeMemberships } from './title-memberships.js';
import { tables } from './tables.js';
import type { Write } from './writes.js';

/** A conditional write that found another version: the batch fails with the first of these. */
export interface Conflict {
  index: number;
  error: VersionConflictError;
}

const keyOf = (keys: readonly unknown[]): string => JSON.stringify(keys);

/**
 * Runs one statement group inside the caller's transaction, then the titles' membership rows.
 * Returns the group's first conflict (by batch index), or undefined; the writes that did not
 * conflict are applied either way, and the caller decides whether the batch goes on.
 */
export async function runGroup(db: PoolClient, owner: string, group: StatementGroup): Promise<Conflict | undefined> {
  const { writes } = group;
  const [first] = writes;
  if (first === undefined) return undefined;
  const { table, action, condition } = first;
  const result = await db.query<Record<string, string>>(statementFor(table, action, condition), parametersFor(owner, writes));
  let applied: readonly Write[] = writes;
  let conflict: Conflict | undefined;
  if (condition !== 'any') {
    const written = new Set(result.rows.map((row) => keyOf(table.keys.map((key) => row[key]))));
    applied = writes.filter((write) => written.has(keyOf(write.keys)));
    const failed = writes.find((write) => !written.has(keyOf(write.keys)));
    if (failed) conflict = { index: failed.index, error: await conflictOf(db, owner, failed) };
  }
  if (table === tables.titles) {
    if (action === 'delete') await clearMemberships(db, owner, applied.map((write) => write.keys[0]!));
    else await writeMemberships(db, owner, applied.map((write) => ({ asin: write.keys[0]!, seriesKeys: write.seriesKeys ?? [] })));
  }
  return conflict;
}

/** The error of a failed conditional write, with the version it found now (after its own statement). */
async function conflictOf(db: PoolClient, owner: string, write: Write): Promise<VersionConflictError> {
  const { table } = write;
  const { rows } = await db.query<{ version: number }>(versionsOf(table), [owner, ...write.keys.map((key) => [key])]);
  return new VersionConflictError(table.entity ?? table.name, write.label, write.condition === 'new' ? null : write.expectedVersion, rows[0]?.version ?? null);
}
