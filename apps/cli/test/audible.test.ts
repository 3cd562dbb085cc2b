import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeAudible, type FakeAudible } from '@sagasync/fake-audible';
import { startFakeNotion } from '@sagasync/fake-notion';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, run, scratch } from './harness.js';

// The Audible commands end to end against tools/fake-audible over HTTP: sign-in with the pasted
// maplanding address, encrypted credentials, sync twice, export and re-import, logout.
describe('sagasync audible', () => {
  let fake: FakeAudible;
  const s = scratch();
  let env: Record<string, string>;
  const secret = 'c2FnYXN5bmMtdGVzdC1zZWNyZXQtMzItYnl0ZXMhISE=';

  /** What a person does: open the printed address, sign in, paste where the browser landed. */
  const signInAnswer = async (_question: string, shown: string) => {
    const url = /https?:\/\/\S+\/ap\/signin\S*/.exec(shown)?.[0];
    if (!url) throw new Error(`no sign-in address was printed:\n${shown}`);
    const landing = await fetch(url, { redirect: 'manual' });
    return landing.headers.get('location');
  };

  beforeAll(async () => {
    fake = await startFakeAudible({ titles: 60, series: 8, seed: 5 });
    env = { SAGASYNC_SECRET: secret, SAGASYNC_AUDIBLE_API_URL: fake.apiUrl, SAGASYNC_AMAZON_API_URL: fake.amazonUrl };
  });
  afterAll(async () => {
    await fake.close();
    s.cleanup();
  });

  it('signs in, keeps the credentials encrypted, syncs, and a second sync writes nothing', async () => {
    const login = await run(['audible', 'login', '--json'], { store: s.store, env, answer: signInAnswer });
    expect(login.code, login.stderr).toBe(0);
    const { account } = login.json<{ account: string }>();
    expect(account).toMatch(/^audible:us:/);

    const accounts = await run(['audible', 'accounts', '--json'], { store: s.store, env });
    expect(accounts.json<{ name: string; signed: boolean }[]>()).toEqual([expect.objectContaining({ name: account, signed: true })]);
    expect(accounts.stdout).not.toMatch(/Atna\||PRIVATE KEY/);
    const raw = readFileSync(s.store).toString('latin1') + readdirSync(s.dir).filter((f) => f.includes('-wal')).map((f) => readFileSync(join(s.dir, f)).toString('latin1')).join('');
    expect(raw).not.toMatch(/Atna\||BEGIN RSA PRIVATE KEY/);

    const first = await run(['audible', 'sync', '--json'], { store: s.store, env });
    expect(first.code, first.stderr).toBe(0);
    const report = first.json<{ writes: number; import: { titles: { created: number } }; fetched: { ownedTitles: number } }>();
    expect(report.fetched.ownedTitles).toBe(60);
    expect(report.import.titles.created).toBeGreaterThanOrEqual(60);
    const second = await run(['audible', 'sync', '--json'], { store: s.store, env });
    expect(second.json<{ writes: number }>().writes).toBe(0);
    const status = await run(['status', '--json'], { store: s.store, env });
    expect(status.json<{ lastRuns: { kind: string }[] }>().lastRuns.map((r) => r.kind).slice(0, 2)).toEqual(['audible_sync', 'audible_sync']);
  });

  it('syncs and then mirrors the store into Notion with --notion', async () => {
    const notion = await startFakeNotion({ seed: 9 });
    try {
      const withNotion = { ...env, NOTION_TOKEN: notion.token, NOTION_BASE_URL: notion.url, SAGASYNC_NOTION_REQUESTS_PER_SECOND: '50' };
      const setup = await run(['notion', 'setup', '--parent', notion.state.addParentPage()], { store: s.store, env: withNotion });
      expect(setup.code, setup.stderr).toBe(0);
      const synced = await run(['audible', 'sync', '--notion', '--json'], { store: s.store, env: withNotion });
      expect(synced.code, synced.stderr).toBe(0);
      const report = synced.json<{ writes: number; notion: { books: { created: number }; series: { created: number }; failures: unknown[] } }>();
      expect(report.writes).toBe(0);
      expect(report.notion.books.created).toBeGreaterThanOrEqual(60);
      expect(report.notion.series.created).toBeGreaterThanOrEqual(8);
      expect(report.notion.failures).toEqual([]);
    } finally {
      await notion.close();
    }
  });

  it('exports files that import back into a fresh store', async () => {
    const out = join(s.dir, 'export');
    const exported = await run(['audible', 'export', '--output', out, '--json'], { store: s.store, env });
    expect(exported.code, exported.stderr).toBe(0);
    const { libraryPath, seriesMetadataPath } = exported.json<{ libraryPath: string; seriesMetadataPath: string }>();
    const fresh = join(s.dir, 'fresh.db');
    const lib = await run(['import', libraryPath, '--commit', '--json'], { store: fresh });
    expect(lib.json<{ format: string; titles: { created: number } }>()).toMatchObject({ format: 'audible-cli-csv', titles: { created: 60 } });
    const meta = await run(['import', seriesMetadataPath, '--commit', '--json'], { store: fresh });
    expect(meta.json<{ format: string }>().format).toBe('sagasync-series-metadata');
    const series = await run(['series', 'list', '--json'], { store: fresh });
    expect(series.json<{ items: unknown[] }>().items.length).toBeGreaterThanOrEqual(8);
  });

  it('refuses without a key, and with the wrong key says so without leaking anything', async () => {
    const noKey = await run(['audible', 'accounts'], { store: s.store, env: { ...env, SAGASYNC_SECRET: '' } });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/SAGASYNC_SECRET/);
    const malformed = await run(['audible', 'accounts'], { store: s.store, env: { ...env, SAGASYNC_SECRET: 'too-short' } });
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('SAGASYNC_SECRET');
    expect(malformed.stderr).not.toContain('too-short');
    const wrong = await run(['audible', 'sync'], { store: s.store, env: { ...env, SAGASYNC_SECRET: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=' } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/error: /);
    expect(wrong.stderr).not.toContain(secret);
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects a pasted address that is not the maplanding page, and logs out', async () => {
    const bad = await run(['audible', 'login'], { store: s.store, env, answer: () => 'https://www.amazon.com/ap/signin?oops=1' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/maplanding/);
    const before = fake.state.counters.requests.deregister ?? 0;
    const logout = await run(['audible', 'logout', '--json'], { store: s.store, env });
    expect(logout.code, logout.stderr).toBe(0);
    expect(logout.json()).toMatchObject({ deregistered: true, removed: true });
    expect(fake.state.counters.requests.deregister).toBe(before + 1);
    const accounts = await run(['audible', 'accounts', '--json'], { store: s.store, env });
    expect(accounts.json()).toEqual([]);
  });
});

describe('sagasync audible, hardened', () => {
  let fake: FakeAudible;
  const s = scratch();
  let env: Record<string, string>;
  beforeAll(async () => {
    fake = await startFakeAudible({ titles: 20, series: 4, seed: 8 });
    env = { SAGASYNC_AUDIBLE_API_URL: fake.apiUrl, SAGASYNC_AMAZON_API_URL: fake.amazonUrl };
  });
  afterAll(async () => {
    await fake.close();
    s.cleanup();
  });

  it('`audible login` exits once done although its standard input stays open', async () => {
    // A real process, answering each question when it is asked (passphrase twice, then the
    // address), with stdin left open afterwards, as a wrapper script or an IDE terminal does.
    const child = spawn(process.execPath, ['--conditions=@sagasync/source', '--import', 'tsx', join(repoRoot, 'apps/cli/src/main.ts'), '--store', join(s.dir, 'login.db'), 'audible', 'login', '--json'], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1', SAGASYNC_SECRET: '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let answered = 0;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', async (d: Buffer) => {
      stderr += d.toString();
      const asked = (stderr.match(/passphrase[^\n]*: |\n> /g) ?? []).length;
      while (answered < asked) {
        answered++;
        if (answered <= 2) child.stdin.write('a passphrase\n');
        else {
          const url = /https?:\/\/\S+\/ap\/signin\S*/.exec(stderr)![0];
          child.stdin.write(`${(await fetch(url, { redirect: 'manual' })).headers.get('location')}\n`);
        }
      }
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const timeout = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 30_000));
    const outcome = await Promise.race([exited, timeout]);
    child.stdin.end();
    if (outcome === 'still running') child.kill('SIGKILL');
    expect(outcome, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ account: expect.stringMatching(/^audible:us:/) });
  }, 60_000);

  it("refuses Libation's AccountsSettings.json with encrypted tokens, naming the setting, and stores nothing", async () => {
    const file = join(s.dir, 'AccountsSettings.json');
    const secret = (value: string) => ({ Value: value, IsEncrypted: true });
    writeFileSync(
      file,
      JSON.stringify({
        Accounts: [
          {
            AccountId: 'jane@example.com',
            AccountName: 'Jane',
            IdentityTokens: {
              LocaleName: 'us',
              ExistingAccessToken: { TokenValue: 'ZW5jcnlwdGVk', Expires: '2026-12-01T10:00:00Z', IsEncrypted: true },
              PrivateKey: secret('ZW5jcnlwdGVk'),
              AdpToken: secret('ZW5jcnlwdGVk'),
              RefreshToken: secret('ZW5jcnlwdGVk'),
              DeviceSerialNumber: 'SERIAL',
              DeviceType: 'A10KISP2GWF0E4',
              AmazonAccountId: 'amzn1.account.JANE',
              DeviceName: 'Libation',
              StoreAuthenticationCookie: secret('ZW5jcnlwdGVk'),
              Cookies: [{ Key: 'session-id', Value: secret('ZW5jcnlwdGVk') }],
            },
          },
        ],
      }),
    );
    const store = join(s.dir, 'libation.db');
    const secretEnv = { ...env, SAGASYNC_SECRET: 'c2FnYXN5bmMtdGVzdC1zZWNyZXQtMzItYnl0ZXMhISE=' };
    const imported = await run(['audible', 'login', '--auth-file', file], { store, env: secretEnv });
    expect(imported.code).toBe(2);
    expect(imported.stderr).toContain('Libation stored the tokens of account "Jane" encrypted');
    expect(imported.stderr).toMatch(/hint: in Libation, open Settings > Important, untick "Store authentication tokens encrypted"/);
    expect(imported.stderr).not.toContain('ZW5jcnlwdGVk');
    const accounts = await run(['audible', 'accounts', '--json'], { store, env: secretEnv });
    expect(accounts.json()).toEqual([]);
  });

  it('a sync with one malformed library item goes on and prints a warning naming it', async () => {
    const store = join(s.dir, 'warnings.db');
    const secretEnv = { ...env, SAGASYNC_SECRET: 'c2FnYXN5bmMtdGVzdC1zZWNyZXQtMzItYnl0ZXMhISE=' };
    const signInAnswer = async (_q: string, shown: string) => (await fetch(/https?:\/\/\S+\/ap\/signin\S*/.exec(shown)![0], { redirect: 'manual' })).headers.get('location');
    expect((await run(['audible', 'login'], { store, env: secretEnv, answer: signInAnswer })).code).toBe(0);
    const bad = fake.state.library.owned[2]!.asin;
    fake.state.malformItem(bad, { title: 42 });
    const synced = await run(['audible', 'sync'], { store, env: secretEnv });
    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.stdout).toContain('19 titles');
    expect(synced.stderr).toMatch(new RegExp(`warning: ${bad}: library item left out \\(GET /1\\.0/library\\?page=1, \\$\\.items\\[\\d+\\]\\.title`));
    const json = await run(['audible', 'sync', '--preview', '--json'], { store, env: secretEnv });
    expect(json.json<{ warnings: string[] }>().warnings).toEqual([expect.stringContaining(bad)]);
  });
});
