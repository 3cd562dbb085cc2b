#!/usr/bin/env node
// Publish gate for one package (run from its folder by `nx run <pkg>:publish-check`):
// publint on the package layout and @arethetypeswrong/cli on the packed tarball, so ESM, CJS
// and every TypeScript resolution mode see the same, correct types.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
if (pkg.private) {
  console.log(`${pkg.name} is private; nothing to check`);
  process.exit(0);
}
const run = (cmd, args) => {
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`publish-check: ${cmd} ${args.join(' ')} failed for ${pkg.name}`);
    process.exit(result.status ?? 1);
  }
};
run('npx', ['--no-install', 'publint', '--strict']);
run('npx', ['--no-install', 'attw', '--pack', '.']);
console.log(`publish-check: ${pkg.name} ok`);
