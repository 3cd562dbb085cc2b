import { defineProject } from 'vitest/config';

/**
 * Per-package vitest project. Workspace packages resolve to their TypeScript source through the
 * `@sagasync/source` export condition, so tests never need a build first.
 */
export function packageTestConfig(name: string, extra: { testTimeout?: number; setupFiles?: string[] } = {}) {
  return defineProject({
    resolve: { conditions: ['@sagasync/source'] },
    ssr: { resolve: { conditions: ['@sagasync/source'] } },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      testTimeout: extra.testTimeout ?? 20_000,
      hookTimeout: 60_000,
      setupFiles: extra.setupFiles ?? [],
    },
  });
}
