import { defineConfig } from 'vitest/config';

// One vitest process runs every package's project: faster than per-package Nx tasks when cold.
// `nx run-many -t test` runs the same projects package by package, with caching.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'tools/*/vitest.config.ts'],
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'reports/vitest.json' },
  },
});
