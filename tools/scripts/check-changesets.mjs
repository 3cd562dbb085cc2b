#!/usr/bin/env node
// Fails when a published package changed since the base without a changeset naming it.
// Base: `--since <ref>` or CHANGESET_BASE, else the merge-base with origin/main, else the
// parent of the first commit not on main. On main itself there is nothing to compare, so it passes.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const git = (...args) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
const tryGit = (...args) => {
  try {
    return git(...args);
  } catch {
    return null;
  }
};

const sinceIndex = process.argv.indexOf('--since');
const base = (sinceIndex > 0 ? process.argv[sinceIndex + 1] : undefined) ?? process.env.CHANGESET_BASE ?? tryGit('merge-base', 'HEAD', 'origin/main');
if (!base) {
  console.log('changeset check: no base branch to compare with; skipped');
  process.exit(0);
}
const changed = git('diff', '--name-only', `${base}...HEAD`).split('\n').filter(Boolean);
const published = new Map();
for (const dir of readdirSync('packages')) {
  const file = join('packages', dir, 'package.json');
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  if (!pkg.private) published.set(dir, pkg.name);
}
// Tests, fixtures and docs inside a package do not change what users install.
const shipped = (path) => !/\.test\.ts$|\/test\/|\/fixtures\/|\/eval\/|\/scripts\//.test(path);
const touched = new Set(
  changed
    .filter((p) => p.startsWith('packages/') && shipped(p))
    .map((p) => p.split('/')[1])
    .filter((dir) => published.has(dir))
    .map((dir) => published.get(dir)),
);
const named = new Set();
for (const file of changed.filter((p) => /^\.changeset\/[^/]+\.md$/.test(p) && !p.endsWith('README.md'))) {
  if (!existsSync(file)) continue;
  const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(file, 'utf8'));
  for (const m of front?.[1].matchAll(/^["']?(@[^"':]+)["']?\s*:/gm) ?? []) named.add(m[1]);
}
const missing = [...touched].filter((name) => !named.has(name));
if (missing.length > 0) {
  console.error(`changeset check: these packages changed since ${base.slice(0, 12)} without a changeset: ${missing.join(', ')}`);
  console.error('run `npm run changeset` and commit the file it writes');
  process.exit(1);
}
console.log(`changeset check: ${touched.size} changed package(s) covered`);
