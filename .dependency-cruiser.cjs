/**
 * The dependency rule of ARCHITECTURE.md: apps -> adapters and pure packages -> core.
 * `npm run lint:deps` fails on any violation.
 */
const ADAPTERS = '(storage-sqlite|storage-postgres|storage-dynamodb)';
module.exports = {
  forbidden: [
    {
      name: 'core-imports-only-zod',
      comment: 'core is pure: it depends on zod and nothing else (no node built-ins, no other packages).',
      severity: 'error',
      from: { path: '^packages/core/src', pathNot: '\\.test\\.ts$' },
      to: {
        pathNot: ['^packages/core/src', '^node_modules/zod/', 'zod'],
      },
    },
    {
      name: 'no-package-imports-an-app',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-package-imports-a-tool',
      comment: 'tools (fakes, bench) are for tests and benchmarks only.',
      severity: 'error',
      from: { path: '^packages/[^/]+/src', pathNot: '\\.test\\.ts$' },
      to: { path: '^tools/' },
    },
    {
      name: 'pure-packages-import-no-adapter',
      comment: 'A pure package never imports a storage adapter; only apps pick one.',
      severity: 'error',
      from: { path: '^packages/(?!' + ADAPTERS.slice(1, -1) + ')[^/]+/' },
      to: { path: '^packages/' + ADAPTERS + '/' },
    },
    {
      name: 'adapters-import-no-other-adapter',
      severity: 'error',
      from: { path: '^packages/' + ADAPTERS + '/' },
      to: { path: '^packages/' + ADAPTERS + '/', pathNot: '^packages/$1/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@sagasync/source', 'import', 'require', 'node', 'default'],
      mainFields: ['module', 'main', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    combinedDependencies: true,
  },
};
