#!/usr/bin/env node
// `npm run bench`: builds the CLI (benchmarks time the real built process), then runs every
// benchmark in tools/bench. Each prints its figures beside a baseline measured in the same run.
import { spawnSync } from 'node:child_process';
import { ensureCliBuilt } from './ensure-cli-built.mjs';

ensureCliBuilt();
const result = spawnSync('npx', ['--no-install', 'tsx', 'tools/bench/src/index.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
