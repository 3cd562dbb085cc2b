import { SagaSyncError } from '@sagasync/core';
import type * as z from 'zod';

/**
 * Validates an API answer against the shape the client relies on. A mismatch means Audible
 * changed something: report where, without echoing values (they may be tokens).
 */
export function parseResponse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
  throw new SagaSyncError('remote_failure', `Unexpected response from ${what}: ${issues}`, { details: { location: what } });
}
