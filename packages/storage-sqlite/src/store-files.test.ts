import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SagaSyncError } from '@sagasync/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations, SCHEMA_VERSION } from './migrations.js';
import { SAGASYNC_APPLICATION_ID } from './open-database.js';
import { openSqliteStorage } from './sqlite-storage.js';
import { storeLocationProblem } from './store-files.js';

async function failure(action: () => unknown): Promise<SagaSyncError> {
  let error: unknown;
  try {
    await action();
  } catch (caught) {
    error = caught;
  }
  expect(SagaSyncError.isInstance(error), String(error)).toBe(true);
  return error as SagaSyncError;
}

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const applicationId = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('application_id', { simple: true }) as number;
  } finally {
    db.close();
  }
};
const modeOf = (path: string) => statSync(path).mode & 0o777;
const posix = process.platform !== 'win32';
const isRoot = posix && process.getuid?.() === 0;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sagasync-files-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("a SQLite file that is not a SagaSync store", () => {
  it("is refused with its path and left byte for byte as it was: another program's tables, no marker", async () => {
    const path = join(dir, 'photos.db');
    const other = new Database(path);
    other.exec("CREATE TABLE albums (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO albums (name) VALUES ('Holidays');");
    other.close();
    const before = digest(path);
    const error = await failure(() => openSqliteStorage({ path }));
    expect(error.code).toBe('unsupported_format');
    expect(error.message).toBe(`${path} is not a SagaSync store (it holds other tables (albums) and no SagaSync marker); it was left as it is`);
    expect(digest(path)).toBe(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
    const db = new Database(path, { readonly: true });
    expect(db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(['albums']);
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    db.close();
  });

  it("is refused when it carries another program's application_id, even empty", async () => {
    const path = join(dir, 'fossil.db');
    const other = new Database(path);
    other.pragma('application_id = 252006673');
    other.close();
    const before = digest(path);
    const error = await failure(() => openSqliteStorage({ path }));
    expect(error.code).toBe('unsupported_format');
    expect(error.message).toContain(`${path} is not a SagaSync store (its SQLite application_id is 0xf055111, another program's)`);
    expect(digest(path)).toBe(before);
    expect((await failure(() => openSqliteStorage({ path, readonly: true }))).code).toBe('unsupported_format');
  });
});

describe("SagaSync's application_id", () => {
  it('is set on a new store', async () => {
    const path = join(dir, 'new.db');
    await openSqliteStorage({ path }).close();
    expect(applicationId(path)).toBe(SAGASYNC_APPLICATION_ID);
  });

  it('is set on a store made before it (recognised by its tables and schema version), whose data stays', async () => {
    for (const version of [1, SCHEMA_VERSION]) {
      const path = join(dir, `old-${version}.db`);
      if (version === SCHEMA_VERSION) await openSqliteStorage({ path }).close();
      const old = new Database(path);
      if (version !== SCHEMA_VERSION) {
        for (let step = 0; step < version; step++) old.exec(migrations[step]!);
        old.pragma(`user_version = ${version}`);
      }
      // As written before the id existed.
      old.pragma('application_id = 0');
      old.prepare("INSERT INTO settings (owner_id, key, data) VALUES ('local', 'k', '\"v\"')").run();
      old.close();
      if (version === SCHEMA_VERSION) {
        // A read-only open reads it without marking it.
        const readonly = openSqliteStorage({ path, readonly: true });
        expect(await readonly.getSetting('local', 'k')).toBe('v');
        await readonly.close();
        expect(applicationId(path)).toBe(0);
      }
      const store = openSqliteStorage({ path });
      expect(store.schemaVersion()).toBe(SCHEMA_VERSION);
      expect(await store.getSetting('local', 'k')).toBe('v');
      await store.close();
      expect(applicationId(path)).toBe(SAGASYNC_APPLICATION_ID);
    }
  });
});

describe('where a store cannot be', () => {
  it('fails at once, naming the file in the way, when a folder of the path is a regular file', async () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'hello\n');
    const path = join(file, 'sub', 'store.db');
    expect(storeLocationProblem(path)).toBe(`cannot use the store path ${path}: ${file} is a file, not a folder`);
    const error = await failure(() => openSqliteStorage({ path }));
    expect(error.code).toBe('storage_failure');
    expect(error.message).toBe(`cannot use the store path ${path}: ${file} is a file, not a folder`);
    expect(readFileSync(file, 'utf8')).toBe('hello\n');
  });

  it.runIf(process.platform === 'linux' && existsSync('/proc/self'))('fails at once under /proc instead of retrying mkdir forever', async () => {
    const path = `/proc/sagasync-nope-${process.pid}/x.db`;
    expect(storeLocationProblem(path)).toMatch(new RegExp(`^cannot create the folder /proc/sagasync-nope-${process.pid} for the store ${path.replace(/[.]/g, '\\.')}: `));
    const started = performance.now();
    const error = await failure(() => openSqliteStorage({ path }));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error.message).toMatch(/^cannot create the folder \/proc\/sagasync-nope-\d+ for the store .*: nothing can be created in \/proc$/);
  }, 10_000);

  it('says nothing is wrong with a store to be created in a folder that can be made, and creates nothing to tell', () => {
    const path = join(dir, 'a', 'b', 'store.db');
    expect(storeLocationProblem(path)).toBeNull();
    expect(existsSync(join(dir, 'a'))).toBe(false);
    expect(storeLocationProblem(dir)).toBe(`the store path ${dir} is a folder; give the path of a file in it`);
  });
});

describe('store file modes', () => {
  it.runIf(posix)('writing a credential makes an existing store and its -wal and -shm files private (600); other writes leave them', async () => {
    const path = join(dir, 'shared.db');
    await openSqliteStorage({ path }).close();
    chmodSync(path, 0o644);
    const store = openSqliteStorage({ path });
    await store.applyBatch('local', [{ op: 'putSetting', key: 'k', value: 1 }]);
    for (const file of [`${path}-wal`, `${path}-shm`]) chmodSync(file, 0o644);
    await store.applyBatch('local', [{ op: 'putSetting', key: 'k', value: 2 }]);
    expect([path, `${path}-wal`, `${path}-shm`].map(modeOf)).toEqual([0o644, 0o644, 0o644]);
    await store.applyBatch('local', [{ op: 'putCredential', value: { name: 'audible:us:x', ciphertext: 'v1.raw..aaaa.bbbb.cccc.dddd', updatedAt: '2026-01-01T00:00:00.000Z' } }]);
    expect([path, `${path}-wal`, `${path}-shm`].map(modeOf)).toEqual([0o600, 0o600, 0o600]);
    await store.close();
  });
});

describe('-wal and -shm files this process cannot write', () => {
  const child = fileURLToPath(new URL('../test/fixtures/open-child.ts', import.meta.url));

  /** A store whose -wal and -shm were left behind (as a crash, or another user's run, leaves them). */
  async function storeWithLeftovers(): Promise<string> {
    const live = join(dir, 'live.db');
    const store = openSqliteStorage({ path: live });
    await store.applyBatch('local', [{ op: 'putSetting', key: 'before', value: 1 }]);
    const path = join(dir, 'left.db');
    for (const suffix of ['', '-wal', '-shm']) copyFileSync(`${live}${suffix}`, `${path}${suffix}`);
    await store.close();
    return path;
  }

  /** Opens the store in a child process: as `nobody` when the tests run as root (root may write any file). */
  function openInChild(path: string): Promise<{ ok: boolean; code?: string; message?: string; hint?: string | null }> {
    return new Promise((resolvePromise, reject) => {
      const proc = spawn(process.execPath, ['--conditions=@sagasync/source', '--import', 'tsx', child, path], {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(isRoot ? { uid: 65534, gid: 65534, env: { ...process.env, HOME: dir } } : {}),
      });
      let out = '';
      let err = '';
      proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
      proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
      proc.on('error', reject);
      proc.on('close', () => {
        try {
          resolvePromise(JSON.parse(out.trim().split('\n').at(-1)!));
        } catch {
          reject(new Error(`child printed no result: ${out}\n${err}`));
        }
      });
    });
  }

  it.runIf(posix)('are named with their owner and mode, instead of a raw SQLITE_READONLY, and left as they are', async () => {
    const path = await storeWithLeftovers();
    if (isRoot) {
      // Another user (root) left them; the store file itself is the child's.
      chmodSync(dir, 0o777);
      chownSync(path, 65534, 65534);
      for (const suffix of ['-wal', '-shm']) chmodSync(`${path}${suffix}`, 0o644);
    } else {
      for (const suffix of ['-wal', '-shm']) chmodSync(`${path}${suffix}`, 0o444);
    }
    const before = [digest(`${path}-wal`), digest(`${path}-shm`)];
    const result = await openInChild(path);
    expect(result.ok).toBe(false);
    expect(result.code).toBe('storage_failure');
    const owner = isRoot ? 0 : process.getuid!();
    const mode = isRoot ? '0644' : '0444';
    expect(result.message).toBe(
      `the SagaSync store ${path} cannot be written: ${path}-wal (owner uid ${owner}, mode ${mode}), ${path}-shm (owner uid ${owner}, mode ${mode}) are not writable by you`,
    );
    expect(result.hint).toMatch(/chown .*chmod 600 .*do not delete a -wal file/);
    expect([digest(`${path}-wal`), digest(`${path}-shm`)]).toEqual(before);
  }, 30_000);

  it.runIf(posix)('once writable again, the store opens and keeps what the -wal held', async () => {
    const path = await storeWithLeftovers();
    if (isRoot) {
      chmodSync(dir, 0o777);
      for (const suffix of ['', '-wal', '-shm']) chownSync(`${path}${suffix}`, 65534, 65534);
    }
    expect((await openInChild(path)).ok).toBe(true);
    const store = openSqliteStorage({ path, readonly: true });
    expect(await store.getSetting('local', 'before')).toBe(1);
    expect(await store.getSetting('local', 'child')).toBe(true);
    await store.close();
  }, 30_000);
});
