import { SagaSyncError, type ErrorCode } from '@sagasync/core';
import { afterEach, beforeEach, expect } from 'vitest';

/**
 * A fresh instance per test (a store, a directory), made before each test of the enclosing
 * `describe` and disposed of after it; the getter fails outside a test.
 */
export function perTest<T>(create: () => Promise<T>, dispose: (value: T) => Promise<void>, what: string): () => T {
  let current: T | null = null;
  beforeEach(async () => {
    current = await create();
  });
  afterEach(async () => {
    const value = current;
    current = null;
    if (value !== null) await dispose(value);
  });
  return () => {
    if (current === null) throw new Error(`the conformance ${what} is only available inside a test`);
    return current;
  };
}

/**
 * Awaits `action`, expecting a SagaSyncError of `code` and, when given, pointing at `location`
 * (the field a person should fix); returns the error.
 */
export async function expectFailure(action: Promise<unknown>, code: ErrorCode, location?: string): Promise<SagaSyncError> {
  let failure: unknown;
  try {
    await action;
  } catch (error) {
    failure = error;
  }
  expect(failure, `expected a ${code} failure, but the call succeeded`).toBeDefined();
  expect(SagaSyncError.isInstance(failure), `expected a SagaSyncError, got ${String(failure)}`).toBe(true);
  const error = failure as SagaSyncError;
  expect(error.code, error.message).toBe(code);
  if (location !== undefined) expect(error.details.location, error.message).toBe(location);
  return error;
}
