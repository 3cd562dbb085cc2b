import { ExpiringRecordSchema, SagaSyncError, type ExpiringData } from '@sagasync/core';
import { checkName } from './lease-rules.js';

const ExpiringDataSchema = ExpiringRecordSchema.omit({ ownerId: true });

/** Validates a record for `putExpiring` (the batch operation goes through the batch parser). */
export function parseExpiringData(value: unknown): ExpiringData {
  const parsed = ExpiringDataSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const location = ['record', ...(issue?.path ?? []).map(String)].join('.');
    throw new SagaSyncError('invalid_input', `invalid expiring record: ${location}: ${issue?.message ?? 'invalid'}`, { details: { location } });
  }
  return parsed.data;
}

export function parseNow(now: unknown): number {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new SagaSyncError('invalid_input', 'the current time must be a valid Date', { details: { location: 'now' } });
  }
  return now.getTime();
}

export function checkKindAndKey(kind: unknown, key: unknown): void {
  checkName(kind, 'kind');
  if (typeof key !== 'string' || key.length === 0 || key.length > 500) {
    throw new SagaSyncError('invalid_input', 'key must be a string of 1 to 500 characters', { details: { location: 'key' } });
  }
}

export const isUnexpired = (record: { expiresAt: string }, nowMs: number): boolean => Date.parse(record.expiresAt) > nowMs;
