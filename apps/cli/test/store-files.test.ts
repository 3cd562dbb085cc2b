import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStorage } from '@sagasync/storage-sqlite';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { examples, repoRoot, run, scratch } from './harness.js';

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const posix = process.platform !== 'win32';
const isRoot = posix && process.getuid?.() === 0;

describe('the store the CLI opens', () => {
  let s: ReturnType<typeof scratch>;
  beforeEach(() => {
    s = scratch();
  });
  afterEach(() => s.cleanup());

  it("refuses another program's SQLite file, naming it, and leaves it untouched (reads and writes alike)", async () => {
    const path = join(s.dir, 'places.sqlite');
    const db = new Database(path);
    db.exec("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES ('https://example.com');");
    db.close();
    const before = digest(path);
    for (const args of [['status'], ['books', 'list'], ['import', join(examples, 'library.tsv'), '--commit']]) {
      const result = await run(args, { store: path });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(`error: ${path} is not a SagaSync store (it holds other tables (moz_places) and no SagaSync marker); it was left as it is`);
      expect(result.stderr).toContain('hint: give another path with --store or SAGASYNC_STORE');
    }
    expect(digest(path)).toBe(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
    const after = new Database(path, { readonly: true });
    expect(after.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(['moz_places']);
    after.close();
  });

  it('fails at once with a clear message when the store cannot be under a path: a regular file in the way', async () => {
    const file = join(s.dir, 'notes.txt');
    writeFileSync(file, 'notes\n');
    const store = join(file, 'x.db');
    for (const args of [['status'], ['series', 'recompute']]) {
      const result = await run(args, { store });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`error: cannot use the store path ${store}: ${file} is a file, not a folder`);
    }
    expect(readFileSync(file, 'utf8')).toBe('notes\n');
  });

  it.runIf(process.platform === 'linux' && existsSync('/proc/self'))('fails at once under /proc, for reads and writes, instead of spinning', async () => {
    const store = `/proc/sagasync-nope-${process.pid}/x.db`;
    for (const args of [['status'], ['series', 'recompute'], ['import', join(examples, 'library.tsv'), '--commit']]) {
      const started = performance.now();
      const result = await run(args, { store });
      expect(performance.now() - started, args.join(' ')).toBeLessThan(3000);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`error: cannot create the folder /proc/sagasync-nope-${process.pid} for the store ${store}: nothing can be created in /proc`);
    }
  }, 20_000);

  it.runIf(posix)('writing credentials makes an existing store private (mode 600)', async () => {
    expect((await run(['series', 'recompute'], { store: s.store })).code).toBe(0);
    chmodSync(s.store, 0o644);
    const authFile = join(s.dir, 'audible.json');
    writeFileSync(
      authFile,
      JSON.stringify({ access_token: 'Atna|x', refresh_token: 'Atnr|y', locale_code: 'us', expires: 1_900_000_000, customer_info: { user_id: 'amzn1.account.MODES' } }),
    );
    const env = { SAGASYNC_SECRET: 'c2FnYXN5bmMtdGVzdC1zZWNyZXQtMzItYnl0ZXMhISE=' };
    const login = await run(['audible', 'login', '--auth-file', authFile], { store: s.store, env });
    expect(login.code, login.stderr).toBe(0);
    expect(statSync(s.store).mode & 0o777).toBe(0o600);
  });

  it.runIf(posix)("names -wal and -shm files it cannot write (another user's, or read-only) instead of a raw SQLite error", async () => {
    // A store whose -wal and -shm were left behind by a run that did not close it.
    const live = join(s.dir, 'live.db');
    const storage = openSqliteStorage({ path: live });
    await storage.applyBatch('local', [{ op: 'putSetting', key: 'k', value: 1 }]);
    const store = join(s.dir, 'left.db');
    for (const suffix of ['', '-wal', '-shm']) copyFileSync(`${live}${suffix}`, `${store}${suffix}`);
    await storage.close();
    if (isRoot) {
      // Root may write any file: run the CLI as `nobody`, owner of the store but not of its -wal and -shm.
      chmodSync(s.dir, 0o777);
      chownSync(store, 65534, 65534);
      for (const suffix of ['-wal', '-shm']) chmodSync(`${store}${suffix}`, 0o644);
    } else {
      for (const suffix of ['-wal', '-shm']) chmodSync(`${store}${suffix}`, 0o444);
    }
    const child = spawn(process.execPath, ['--conditions=@sagasync/source', '--import', 'tsx', join(repoRoot, 'apps/cli/src/main.ts'), '--store', store, 'status'], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1', HOME: s.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(isRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(1);
    const owner = isRoot ? 0 : process.getuid!();
    const mode = isRoot ? '0644' : '0444';
    expect(stderr).toContain(`error: the SagaSync store ${store} cannot be written: ${store}-wal (owner uid ${owner}, mode ${mode}), ${store}-shm (owner uid ${owner}, mode ${mode}) are not writable by you`);
    expect(stderr).toMatch(/hint: if no other sagasync is using the store, make them yours and writable .*do not delete a -wal file/);
    expect(stderr).not.toMatch(/SQLITE_|attempt to write a readonly database/);
  }, 30_000);
});
