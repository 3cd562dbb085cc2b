/**
 * One error model for every SagaSync package. `code` is a closed union so apps can map an error
 * to an exit code or HTTP status without string matching. A `Symbol.for` marker makes
 * `SagaSyncError.isInstance` work across duplicated copies of this package (bundles), where
 * `instanceof` does not.
 */
export type ErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'version_conflict'
  | 'already_exists'
  | 'storage_failure'
  | 'store_locked'
  | 'unsupported_format'
  | 'auth_failed'
  | 'rate_limited'
  | 'remote_failure'
  | 'config_missing'
  | 'internal';

const marker = Symbol.for('sagasync.error');

export interface ErrorDetails {
  /** The file, field or record the problem is about, when there is one. */
  readonly location?: string;
  /** A short suggestion for the person reading the message. */
  readonly hint?: string;
  /**
   * A stable reason a host can phrase its own advice for (the CLI names a command, a server a
   * route): packages give reasons, not terminal hints.
   */
  readonly reason?: string;
  readonly [key: string]: unknown;
}

export class SagaSyncError extends Error {
  readonly [marker] = true;
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: ErrorDetails } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SagaSyncError';
    this.code = code;
    this.details = options.details ?? {};
  }

  static isInstance(value: unknown): value is SagaSyncError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }
}

/** A write was based on a version of a record that someone else has changed since. */
export class VersionConflictError extends SagaSyncError {
  constructor(entity: string, key: string, expected: number | null, actual: number | null) {
    super('version_conflict', `${entity} ${key} changed concurrently (expected version ${expected ?? 'none'}, found ${actual ?? 'none'})`, {
      details: { entity, key, expected, actual },
    });
    this.name = 'VersionConflictError';
  }
}

export class NotFoundError extends SagaSyncError {
  constructor(entity: string, key: string) {
    super('not_found', `${entity} ${key} not found`, { details: { entity, key } });
    this.name = 'NotFoundError';
  }
}

/** Wraps a backend failure so apps see one error type whatever the storage adapter. */
export class StorageError extends SagaSyncError {
  constructor(operation: string, cause: unknown) {
    super('storage_failure', `storage operation ${operation} failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
      details: { operation },
    });
    this.name = 'StorageError';
  }
}
