#!/usr/bin/env node
// `npm run server [-- <command>]`: builds the server (cached by Nx after the first time), then runs
// `sagasync-server` with the given command (default `serve`: SQLite in the data directory, or
// DATABASE_URL) in this process's place, so Ctrl-C reaches it for a graceful stop.
import { spawnSync, spawn } from 'node:child_process';

process.stderr.write('building the SagaSync server... ');
const build = spawnSync('npx', ['--no-install', 'nx', 'run', '@sagasync/server:build', '--output-style=static'], {
  encoding: 'utf8',
  env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
});
if (build.status !== 0) {
  process.stderr.write('failed\n');
  console.error(build.stdout, build.stderr);
  process.exit(1);
}
process.stderr.write('done\n');
const child = spawn(process.execPath, ['apps/server/dist/main.js', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
