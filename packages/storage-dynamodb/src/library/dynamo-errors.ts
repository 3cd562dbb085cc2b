import { SagaSyncError, StorageError } from '@sagasync/core';
import { isThrottling } from '../client/retry.js';

/** Node's network errors, seen when the endpoint is wrong or down. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const REFUSED_CREDENTIALS = new Set(['UnrecognizedClientException', 'InvalidSignatureException', 'AccessDeniedException', 'ExpiredTokenException', 'CredentialsProviderError']);

/** One reason per action of a cancelled transaction, as the SDK hands them over (old items unmarshalled by no one). */
interface CancellationReason {
  Code?: string;
  Message?: string;
  Item?: Record<string, WireValue>;
}

/** An attribute in DynamoDB's wire format, as in `CancellationReasons` and a failed condition's `Item`. */
export type WireValue = { S?: string; N?: string; BOOL?: boolean };

export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

export const isConditionFailure = (error: unknown): boolean => errorName(error) === 'ConditionalCheckFailedException';

/** The per-action reasons of a `TransactionCanceledException`, or null for any other error. */
export function cancellationReasons(error: unknown): CancellationReason[] | null {
  if (errorName(error) !== 'TransactionCanceledException') return null;
  const reasons = (error as { CancellationReasons?: unknown }).CancellationReasons;
  return Array.isArray(reasons) ? (reasons as CancellationReason[]) : [];
}

/** A string or number attribute of a wire-format item (the only kinds our conditions read back). */
export function wireString(item: Record<string, WireValue> | undefined, name: string): string | undefined {
  return item?.[name]?.S;
}

export function wireNumber(item: Record<string, WireValue> | undefined, name: string): number | undefined {
  const text = item?.[name]?.N;
  return text === undefined ? undefined : Number(text);
}

/**
 * Turns whatever the SDK threw into a SagaSyncError, as storage-postgres's `toPostgresError` does
 * for pg; errors we raised ourselves (version conflicts, invalid input) pass through unchanged.
 */
export function toStoreError(error: unknown, operation: string, tableName: string): SagaSyncError {
  if (SagaSyncError.isInstance(error)) return error;
  const name = errorName(error);
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const details = { location: `dynamodb table ${tableName}`, awsError: name || undefined };
  if (name === 'ResourceNotFoundException') {
    return new SagaSyncError('storage_failure', `the DynamoDB table ${tableName} does not exist (or is not active yet): create it with createTable`, { cause: error, details });
  }
  if (isThrottling(error)) {
    return new SagaSyncError('rate_limited', `${operation}: DynamoDB kept throttling requests to ${tableName} (${name}); try again later`, { cause: error, details });
  }
  if (name === 'ValidationException' && /item size/i.test(message)) {
    return new SagaSyncError('invalid_input', `${operation}: a record is larger than DynamoDB's 400 KB item limit`, { cause: error, details });
  }
  if (name === 'ValidationException' && /key values must be under/i.test(message)) {
    return new SagaSyncError('invalid_input', `${operation}: a key is longer than DynamoDB allows (1024 bytes for a sort key)`, { cause: error, details });
  }
  if (REFUSED_CREDENTIALS.has(name)) {
    return new SagaSyncError('storage_failure', `DynamoDB refused the credentials or the access to ${tableName} (${name})`, { cause: error, details });
  }
  if ((typeof code === 'string' && UNREACHABLE.has(code)) || name === 'TimeoutError') {
    return new SagaSyncError('storage_failure', `cannot reach DynamoDB (${typeof code === 'string' ? code : name}): is the endpoint right and the service up?`, { cause: error, details });
  }
  return new StorageError(operation, error);
}
