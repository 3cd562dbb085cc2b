import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { startFakeNotion, type FakeNotion } from '@sagasync/fake-notion';
import { setupNotion } from '@sagasync/notion-mirror';
import { dumpLines, dumpOwner } from '@sagasync/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServerCli } from '../src/index.js';
import { finishedJob } from './audible-fixtures.js';
import { call, exampleLibrary, openStoresOf, serverFor, type Backend } from './harness.js';

describe.each<Backend>(['sqlite', 'postgres'])('sagasync-server user notion-token on %s', (backend) => {
  // A token of this run only, so that finding it anywhere means this command leaked it.
  const token = `ntn_${randomBytes(24).toString('hex')}`;
  const env: Record<string, string> = { SAGASYNC_NOTION_REQUESTS_PER_SECOND: '100' };
  const notion = { fake: null as FakeNotion | null };
  beforeAll(async () => {
    notion.fake = await startFakeNotion({ token });
    env.NOTION_BASE_URL = notion.fake.url;
  });
  afterAll(async () => notion.fake?.close());
  const server = serverFor(backend, env);

  /** `sagasync-server <args>` on the server's store, with `stdin` piped in. */
  const cli = async (args: string[], stdin: string | null = '') => {
    let stdout = '';
    let stderr = '';
    const code = await runServerCli(args, {
      stdout: { write: (s) => (stdout += s) },
      stderr: { write: (s) => (stderr += s) },
      env: server.env,
      cwd: server.dir,
      stdin: Readable.from(stdin === null ? [] : [stdin]),
    });
    return { code, stdout, stderr };
  };
  const everything: string[] = [];
  const ran = async (args: string[], stdin?: string | null) => {
    const result = await cli(args, stdin);
    everything.push(result.stdout, result.stderr);
    return result;
  };
  const status = async (userToken: string) => (await call(server.url, 'GET', '/api/notion/status', { token: userToken })).json;
  const push = async (userToken: string) => {
    const started = await call(server.url, 'POST', '/api/notion/push', { token: userToken, body: {} });
    expect(started.status).toBe(202);
    return finishedJob(server.url, userToken, started.json.id as string);
  };

  it('stores the token sealed from standard input, and the user’s Notion mirror then runs with it', async () => {
    const alice = await server.addUser(`alice-${backend}`);
    expect(await status(alice.token)).toMatchObject({ connected: false });
    expect((await push(alice.token)).error).toMatchObject({ code: 'config_missing', message: expect.stringContaining('Notion is not connected') });

    const stored = await ran(['user', 'notion-token', alice.user.name], `${token}\n`);
    expect(stored, stored.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(stored.stdout).toContain(`Stored the Notion token of ${alice.user.name}`);
    expect(await status(alice.token)).toMatchObject({ connected: true, configured: false });
    // Connected, not yet set up: the push gets past the connection to the databases.
    expect((await push(alice.token)).error).toMatchObject({ code: 'config_missing', message: expect.stringContaining('No Notion databases') });

    // With a library and databases, the server's push talks to (fake) Notion with the stored token:
    // the fake refuses any other.
    expect((await call(server.url, 'POST', '/api/import', { token: alice.token, body: { commit: true, records: await exampleLibrary() } })).status).toBe(200);
    const stores = await openStoresOf(server);
    try {
      const parentPageId = notion.fake!.state.addParentPage();
      await setupNotion({ storage: stores.storage, ownerId: alice.user.id, notion: { token, baseUrl: notion.fake!.url, requestsPerSecond: 1000 } }, { parentPageId });
    } finally {
      await stores.close();
    }
    const pushed = await push(alice.token);
    expect(pushed, JSON.stringify(pushed.error)).toMatchObject({ state: 'succeeded' });
    expect(notion.fake!.state.pages.size).toBeGreaterThan(0);
    expect(await status(alice.token)).toMatchObject({ connected: true, configured: true });
  });

  it('reads --token-file, --json says so, and --clear removes it', async () => {
    const bob = await server.addUser(`bob-${backend}`);
    const file = join(server.dir, 'notion-token.txt');
    writeFileSync(file, `  ${token}  \n`, { mode: 0o600 });
    const stored = await ran(['user', 'notion-token', bob.user.name, '--token-file', file, '--json']);
    expect(stored.code, stored.stderr).toBe(0);
    expect(JSON.parse(stored.stdout)).toEqual({ user: expect.objectContaining({ id: bob.user.id, name: bob.user.name }), notion: { connected: true } });
    expect(await status(bob.token)).toMatchObject({ connected: true });

    const cleared = await ran(['user', 'notion-token', bob.user.name, '--clear']);
    expect(cleared).toMatchObject({ code: 0, stdout: `Removed the Notion token of ${bob.user.name}.\n` });
    expect(await status(bob.token)).toMatchObject({ connected: false });
    expect((await push(bob.token)).error).toMatchObject({ code: 'config_missing', message: expect.stringContaining('Notion is not connected') });
    expect(await ran(['user', 'notion-token', bob.user.name, '--clear', '--json'])).toMatchObject({ code: 0 });
    expect(JSON.parse(everything.at(-2)!)).toMatchObject({ notion: { connected: false, removed: false } });
  });

  it('never takes the token as an argument, and refuses empty or odd input without storing anything', async () => {
    const carol = await server.addUser(`carol-${backend}`);
    const name = carol.user.name;
    const asArgument = await ran(['user', 'notion-token', name, token]);
    expect(asArgument.code).toBe(2);
    expect(asArgument.stderr).toMatch(/never an argument.*--token-file/);
    expect(await ran(['user', 'notion-token', name], '')).toMatchObject({ code: 2, stderr: 'error: no Notion token on standard input\n' });
    expect(await ran(['user', 'notion-token', name], null)).toMatchObject({ code: 2 });
    const twoWords = await ran(['user', 'notion-token', name], `${token} ${token}\n`);
    expect(twoWords).toMatchObject({ code: 2, stderr: expect.stringContaining('one line of printable characters') });
    expect(await ran(['user', 'notion-token', name, '--token-file', join(server.dir, 'missing.txt')])).toMatchObject({ code: 2, stderr: expect.stringContaining('no such file') });
    expect(await ran(['user', 'notion-token', name, '--clear', '--token-file', 'x'])).toMatchObject({ code: 2 });
    expect(await ran(['user', 'notion-token', 'nobody'], `${token}\n`)).toMatchObject({ code: 1, stderr: 'error: no user named "nobody"\n' });
    expect(await status(carol.token)).toMatchObject({ connected: false });
  });

  it('keeps the token out of every output, the store dump and the store’s files', async () => {
    // Runs after the others: alice's token is stored.
    for (const text of everything) expect(text).not.toContain(token);
    const stores = await openStoresOf(server);
    try {
      const users = await stores.directory.listUsers({});
      for (const user of users.items) {
        const dump = dumpLines(await dumpOwner(stores.storage, user.id)).join('\n');
        expect(dump).not.toContain(token);
        if (user.name.startsWith('alice')) expect(dump).toMatch(/^credentials\tnotion\t/m);
      }
    } finally {
      await stores.close();
    }
    if (backend === 'sqlite') {
      const files = ['store.db', 'store.db-wal'].map((f) => join(server.dir, f)).filter((f) => existsSync(f));
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) expect(readFileSync(f).includes(Buffer.from(token)), f).toBe(false);
    }
  });
});
