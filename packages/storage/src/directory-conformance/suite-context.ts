import { randomUUID } from 'node:crypto';
import { SagaSyncError, type DirectoryFactory, type DirectoryPort, type ErrorCode, type User } from '@sagasync/core';
import { afterEach, beforeEach, expect } from 'vitest';
import { T0 } from './fixtures.js';

export interface DirectoryConformanceOptions {
  /** Shown in the test names, e.g. `sqlite`. */
  name: string;
  /** A fresh directory (or one shared with other runs: every test uses random ids and names); called before every test. */
  create: DirectoryFactory;
  /** Disposes of a directory after its test; defaults to `directory.close()`. */
  destroy?: (directory: DirectoryPort) => Promise<void>;
  /**
   * Callers racing on one record in the concurrency tests.
   * @default 8
   */
  parallelCallers?: number;
}

export interface DirectorySuiteContext {
  /** The current test's directory. */
  directory(): DirectoryPort;
  /** A random id with a readable prefix. */
  id(prefix: string): string;
  /** A random user name (lower case, unique per call), with an optional prefix that sorts a test's users together. */
  name(prefix?: string): string;
  /** Creates a user with a random id and name. */
  user(name?: string): Promise<User>;
  readonly parallelCallers: number;
}

/** Registers the per-test directory lifecycle in the enclosing `describe`. */
export function createDirectorySuiteContext(options: DirectoryConformanceOptions): DirectorySuiteContext {
  let current: DirectoryPort | null = null;
  beforeEach(async () => {
    current = await options.create();
  });
  afterEach(async () => {
    const directory = current;
    current = null;
    if (directory) await (options.destroy ? options.destroy(directory) : directory.close());
  });
  const context: DirectorySuiteContext = {
    directory() {
      if (!current) throw new Error('the conformance directory is only available inside a test');
      return current;
    },
    id: (prefix) => `${prefix}-${randomUUID()}`,
    name: (prefix = 'u') => `${prefix}-${randomUUID()}`,
    user: (name) => context.directory().createUser({ id: context.id('user'), name: name ?? context.name(), createdAt: T0 }),
    parallelCallers: options.parallelCallers ?? 8,
  };
  return context;
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
