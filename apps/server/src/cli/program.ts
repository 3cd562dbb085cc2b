import { readFile } from 'node:fs/promises';
import { Command, CommanderError } from 'commander';
import { SagaSyncError, UserNameInputSchema, type User } from '@sagasync/core';
import { createCredentialSealer, type CredentialSealer } from '@sagasync/storage';
import { createLogger } from '../http/logger.js';
import { startServer } from '../lifecycle/start-server.js';
import { NOTION_CREDENTIAL, saveNotionConnection, userAdmin } from '@sagasync/host';
import { loadSettings, SettingsError } from '../settings/settings.js';
import { openDirectoryStores, openStores, serverSecret, type Stores } from '../stores/open-stores.js';

export const VERSION = '0.1.0';

export interface ServerIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Called with the running server's close once `serve` listens; the bin ties it to SIGINT/SIGTERM. */
  onServing?: (close: () => Promise<void>) => void;
  /** Where secrets are read from (`user notion-token`); default the process's standard input. */
  stdin?: SecretInput;
}

/** Standard input as `user notion-token` reads it: piped text, or a terminal it reads without echo. */
export type SecretInput = AsyncIterable<string | Buffer> & {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
  setEncoding?: (encoding: BufferEncoding) => unknown;
  on?: (event: 'data', listener: (chunk: string | Buffer) => void) => unknown;
  off?: (event: 'data', listener: (chunk: string | Buffer) => void) => unknown;
  resume?: () => unknown;
  pause?: () => unknown;
};

/** More than any integration token; a larger input is not one. */
const MAX_TOKEN_INPUT = 8 * 1024;

/**
 * A Notion integration token (`ntn_…`, or `secret_…` for older ones): one word of printable
 * characters. The message never quotes the input: it may be the token with a typo.
 */
function parseNotionToken(text: string, from: string): string {
  const token = text.trim();
  if (token.length === 0) throw new SagaSyncError('invalid_input', `no Notion token on ${from}`, { details: { location: 'token' } });
  if (!/^[\x21-\x7e]{1,1000}$/.test(token)) {
    throw new SagaSyncError('invalid_input', `${from} must hold the Notion integration token alone: one line of printable characters without spaces`, { details: { location: 'token' } });
  }
  return token;
}

/** Everything piped in (at most MAX_TOKEN_INPUT bytes). */
async function readPiped(input: SecretInput): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (text.length > MAX_TOKEN_INPUT) throw new SagaSyncError('invalid_input', 'standard input is too long for a Notion token', { details: { location: 'token' } });
  }
  return text;
}

/** One line typed at a terminal, not echoed; Ctrl-C or Ctrl-D cancels. */
function readHidden(input: SecretInput, prompt: (text: string) => void): Promise<string> {
  const { on, off, setRawMode } = input;
  if (!on || !off || !setRawMode) return readPiped(input);
  prompt('Notion integration token (not shown; Enter when done): ');
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (outcome: () => void) => {
      off.call(input, 'data', onData);
      setRawMode.call(input, false);
      input.pause?.();
      prompt('\n');
      outcome();
    };
    const onData = (chunk: string | Buffer) => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(() => resolve(value));
        if (ch === '\u0003' || ch === '\u0004') return finish(() => reject(new SagaSyncError('invalid_input', 'cancelled: no Notion token was stored', { details: { location: 'token' } })));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    setRawMode.call(input, true);
    input.setEncoding?.('utf8');
    on.call(input, 'data', onData);
    input.resume?.();
  });
}

async function userNamed(stores: Stores, name: string): Promise<User> {
  const parsed = UserNameInputSchema.safeParse(name);
  if (!parsed.success) throw new SagaSyncError('invalid_input', `user name "${name}": ${parsed.error.issues[0]?.message ?? 'invalid'}`, { details: { location: 'name' } });
  const user = await stores.directory.getUserByName(parsed.data);
  if (!user) throw new SagaSyncError('not_found', `no user named "${name}"`, { details: { location: 'name' } });
  return user;
}

/**
 * `sagasync-server <command>`: serve (the default), migrate, and the user commands. Returns the
 * exit code; errors are one line on stderr, never a stack trace.
 */
export async function runServerCli(argv: string[], io: ServerIo): Promise<number> {
  const print = (line: string): void => void io.stdout.write(`${line}\n`);
  const settings = () => loadSettings(io.env, io.cwd);
  const withStores = async <T>(work: (stores: Stores, sealer: CredentialSealer) => Promise<T>): Promise<T> => {
    const directory = program.opts<{ directory?: string }>().directory;
    if (directory !== undefined) {
      // Another deployment's users (the AWS one): its table, with its SAGASYNC_SECRET.
      const secret = io.env.SAGASYNC_SECRET;
      if (!secret) throw new SettingsError(`SAGASYNC_SECRET: must be set with --directory (the deployment's secret: it seals webhook secrets and tokens)`);
      const stores = await openDirectoryStores(directory, io.env);
      try {
        return await work(stores, createCredentialSealer({ secret }));
      } finally {
        await stores.close();
      }
    }
    const s = settings();
    const stores = await openStores(s);
    try {
      return await work(stores, createCredentialSealer({ secret: serverSecret(s).secret }));
    } finally {
      await stores.close();
    }
  };
  const withAdmin = <T>(work: (admin: ReturnType<typeof userAdmin>) => Promise<T>): Promise<T> => withStores((stores, sealer) => work(userAdmin(stores.directory, sealer)));

  const program = new Command('sagasync-server')
    .description('The self-hosted SagaSync server: the SagaSync API, signed webhooks and scheduled Audible syncs')
    .version(VERSION)
    .option('--directory <store>', "the user commands act on another deployment's directory: dynamodb:<table> (the AWS deployment's table; AWS_REGION and credentials as the AWS CLI takes them)")
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
  user
    .command('notion-token <name>')
    .description(
      "Store the user's Notion integration token, sealed with the server's key, for their Notion mirror and webhooks. " +
        'Read from standard input (piped, or typed without echo) or --token-file, never from the command line',
    )
    .option('--token-file <path>', 'read the token from this file instead of standard input')
    .option('--clear', 'remove the stored token (Notion pushes and webhooks stop for the user)')
    .option('--json', 'print JSON')
    // A token given as an argument is refused by name below, rather than as "too many arguments".
    .allowExcessArguments(true)
    .action(async (name: string, options: { tokenFile?: string; clear?: boolean; json?: boolean }, command: Command) => {
      if (command.args.length > 1) {
        throw new SagaSyncError('invalid_input', 'the Notion token is never an argument (shell history and `ps` would keep it): pipe it in, or use --token-file <path>', {
          details: { location: 'token' },
        });
      }
      if (options.clear && options.tokenFile !== undefined) throw new SagaSyncError('invalid_input', '--clear and --token-file do not go together', { details: { location: 'token' } });
      if (options.clear) {
        const { user: u, removed } = await withStores(async (stores) => {
          const found = await userNamed(stores, name);
          const existed = (await stores.storage.getCredential(found.id, NOTION_CREDENTIAL)) !== null;
          if (existed) await stores.storage.applyBatch(found.id, [{ op: 'deleteCredential', name: NOTION_CREDENTIAL }]);
          return { user: found, removed: existed };
        });
        if (options.json) return print(JSON.stringify({ user: u, notion: { connected: false, removed } }));
        return print(removed ? `Removed the Notion token of ${u.name}.` : `${u.name} had no Notion token stored.`);
      }
      // The user is checked before the token is asked for.
      await withStores((stores) => userNamed(stores, name));
      const stdin = io.stdin ?? (process.stdin as SecretInput);
      const token =
        options.tokenFile !== undefined
          ? parseNotionToken(await readTokenFile(options.tokenFile), options.tokenFile)
          : parseNotionToken(stdin.isTTY ? await readHidden(stdin, (text) => void io.stderr.write(text)) : await readPiped(stdin), 'standard input');
      const u = await withStores(async (stores, sealer) => {
        const found = await userNamed(stores, name);
        await saveNotionConnection(stores.storage, sealer, found.id, { token }, new Date());
        return found;
      });
      if (options.json) return print(JSON.stringify({ user: u, notion: { connected: true } }));
      print(`Stored the Notion token of ${u.name}, sealed with the server's key.`);
      print(`GET /api/notion/status with ${u.name}'s API token now says "connected": true; next, see "Connecting Notion" in the README.`);
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

  async function readTokenFile(path: string): Promise<string> {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new SagaSyncError('invalid_input', `--token-file ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : 'cannot be read'}`, { details: { location: 'token' } });
    }
  }

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
