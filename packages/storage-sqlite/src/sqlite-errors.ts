import { SagaSyncError, StorageError } from '@sagasync/core';
import { storeFilesReadOnly, unwritableStoreFiles } from './store-files.js';

/** SQLite result codes (better-sqlite3's `SqliteError.code`) that mean "someone else holds the lock". */
function isBusy(code: string): boolean {
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

export function storeLocked(path: string, cause?: unknown): SagaSyncError {
  return new SagaSyncError('store_locked', `the SagaSync store ${path} is busy: another process is writing to it`, {
    cause,
    details: { location: path, reason: 'store_busy' },
  });
}

/**
 * Turns whatever better-sqlite3 threw into a SagaSyncError; errors we raised ourselves (version
 * conflicts, invalid input) pass through unchanged.
 */
export function toStoreError(error: unknown, path: string, operation: string): SagaSyncError {
  if (SagaSyncError.isInstance(error)) return error;
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
  if (isBusy(code)) return storeLocked(path, error);
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) {
    // SQLite opens a store read-only when it cannot write one of its files: name them.
    const unwritable = unwritableStoreFiles(path);
    if (unwritable.length > 0) return storeFilesReadOnly(path, unwritable, error);
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return new SagaSyncError('storage_failure', `cannot open the SagaSync store ${path}: ${error instanceof Error ? error.message : code}`, {
      cause: error,
      details: { location: path },
    });
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new SagaSyncError('storage_failure', `the SagaSync store ${path} is read-only: ${operation} needs write access`, {
      cause: error,
      details: { location: path },
    });
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new SagaSyncError('storage_failure', `${path} is not a SagaSync store, or it is damaged (${code})`, { cause: error, details: { location: path } });
  }
  return new StorageError(operation, error);
}
