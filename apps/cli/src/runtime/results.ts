import type { Result, SagaSyncError } from '@sagasync/core';

/** Unwraps a use case's expected failure into the error the CLI reports (with its exit code). */
export function unwrap<T>(result: Result<T, SagaSyncError>): T {
  if (!result.success) throw result.error;
  return result.value;
}
