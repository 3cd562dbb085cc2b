/**
 * `npm run reset -- --stage dev --user <name> --file <export> [--dry-run] [--yes]`: archives the
 * user's SagaSync pages in Notion, empties their library, imports the export and recomputes series
 * (see src/reset/command.ts, or run it with --help).
 */
import { createInterface } from 'node:readline/promises';
import { resetCommand } from '../src/reset/command.js';

async function prompt(question: string): Promise<string | null> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  rl.on('SIGINT', () => rl.close());
  try {
    // Ctrl-D or Ctrl-C (input closed) is no answer.
    const ended = new Promise<null>((resolve) => rl.once('close', () => resolve(null)));
    const answer = rl.question(question).catch(() => null);
    return await Promise.race([answer, ended]);
  } finally {
    rl.close();
  }
}

process.exitCode = await resetCommand(process.argv.slice(2), {
  env: process.env,
  io: {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stdin.isTTY),
    prompt,
  },
});
