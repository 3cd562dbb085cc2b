import { httpStatusFor, SagaSyncError } from '@sagasync/core';

export { ERROR_TABLE, exitCodeFor } from '@sagasync/core';
import * as z from 'zod';

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
      status: httpStatusFor(error),
      body: { error: { code: error.code, message: error.message, ...(location ? { location } : {}) } },
    };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'internal error' } } };
}
