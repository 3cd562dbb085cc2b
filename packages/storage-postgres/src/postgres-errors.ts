import { SagaSyncError, StorageError } from '@sagasync/core';
import type { Pool } from 'pg';

/** SQLSTATEs that mean "another transaction got in the way; running the whole transaction again may succeed". */
const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected

/** Network errors of the driver (Node's), seen when the server is down, unreachable or restarting. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/**
 * Thrown inside a transaction to run it again from the start (see `withTransaction`): a
 * check-then-write that lost a race its statements could not absorb (two creators of one missing row).
 */
export class RetryTransaction extends Error {}

export function sqlState(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

export const isRetryable = (error: unknown): boolean => RETRYABLE.has(sqlState(error));

/**
 * Where the pool connects, for messages: `postgresql://user@host:port/database`, never the password
 * (a connection string's is dropped; `options.password` is never read).
 */
export function describeTarget(pool: Pool): string {
  const options = (pool as unknown as { options?: Record<string, unknown> }).options ?? {};
  let user = typeof options.user === 'string' ? options.user : undefined;
  let host = typeof options.host === 'string' ? options.host : undefined;
  let port = options.port !== undefined ? String(options.port) : undefined;
  let database = typeof options.database === 'string' ? options.database : undefined;
  if (typeof options.connectionString === 'string') {
    try {
      const url = new URL(options.connectionString);
      user ??= decodeURIComponent(url.username) || undefined;
      host ??= url.hostname || url.searchParams.get('host') || undefined;
      port ??= url.port || undefined;
      database ??= decodeURIComponent(url.pathname.slice(1)) || undefined;
    } catch {
      // Not a URL (a key=value string): say what we know from the other options.
    }
  }
  return `postgresql://${user ? `${user}@` : ''}${host ?? 'localhost'}:${port ?? '5432'}/${database ?? ''}`;
}

/**
 * Turns whatever pg threw into a SagaSyncError, as storage-sqlite's `toStoreError` does for SQLite;
 * errors we raised ourselves (version conflicts, invalid input) pass through unchanged.
 */
export function toPostgresError(error: unknown, pool: Pool, operation: string): SagaSyncError {
  if (SagaSyncError.isInstance(error)) return error;
  const code = sqlState(error);
  const target = describeTarget(pool);
  const details = { location: target, sqlState: code || undefined };
  // A create that lost a race past our own checks (two inserts of one key): the record exists now.
  if (code === '23505') {
    return new SagaSyncError('version_conflict', `${operation}: a record with this key was written concurrently (${constraintOf(error)})`, { cause: error, details });
  }
  // Still failing after `withTransaction`'s retries: the caller re-reads and tries again (retryOnConflict).
  if (RETRYABLE.has(code) || error instanceof RetryTransaction) {
    return new SagaSyncError('version_conflict', `${operation}: concurrent writes kept conflicting on ${target}; read again and retry`, { cause: error, details });
  }
  if (UNREACHABLE.has(code) || code.startsWith('08') || code === '57P01' || code === '57P03') {
    return new SagaSyncError('storage_failure', `cannot reach PostgreSQL at ${target} (${code}): is the server running and the address right?`, { cause: error, details });
  }
  if (code === '28P01' || code === '28000') {
    return new SagaSyncError('storage_failure', `PostgreSQL at ${target} refused the credentials (${code})`, { cause: error, details });
  }
  if (code === '3D000') {
    return new SagaSyncError('storage_failure', `the database of ${target} does not exist`, { cause: error, details });
  }
  if (code === '42P01') {
    return new SagaSyncError('storage_failure', `the database ${target} has no SagaSync tables: run migratePostgres(pool) first`, { cause: error, details });
  }
  return new StorageError(operation, error);
}

function constraintOf(error: unknown): string {
  const constraint = (error as { constraint?: unknown }).constraint;
  return typeof constraint === 'string' ? constraint : 'unique key';
}
