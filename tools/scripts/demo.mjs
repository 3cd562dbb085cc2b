#!/usr/bin/env node
// `npm run demo`: imports the invented sample library in examples/ into a throwaway store and
// prints the series report, the way a newcomer would on their own export.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCliBuilt } from './ensure-cli-built.mjs';

ensureCliBuilt();

const store = join(mkdtempSync(join(tmpdir(), 'sagasync-demo-')), 'sagasync.db');
const cli = ['apps/cli/dist/main.js', '--store', store];
const steps = [
  ['import', 'examples/library.tsv'],
  ['import', 'examples/library.tsv', '--commit'],
  ['import', 'examples/series-metadata.json', '--commit'],
  ['series', 'list'],
  ['series', 'show', 'The Ember Throne'],
  ['books', 'list', '--status', 'in_progress'],
];
let status = 0;
for (const args of steps) {
  console.log(`\n$ sagasync ${args.join(' ')}`);
  status = spawnSync(process.execPath, [...cli, ...args], { stdio: 'inherit' }).status ?? 1;
  if (status !== 0) break;
}
rmSync(join(store, '..'), { recursive: true, force: true });
if (status === 0) console.log('\nThat was a throwaway store. Keep your own with --store <file> or SAGASYNC_STORE.');
process.exit(status);
