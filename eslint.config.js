// Code rules for every workspace. Import boundaries live in .dependency-cruiser.cjs.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.config.ts', 'reports/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // `import { z }` is zod's whole namespace object: a bundle then carries all of zod (every
      // locale included, about 750 KB and 4 MB more memory at start-up); `import * as z` lets
      // bundlers keep only what is used.
      'no-restricted-syntax': [
        'error',
        { selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']", message: "Use `import * as z from 'zod'` (tree-shakable)." },
      ],
    },
  },
  {
    // Libraries take options, never the environment: apps read env once and validate it.
    files: ['packages/*/src/**/*.ts'],
    ignores: ['packages/*/src/**/*.test.ts', 'packages/*/src/conformance/**'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Packages take options; only apps read process.env.' }],
    },
  },
);
