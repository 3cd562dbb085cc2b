// Builds the sagasync CLI and the packages it uses, through Nx (cached after the first time).
// Prints the build log only when it fails.
import { spawnSync } from 'node:child_process';

export function ensureCliBuilt() {
  process.stdout.write('building the sagasync CLI... ');
  const build = spawnSync('npx', ['--no-install', 'nx', 'run', '@sagasync/cli:build', '--output-style=static'], {
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
  });
  if (build.status !== 0) {
    console.log('failed');
    console.error(build.stdout, build.stderr);
    process.exit(1);
  }
  console.log('done');
}
