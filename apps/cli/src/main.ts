import { setFlagsFromString } from 'node:v8';
import { runCli } from './program.js';
import { processIo } from './runtime/io.js';

// V8 moves an allocation site's objects straight to the old generation once most of them survive
// ("pretenuring"). An import builds a plan that lives long, then writes it, and when V8 took the
// write's short-lived objects for long-lived ones, they piled up until the next full collection:
// measured on 100,000 titles, a quarter to half of the runs peaked near 370 MB instead of 280 MB. The CLI
// turns that heuristic off for its own process; it changes when memory is reclaimed, not results.
setFlagsFromString('--no-allocation-site-pretenuring');

// A reader that stops early (`sagasync books list | head -1`) closes the pipe: the rest of the
// output has nowhere to go, which is no error of ours. End quietly, as Unix tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

process.exitCode = await runCli(process.argv.slice(2), processIo());
