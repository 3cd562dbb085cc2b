import { SagaSyncError, StorageError } from '@sagasync/core';
import { isThrottling } from '../client/retry.js';

/** Errors of Node's network stack, and the SDK's own timeout, seen when DynamoDB (or DynamoDB Local) cannot be reached. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'TimeoutError']);

/** What AWS answers for missing, wrong or expired credentials, or a role without the table's permissions. */
const REFUSED = new Set(['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'AccessDeniedException', 'CredentialsProviderError', 'MissingAuthenticationToken']);

function errorCode(error: unknown): string {
  if (!(error instanceof Error)) return '';
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error.name;
}

/**
 * Turns whatever the SDK threw into a SagaSyncError, as the other adapters do for their drivers;
 * errors we raised ourselves (invalid input, not found, version conflicts) pass through unchanged.
 * No message quotes an item: items hold hashes and ciphertexts.
 */
export function toDirectoryError(error: unknown, tableName: string, operation: string): SagaSyncError {
  if (SagaSyncError.isInstance(error)) return error;
  const code = errorCode(error);
  const cause = (error as { cause?: unknown } | null)?.cause;
  const details = { location: `dynamodb table ${tableName}`, operation, awsError: code || undefined };
  if (code === 'ResourceNotFoundException') {
    return new SagaSyncError('storage_failure', `${operation}: the DynamoDB table ${tableName} does not exist (or not in this region): create it first (createTable)`, { cause: error, details });
  }
  if (UNREACHABLE.has(code) || UNREACHABLE.has(errorCode(cause))) {
    return new SagaSyncError('storage_failure', `${operation}: cannot reach DynamoDB (${code}): is the endpoint right and the service up?`, { cause: error, details });
  }
  if (REFUSED.has(code)) {
    return new SagaSyncError('storage_failure', `${operation}: DynamoDB refused the credentials or the permissions for table ${tableName} (${code})`, { cause: error, details });
  }
  if (isThrottling(error)) {
    return new SagaSyncError('storage_failure', `${operation}: DynamoDB kept throttling requests to table ${tableName}; try again later`, { cause: error, details });
  }
  return new StorageError(operation, error);
}
