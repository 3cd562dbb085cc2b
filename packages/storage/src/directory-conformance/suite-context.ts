import { randomUUID } from 'node:crypto';
import type { DirectoryFactory, DirectoryPort, User } from '@sagasync/core';
import { perTest } from '../conformance/per-test.js';
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
  const directory = perTest(options.create, (value) => (options.destroy ? options.destroy(value) : value.close()), 'directory');
  const context: DirectorySuiteContext = {
    directory,
    id: (prefix) => `${prefix}-${randomUUID()}`,
    name: (prefix = 'u') => `${prefix}-${randomUUID()}`,
    user: (name) => context.directory().createUser({ id: context.id('user'), name: name ?? context.name(), createdAt: T0 }),
    parallelCallers: options.parallelCallers ?? 8,
  };
  return context;
}

export { expectFailure } from '../conformance/per-test.js';
