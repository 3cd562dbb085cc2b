import { SagaSyncError } from '@sagasync/core';

/** `purgeSyncRuns`' bound as epoch milliseconds; anything but a valid Date is `invalid_input`. */
export function parseStartedBefore(value: unknown): number {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new SagaSyncError('invalid_input', 'the sync log bound must be a valid Date', { details: { location: 'startedBefore' } });
  }
  return value.getTime();
}
