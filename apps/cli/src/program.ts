import { Command, CommanderError } from 'commander';
import { exitCodeFor, SagaSyncError } from '@sagasync/core';
import { registerAudibleCommands } from './commands/audible.js';
import { registerBooksCommands } from './commands/books.js';
import { registerCleanupCommands } from './commands/cleanup.js';
import { registerExportCommand } from './commands/export.js';
import { registerImportCommand } from './commands/import.js';
import { registerMatchCommands } from './commands/match.js';
import { registerNotionCommands } from './commands/notion.js';
import { registerProgressCommands } from './commands/progress.js';
import { registerSeriesCommands } from './commands/series.js';
import { registerStatusCommand } from './commands/status.js';
import { registerStoreCommands } from './commands/store.js';
import { CommandContext } from './runtime/context.js';
import { hintFor } from './output/hints.js';
import { CliError, EXIT, ExitWith, readEnv } from './runtime/env.js';
import { READ_ONLY_COMMANDS } from './runtime/store.js';
import type { CliIo } from './runtime/io.js';

export const VERSION = '0.1.0';

function buildProgram(ctx: CommandContext): Command {
  const program = new Command('sagasync')
    .description('Your Audible library, its series (missing volumes included) and your listening progress, in one store.')
    .version(VERSION)
    .option('--store <path>', 'store file (default: $SAGASYNC_STORE or $XDG_DATA_HOME/sagasync/sagasync.db)')
    .option('--verbose', 'show stack traces and extra detail on errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
    })
    .hook('preAction', (_this, action) => {
      ctx.globals = action.optsWithGlobals();
      ctx.readsOnly = READ_ONLY_COMMANDS.has(commandPath(action));
    });
  registerImportCommand(program, ctx);
  registerBooksCommands(program, ctx);
  registerSeriesCommands(program, ctx);
  registerProgressCommands(program, ctx);
  registerCleanupCommands(program, ctx);
  registerMatchCommands(program, ctx);
  registerAudibleCommands(program, ctx);
  registerNotionCommands(program, ctx);
  registerExportCommand(program, ctx);
  registerStatusCommand(program, ctx);
  registerStoreCommands(program, ctx);
  // Every sub-command inherits the error routing and exit override.
  for (const command of program.commands) propagate(command, program);
  return program;
}

/** `series show` for the action of `sagasync series show`. */
function commandPath(action: Command): string {
  const names: string[] = [];
  for (let command: Command | null = action; command?.parent; command = command.parent) names.unshift(command.name());
  return names.join(' ');
}

function propagate(command: Command, root: Command): void {
  command.exitOverride().configureOutput(root.configureOutput()).showHelpAfterError('(run with --help for usage)');
  for (const sub of command.commands) propagate(sub, root);
}

/**
 * Runs the CLI and returns its exit code: 0 success, 1 usage or runtime error, 2 invalid input
 * (nothing written). Errors print as one line with a hint; `--verbose` adds the stack.
 */
export async function runCli(argv: string[], io: CliIo, options: { clock?: () => Date } = {}): Promise<number> {
  let ctx: CommandContext | null = null;
  const verbose = argv.includes('--verbose');
  try {
    ctx = new CommandContext(io, readEnv(io.env), options.clock);
    const program = buildProgram(ctx);
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, verbose);
  } finally {
    try {
      await ctx?.close();
    } catch (error) {
      reportError(error, io, verbose);
    }
  }
}

function reportError(error: unknown, io: CliIo, verbose: boolean): number {
  if (error instanceof ExitWith) return error.exitCode;
  if (error instanceof CommanderError) {
    // Commander printed its own message already; help and version are successes.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
    return error.exitCode === 0 ? EXIT.ok : EXIT.error;
  }
  const write = (s: string) => io.stderr.write(s + '\n');
  if (error instanceof CliError) {
    write(`error: ${error.message}`);
    if (error.hint) write(`hint: ${error.hint}`);
    if (verbose && error.cause instanceof Error) write(error.cause.stack ?? String(error.cause));
    return error.exitCode;
  }
  if (SagaSyncError.isInstance(error)) {
    write(`error: ${error.message}`);
    const hint = hintFor(error);
    if (hint) write(`hint: ${hint}`);
    if (verbose) write(error.stack ?? '');
    return exitCodeFor(error);
  }
  write(`error: ${error instanceof Error ? error.message : String(error)}`);
  if (verbose && error instanceof Error) write(error.stack ?? '');
  else write('hint: run again with --verbose for details');
  return EXIT.error;
}

