import { defineConfig, type Options } from 'tsup';

/**
 * One build recipe for every publishable package: ESM + CJS + .d.ts, sourcemaps, node20.
 * Keeping it in one function makes a later move (tsdown, other targets) a one-file change.
 */
export function libraryConfig(overrides: Partial<Options> = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    ...overrides,
  });
}

/** Apps: one ESM entry with a shebang, dependencies kept external. */
export function appConfig(overrides: Partial<Options> = {}) {
  return defineConfig({
    entry: ['src/main.ts'],
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    ...overrides,
  });
}
