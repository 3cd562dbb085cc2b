import { describe } from 'vitest';
import { describeAccounts } from './accounts.js';
import { describeSchedules } from './schedules.js';
import { describeSignIns } from './sign-ins.js';
import { createDirectorySuiteContext, type DirectoryConformanceOptions } from './suite-context.js';
import { describeTokens } from './tokens.js';
import { describeUsers } from './users.js';
import { describeValidation } from './validation.js';

export type { DirectoryConformanceOptions } from './suite-context.js';

/**
 * The directory conformance suite: registers vitest tests that hold a directory adapter to every
 * guarantee of the directory port. Call it at the top level of a test file; each test gets a fresh
 * directory from `create` and random ids and names, so it also runs against a shared backend.
 *
 * ```ts
 * runDirectoryConformance({ name: 'memory', create: async () => createMemoryDirectory() });
 * ```
 */
export function runDirectoryConformance(options: DirectoryConformanceOptions): void {
  describe(`directory conformance: ${options.name}`, () => {
    const ctx = createDirectorySuiteContext(options);
    describeUsers(ctx);
    describeTokens(ctx);
    describeAccounts(ctx);
    describeSignIns(ctx);
    describeSchedules(ctx);
    describeValidation(ctx);
  });
}
