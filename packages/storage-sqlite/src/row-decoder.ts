import { SagaSyncError } from '@sagasync/core';
import type { RowDigest } from './row-digest.js';

/** The part of a zod schema the decoder needs; core's schemas fit it. */
export interface RowSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/**
 * Builds a record from a row: the JSON `data` column plus owner and version, which are columns.
 * With `validate`, the record is checked against core's schema, so a hand-edited or damaged file
 * fails with a message naming the table and key instead of leaking bad data into the rules. A row
 * whose digest matches its data (see `RowDigest`) was validated when it was written and is not
 * checked again.
 */
export function rowDecoder<T>(schema: RowSchema<T>, table: string, path: string, validate: boolean, digest: RowDigest) {
  return (owner: string, data: string, version: number | undefined, rowDigest: string | null): T => {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(data) as Record<string, unknown>;
    } catch (error) {
      throw invalidRow(path, table, 'data is not JSON', error);
    }
    if (typeof record !== 'object' || record === null) throw invalidRow(path, table, 'data is not a JSON object');
    // The parsed object is ours alone: set the column values on it rather than copying it.
    record.ownerId = owner;
    if (version !== undefined) record.version = version;
    if (!validate || digest.matches(data, rowDigest)) return record as T;
    const parsed = schema.safeParse(record);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const key = record as { asin?: string; key?: string; id?: string; name?: string; trackerId?: string };
    const label = key.asin ?? key.key ?? key.id ?? key.name ?? key.trackerId ?? '?';
    throw invalidRow(path, table, `${label}: ${issue?.path.map(String).join('.') || 'record'}: ${issue?.message ?? 'invalid'}`);
  };
}

function invalidRow(path: string, table: string, problem: string, cause?: unknown): SagaSyncError {
  return new SagaSyncError('storage_failure', `the SagaSync store ${path} holds an invalid ${table} row (${problem})`, {
    cause,
    details: { location: `${path}: ${table}` },
  });
}
