import { SagaSyncError, type ErrorCode } from '@sagasync/core';
import * as z from 'zod';

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

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** The field, file or record the problem is about, when there is one. */
    location: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/**
 * The status and body a host answers an error with. A `SagaSyncError` keeps its code and message
 * (they are written for the user, and never carry secrets); anything else is an `internal` error
 * whose message is not shown, since it may quote a stack or a value.
 */
export function errorResponse(error: unknown): { status: number; body: ErrorBody } {
  if (SagaSyncError.isInstance(error)) {
    const location = typeof error.details.location === 'string' ? error.details.location : undefined;
    return {
      status: ERROR_TABLE[error.code]?.http ?? 500,
      body: { error: { code: error.code, message: error.message, ...(location ? { location } : {}) } },
    };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'internal error' } } };
}

/** The CLI's exit code for an error: 2 for invalid input, else 1. */
export function exitCodeFor(error: unknown): 1 | 2 {
  return SagaSyncError.isInstance(error) ? (ERROR_TABLE[error.code]?.exit ?? 1) : 1;
}
