#!/usr/bin/env node
// Scaffolds a publishable library: `node tools/scripts/new-package.mjs <name> "<description>"`.
// Creates packages/<name> with the shared tsup and vitest configs, an exports map and the
// `@sagasync/source` condition, so tests run against source and the publish checks pass.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [name, description = ''] = process.argv.slice(2);
if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
  console.error('usage: node tools/scripts/new-package.mjs <kebab-name> "<description>"');
  process.exit(1);
}
const dir = join('packages', name);
if (existsSync(dir)) {
  console.error(`${dir} already exists`);
  process.exit(1);
}
mkdirSync(join(dir, 'src'), { recursive: true });
const pkg = {
  name: `@sagasync/${name}`,
  version: '0.1.0',
  description,
  license: 'MIT',
  type: 'module',
  sideEffects: false,
  files: ['dist', 'README.md'],
  engines: { node: '>=20.19.0' },
  main: './dist/index.cjs',
  module: './dist/index.js',
  types: './dist/index.d.ts',
  exports: {
    '.': {
      '@sagasync/source': './src/index.ts',
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    },
    './package.json': './package.json',
  },
  scripts: {
    build: 'tsup',
    test: 'vitest run',
    typecheck: 'tsc -p tsconfig.json --noEmit',
    lint: 'eslint src',
    'publish-check': 'node ../../tools/scripts/publish-check.mjs',
  },
  dependencies: {},
  publishConfig: { access: 'public' },
};
const write = (file, text) => writeFileSync(join(dir, file), text);
write('package.json', JSON.stringify(pkg, null, 2) + '\n');
write('tsconfig.json', JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { outDir: 'dist' }, include: ['src', 'test'] }, null, 2) + '\n');
write('tsup.config.ts', "import { libraryConfig } from '../../tools/build/tsup.js';\n\nexport default libraryConfig();\n");
write('vitest.config.ts', `import { packageTestConfig } from '../../tools/build/vitest.js';\n\nexport default packageTestConfig('${name}');\n`);
write('src/index.ts', 'export {};\n');
write('README.md', `# @sagasync/${name}\n\n${description}\n`);
console.log(`created ${dir}; run npm install to link it, then add a changeset`);
