import { SagaSyncError } from '@sagasync/core';

/** The part of a zod schema the decoder needs; core's schemas fit it. */
export interface RowSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/**
 * Builds a record from a row: the `data` column (jsonb, parsed by pg) plus owner and version,
 * which are columns, checked against core's schema, so a row edited by hand in psql fails with
 * the table and key instead of leaking bad data into the rules.
 */
export function rowDecoder<T>(schema: RowSchema<T>, table: string, target: string) {
  return (owner: string, data: unknown, version?: number): T => {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalidRow(target, table, 'data is not a JSON object');
    const record: Record<string, unknown> = { ...(data as Record<string, unknown>), ownerId: owner };
    if (version !== undefined) record.version = version;
    const parsed = schema.safeParse(record);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const key = record as { asin?: string; key?: string; id?: string; name?: string; trackerId?: string };
    const label = key.asin ?? key.key ?? key.id ?? key.name ?? key.trackerId ?? '?';
    throw invalidRow(target, table, `${label}: ${issue?.path.map(String).join('.') || 'record'}: ${issue?.message ?? 'invalid'}`);
  };
}

export function invalidRow(target: string, table: string, problem: string): SagaSyncError {
  return new SagaSyncError('storage_failure', `the SagaSync database ${target} holds an invalid ${table} row (${problem})`, {
    details: { location: `${target}: ${table}` },
  });
}
