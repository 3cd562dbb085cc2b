import { Command, CommanderError } from 'commander';
import { SagaSyncError } from '@sagasync/core';
import { createCredentialSealer } from '@sagasync/storage';
import { createLogger } from '../http/logger.js';
import { startServer } from '../lifecycle/start-server.js';
import { loadSettings, SettingsError } from '../settings/settings.js';
import { openStores, serverSecret } from '../stores/open-stores.js';
import { userAdmin } from '../users/user-admin.js';

export const VERSION = '0.1.0';

export interface ServerIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Called with the running server's close once `serve` listens; the bin ties it to SIGINT/SIGTERM. */
  onServing?: (close: () => Promise<void>) => void;
}

/**
 * `sagasync-server <command>`: serve (the default), migrate, and the user commands. Returns the
 * exit code; errors are one line on stderr, never a stack trace.
 */
export async function runServerCli(argv: string[], io: ServerIo): Promise<number> {
  const print = (line: string): void => void io.stdout.write(`${line}\n`);
  const settings = () => loadSettings(io.env, io.cwd);
  const withAdmin = async <T>(work: (admin: ReturnType<typeof userAdmin>) => Promise<T>): Promise<T> => {
    const s = settings();
    const stores = await openStores(s);
    try {
      return await work(userAdmin(stores.directory, createCredentialSealer({ secret: serverSecret(s).secret })));
    } finally {
      await stores.close();
    }
  };

  const program = new Command('sagasync-server')
    .description('The self-hosted SagaSync server: the SagaSync API, signed webhooks and scheduled Audible syncs')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  program
    .command('serve', { isDefault: true })
    .description('Run the server on HOST:PORT (default 127.0.0.1:8080), on SQLite or DATABASE_URL')
    .action(async () => {
      const s = settings();
      const server = await startServer(s, { log: createLogger(s.logLevel) });
      io.onServing?.(server.close);
    });

  program
    .command('migrate')
    .description('Bring the database schema up to date and exit (serve does it at start too)')
    .action(async () => {
      const s = settings();
      const stores = await openStores(s);
      await stores.close();
      print(`The database ${stores.label} is up to date.`);
    });

  const user = program.command('user').description('Users of this server, each with their own library');
  user
    .command('add <name>')
    .description('Add a user; prints their API token and webhook secret once (only hashes and sealed secrets are kept)')
    .option('--json', 'print {"user", "token", "webhookSecret"}')
    .action(async (name: string, options: { json?: boolean }) => {
      const created = await withAdmin((admin) => admin.add(name));
      if (options.json) return print(JSON.stringify({ user: created.user, token: created.token, webhookSecret: created.webhookSecret }));
      print(`Added user ${created.user.name} (${created.user.id}).`);
      print(`API token (shown once):      ${created.token}`);
      print(`Webhook secret (shown once): ${created.webhookSecret}`);
    });
  user
    .command('list')
    .description('Users, their token count and last use')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const users = await withAdmin((admin) => admin.list());
      if (options.json) return print(JSON.stringify({ items: users.map((u) => ({ ...u.user, tokens: u.tokens, lastUsedAt: u.lastUsedAt })) }));
      if (users.length === 0) return print('No users yet. Add one with: sagasync-server user add <name>');
      for (const u of users) print(`${u.user.name}\t${u.user.id}\t${u.tokens} token${u.tokens === 1 ? '' : 's'}\tlast used ${u.lastUsedAt ?? 'never'}`);
    });
  user
    .command('remove <name>')
    .description('Remove a user and their tokens, webhook secret, Audible accounts and schedule')
    .action(async (name: string) => {
      const removed = await withAdmin((admin) => admin.remove(name));
      print(`Removed user ${removed.name} (${removed.id}); their library records stay under that id.`);
    });
  user
    .command('webhook-secret <name>')
    .description('Make a new webhook signing secret for the user (the old one stops working); printed once')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const { user: u, webhookSecret } = await withAdmin((admin) => admin.rotateWebhookSecret(name));
      print(options.json ? JSON.stringify({ user: u, webhookSecret }) : `Webhook secret of ${u.name} (shown once): ${webhookSecret}`);
    });
  program
    .command('token')
    .description('API tokens')
    .command('rotate <name>')
    .description('Give the user a new API token; every older one stops working. Printed once')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const { user: u, token } = await withAdmin((admin) => admin.rotateToken(name));
      print(options.json ? JSON.stringify({ user: u, token }) : `API token of ${u.name} (shown once): ${token}`);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? 0 : 1;
    const message = error instanceof SettingsError ? `setting ${error.message}` : SagaSyncError.isInstance(error) ? error.message : error instanceof Error ? error.message : String(error);
    io.stderr.write(`error: ${message}\n`);
    return SagaSyncError.isInstance(error) && error.code === 'invalid_input' ? 2 : 1;
  }
}
