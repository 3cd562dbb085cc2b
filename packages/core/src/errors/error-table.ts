import { SagaSyncError, type ErrorCode } from './sagasync-error.js';

/**
 * One table from error code to HTTP status and CLI exit code, for every host: the server and the
 * Lambda answer with `http`, the CLI exits with `exit` (0 ok, 1 usage or runtime error, 2 invalid
 * input with nothing written).
 */
export const ERROR_TABLE: Readonly<Record<ErrorCode, { http: number; exit: 1 | 2 }>> = {
  invalid_input: { http: 400, exit: 2 },
  unsupported_format: { http: 415, exit: 2 },
  auth_failed: { http: 401, exit: 1 },
  not_found: { http: 404, exit: 1 },
  already_exists: { http: 409, exit: 1 },
  version_conflict: { http: 409, exit: 1 },
  store_locked: { http: 503, exit: 1 },
  rate_limited: { http: 429, exit: 1 },
  config_missing: { http: 422, exit: 1 },
  remote_failure: { http: 502, exit: 1 },
  storage_failure: { http: 500, exit: 1 },
  internal: { http: 500, exit: 1 },
};

/** The CLI's exit code for an error: 2 for invalid input, else 1. */
export function exitCodeFor(error: unknown): 1 | 2 {
  return SagaSyncError.isInstance(error) ? (ERROR_TABLE[error.code]?.exit ?? 1) : 1;
}

/** The HTTP status for an error: its code's, or 500 for anything that is not a `SagaSyncError`. */
export function httpStatusFor(error: unknown): number {
  return SagaSyncError.isInstance(error) ? (ERROR_TABLE[error.code]?.http ?? 500) : 500;
}
