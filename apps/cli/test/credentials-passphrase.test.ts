import { startFakeAudible, type FakeAudible } from '@sagasync/fake-audible';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_CHECK_NAME } from '../src/runtime/credentials.js';
import { run, scratch } from './harness.js';

// Credentials are encrypted with a passphrase typed at the prompt (no SAGASYNC_SECRET here). A
// second, different passphrase must never write a credential beside those of the first: they
// could not all be read again.
describe('the passphrase of stored credentials', () => {
  let fake: FakeAudible;
  let env: Record<string, string>;
  beforeAll(async () => {
    fake = await startFakeAudible({ titles: 5, series: 1, seed: 3 });
    env = { SAGASYNC_AUDIBLE_API_URL: fake.apiUrl, SAGASYNC_AMAZON_API_URL: fake.amazonUrl };
  });
  afterAll(() => fake.close());

  /** Answers the passphrase questions with `passphrases` in turn, and the sign-in question as a person would. */
  const answers = (...passphrases: string[]) => {
    const queue = [...passphrases];
    return async (question: string, shown: string) => {
      if (/passphrase/i.test(question)) return queue.shift() ?? null;
      const url = /https?:\/\/\S+\/ap\/signin\S*/.exec(shown)?.[0];
      if (!url) throw new Error(`unexpected question: ${question}`);
      return (await fetch(url, { redirect: 'manual' })).headers.get('location');
    };
  };
  const credentialNames = (store: string): string[] => {
    const db = new Database(store, { readonly: true });
    try {
      return db.prepare<[], string>('SELECT name FROM credentials ORDER BY name').pluck().all();
    } finally {
      db.close();
    }
  };

  it('asks for a new passphrase twice and stores nothing when the two differ', async () => {
    const s = scratch();
    try {
      const registered = fake.state.counters.requests.register ?? 0;
      const differ = await run(['audible', 'login'], { store: s.store, env, answer: answers('first secret', 'frist secret') });
      expect(differ.code).toBe(1);
      expect(differ.stderr).toContain('Choose a passphrase for your stored credentials: ');
      expect(differ.stderr).toContain('Type the same passphrase again: ');
      expect(differ.stderr).toContain('error: the two passphrases differ; nothing was stored');
      expect(differ.stderr).not.toMatch(/first secret|frist secret/);
      // Asked before signing in: no device was registered at Amazon only to be thrown away.
      expect(differ.stderr).not.toContain('/ap/signin');
      expect(fake.state.counters.requests.register ?? 0).toBe(registered);
      expect(credentialNames(s.store)).toEqual([]);

      const same = await run(['audible', 'login', '--json'], { store: s.store, env, answer: answers('first secret', 'first secret') });
      expect(same.code, same.stderr).toBe(0);
      expect(credentialNames(s.store)).toEqual([same.json<{ account: string }>().account, KEY_CHECK_NAME]);
    } finally {
      s.cleanup();
    }
  });

  it('refuses another passphrase clearly, before anything is read or written with it', async () => {
    const s = scratch();
    try {
      expect((await run(['audible', 'login'], { store: s.store, env, answer: answers('one', 'one') })).code).toBe(0);
      const names = credentialNames(s.store);

      // Asked once (the store has credentials), checked against them, refused.
      const wrong = await run(['audible', 'accounts'], { store: s.store, env, answer: answers('two') });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('Passphrase for your stored credentials: ');
      expect(wrong.stderr).not.toContain('Type the same passphrase again');
      expect(wrong.stderr).toContain(`error: this passphrase is not the key the credentials in ${s.store} were saved with; nothing was read or written`);
      expect(wrong.stderr).toMatch(/hint: use the passphrase or SAGASYNC_SECRET you used when you first signed in/);

      // A second sign-in with it would have stored a credential nobody could read with the first.
      const second = await run(['audible', 'login'], { store: s.store, env, answer: answers('two', 'two') });
      expect(second.code).toBe(1);
      expect(second.stderr).toContain('is not the key the credentials');
      expect(second.stderr).not.toContain('/ap/signin');
      expect(credentialNames(s.store)).toEqual(names);

      // SAGASYNC_SECRET is a key too, and not this store's.
      const secret = await run(['audible', 'accounts'], { store: s.store, env: { ...env, SAGASYNC_SECRET: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=' } });
      expect(secret.code).toBe(1);
      expect(secret.stderr).toContain(`error: SAGASYNC_SECRET is not the key the credentials in ${s.store} were saved with (it was saved with a passphrase, but a secret key was given)`);

      const right = await run(['audible', 'accounts', '--json'], { store: s.store, env, answer: answers('one') });
      expect(right.code, right.stderr).toBe(0);
      expect(right.json<unknown[]>()).toHaveLength(1);
    } finally {
      s.cleanup();
    }
  });

  it('checks a store from before the key check against a stored credential; the last logout lets a new passphrase be chosen', async () => {
    const s = scratch();
    try {
      expect((await run(['audible', 'login'], { store: s.store, env, answer: answers('old', 'old') })).code).toBe(0);
      const db = new Database(s.store);
      db.prepare('DELETE FROM credentials WHERE name = ?').run(KEY_CHECK_NAME);
      db.close();
      const wrong = await run(['audible', 'accounts'], { store: s.store, env, answer: answers('new') });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('is not the key the credentials');

      const logout = await run(['audible', 'logout', '--json'], { store: s.store, env, answer: answers('old') });
      expect(logout.code, logout.stderr).toBe(0);
      expect(credentialNames(s.store)).toEqual([]);
      const fresh = await run(['audible', 'login'], { store: s.store, env, answer: answers('new', 'new') });
      expect(fresh.code, fresh.stderr).toBe(0);
      expect(fresh.stderr).toContain('Choose a passphrase');
    } finally {
      s.cleanup();
    }
  });

  it('lists no accounts without asking for a passphrase when none is stored', async () => {
    const s = scratch();
    try {
      const none = await run(['audible', 'accounts'], { store: s.store, env, answer: () => Promise.reject(new Error('asked for a passphrase')) });
      expect(none.code, none.stderr).toBe(0);
      expect(none.stdout).toContain('No Audible account yet');
    } finally {
      s.cleanup();
    }
  });
});
