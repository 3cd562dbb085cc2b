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

/**
 * Apps: one ESM program with its dependencies bundled in, apart from `external` (native modules
 * such as better-sqlite3). A command-line run pays for every module it loads, and Node resolving,
 * reading and linking a few hundred files costs more than the work of a small command. Code that a
 * command loads on demand (`import()`) becomes a chunk of its own, loaded only by that command.
 * Bundled CommonJS dependencies get a `require` for the Node built-ins they ask for.
 */
export function appConfig(options: { external?: string[]; shebang?: boolean } = {}) {
  const external = options.external ?? [];
  // tsup's noExternal wins over external, so the external names are left out of it.
  const escape = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const bundled = external.length === 0 ? /./ : new RegExp(`^(?!(?:${external.map(escape).join('|')})(?:/|$))`);
  return defineConfig({
    entry: ['src/main.ts'],
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: true,
    noExternal: [bundled],
    external,
    banner: {
      js: [
        ...(options.shebang ? ['#!/usr/bin/env node'] : []),
        "import { createRequire as __sagasyncCreateRequire } from 'node:module';",
        'const require = __sagasyncCreateRequire(import.meta.url);',
      ].join('\n'),
    },
  });
}
