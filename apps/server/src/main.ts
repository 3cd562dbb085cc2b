import { runServerCli } from './cli/program.js';

// The bin: the real process's IO, and signals tied to a graceful shutdown.
const code = await runServerCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  onServing: (close) => {
    const stop = () => {
      void close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  },
});
if (code !== 0) process.exitCode = code;
