import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SagaSyncError } from '@sagasync/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations, SCHEMA_VERSION } from './migrations.js';
import { openDatabase } from './open-database.js';
import { openSqliteStorage } from './sqlite-storage.js';

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

const T0 = '2024-03-01T10:00:00.000Z';
const title = {
  asin: 'B000000001',
  title: 'Dune',
  subtitle: null,
  authors: ['Frank Herbert'],
  narrators: [],
  runtimeMinutes: null,
  releaseDate: null,
  purchaseDate: null,
  coverUrl: null,
  language: null,
  marketplace: null,
  sourceAccount: null,
  owned: true,
  isPodcast: false, contributors: [], forSale: null,
  series: [],
  createdAt: T0,
  updatedAt: T0,
};

describe('opening a SQLite store', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sagasync-open-'));
    path = join(dir, 'nested', 'data', 'store.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the file (mode 0600, directories 0700) and migrates an empty store to the current schema', async () => {
    const store = openSqliteStorage({ path });
    expect(store.path).toBe(path);
    expect(store.schemaVersion()).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe(migrations.length);
    await store.close();
    if (process.platform !== 'win32') {
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'nested', 'data')).mode & 0o777).toBe(0o700);
    }
    const db = new Database(path, { readonly: true });
    const tables = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual([
      'api_tokens',
      'audible_accounts',
      'baselines',
      'conflicts',
      'credentials',
      'decisions',
      'expiring',
      'history',
      'leases',
      'links',
      'mirror_records',
      'pending_sign_ins',
      'progress',
      'series',
      'series_aliases',
      'settings',
      'sync_runs',
      'sync_schedules',
      'title_series',
      'titles',
      'tracker_books',
      'users',
      'webhook_secrets',
    ]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('sets WAL, synchronous FULL, foreign keys and the busy timeout on its connection', () => {
    const db = openDatabase({ path, busyTimeoutMs: 777, readonly: false });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(777);
    db.close();
  });

  it('keeps data and schema version across reopen, without re-running migrations', async () => {
    const first = openSqliteStorage({ path });
    await first.applyBatch('local', [{ op: 'putTitle', value: title }]);
    await first.close();
    const second = openSqliteStorage({ path });
    expect(second.schemaVersion()).toBe(SCHEMA_VERSION);
    expect(await second.getTitle('local', 'B000000001')).toEqual({ ...title, ownerId: 'local', version: 1 });
    await second.close();
  });

  it('migrates a store left at an older schema version', async () => {
    // Version 0 is a file another tool created empty: every step runs.
    new Database(join(dir, 'old.db')).close();
    const store = openSqliteStorage({ path: join(dir, 'old.db') });
    expect(store.schemaVersion()).toBe(SCHEMA_VERSION);
    await store.applyBatch('local', [{ op: 'putSetting', key: 'k', value: 'v' }]);
    expect(await store.getSetting('local', 'k')).toBe('v');
    await store.close();
  });

  it('refuses a store from a newer sagasync with a clear message', async () => {
    await openSqliteStorage({ path }).close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const error = await failure(() => openSqliteStorage({ path }));
    expect(error.code).toBe('unsupported_format');
    expect(error.message).toBe(
      `the SagaSync store ${path} has schema version ${SCHEMA_VERSION + 1}, newer than this sagasync supports (${SCHEMA_VERSION}); upgrade sagasync`,
    );
  });

  it('refuses a file that is not a SQLite database', async () => {
    const notADb = join(dir, 'notes.txt');
    writeFileSync(notADb, 'these are not the pages you are looking for\n'.repeat(200));
    const error = await failure(() => openSqliteStorage({ path: notADb }));
    expect(error.code).toBe('storage_failure');
    expect(error.message).toContain(`${notADb} is not a SagaSync store, or it is damaged`);
  });

  it('opens read-only: reads work, batches fail, a missing file fails', async () => {
    const writable = openSqliteStorage({ path });
    await writable.applyBatch('local', [{ op: 'putTitle', value: title }]);
    await writable.close();
    const store = openSqliteStorage({ path, readonly: true });
    expect(await store.countTitles('local')).toBe(1);
    const error = await failure(() => store.applyBatch('local', [{ op: 'deleteTitle', asin: 'B000000001' }]));
    expect(error.code).toBe('storage_failure');
    expect(error.message).toContain('read-only');
    await store.close();
    expect((await failure(() => openSqliteStorage({ path: join(dir, 'missing.db'), readonly: true }))).code).toBe('storage_failure');
  });

  it('fails clearly after close, and close twice is fine', async () => {
    const store = openSqliteStorage({ path });
    await store.close();
    await store.close();
    const error = await failure(() => store.listTitles('local').then((page) => page.items));
    expect(error.code).toBe('storage_failure');
    expect(error.message).toContain('is closed');
  });

  it('writes each record with its digest, and reads a row from before digests (validated, then digested when written again)', async () => {
    // A store at schema version 1: rows have no digest column yet.
    const old = new Database(join(dir, 'v1.db'));
    old.exec(migrations[0]!);
    old.pragma('user_version = 1');
    old.prepare('INSERT INTO titles (owner_id, asin, owned, version, data) VALUES (?, ?, 1, 1, ?)').run('local', title.asin, JSON.stringify(title));
    old.close();
    const store = openSqliteStorage({ path: join(dir, 'v1.db') });
    expect(store.schemaVersion()).toBe(SCHEMA_VERSION);
    expect(await store.getTitle('local', title.asin)).toEqual({ ...title, ownerId: 'local', version: 1 });
    await store.applyBatch('local', [{ op: 'putTitle', value: { ...title, title: 'Dune (new cover)' }, expectedVersion: 1 }]);
    await store.close();
    const db = new Database(join(dir, 'v1.db'), { readonly: true });
    const row = db.prepare<[], { data: string; digest: string | null }>('SELECT data, digest FROM titles').get()!;
    db.close();
    expect(row.digest).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(JSON.parse(row.data)).toMatchObject({ title: 'Dune (new cover)' });
  });

  it('upgrades a version 2 store: series memberships, progress status and series names become indexed', async () => {
    const old = new Database(join(dir, 'v2.db'));
    old.exec(migrations[0]!);
    old.exec(migrations[1]!);
    old.pragma('user_version = 2');
    const inSeries = {
      ...title,
      series: [{ seriesKey: 'B0SERIES01', seriesAsin: 'B0SERIES01', seriesTitle: 'Dune', sequence: '1', position: { kind: 'number', value: 1 } }],
    };
    old.prepare('INSERT INTO titles (owner_id, asin, owned, version, data) VALUES (?, ?, 1, 1, ?)').run('local', title.asin, JSON.stringify(inSeries));
    const series = { key: 'B0SERIES01', asin: 'B0SERIES01', title: 'Dúne Chronicles', catalogueComplete: false, createdAt: T0, updatedAt: T0 };
    old.prepare('INSERT INTO series (owner_id, key, version, data) VALUES (?, ?, 1, ?)').run('local', series.key, JSON.stringify(series));
    const progress = { asin: title.asin, status: 'finished', percentComplete: 100, isFinished: true, startedAt: null, finishedAt: T0, lastPositionMs: null, finishCount: 1, updatedAt: T0 };
    old.prepare('INSERT INTO progress (owner_id, asin, version, data) VALUES (?, ?, 1, ?)').run('local', title.asin, JSON.stringify(progress));
    old.close();

    const store = openSqliteStorage({ path: join(dir, 'v2.db') });
    expect(store.schemaVersion()).toBe(SCHEMA_VERSION);
    expect((await store.listTitles('local', { seriesKeys: ['B0SERIES01'] })).items.map((t) => t.asin)).toEqual([title.asin]);
    expect((await store.listTitles('local', { status: 'finished' })).items.map((t) => t.asin)).toEqual([title.asin]);
    expect(await store.countTitlesByStatus('local')).toEqual({ not_started: 0, in_progress: 0, finished: 1 });
    expect((await store.findSeriesByName('local', 'dune chronicles')).items.map((s) => s.key)).toEqual(['B0SERIES01']);
    await store.close();
  });

  it('reads a row edited by hand into another valid record (checked, since its digest no longer matches)', async () => {
    const store = openSqliteStorage({ path });
    await store.applyBatch('local', [{ op: 'putTitle', value: title }]);
    const db = new Database(path);
    db.prepare("UPDATE titles SET data = json_set(data, '$.title', 'Dune Messiah')").run();
    db.close();
    expect(await store.getTitle('local', title.asin)).toMatchObject({ title: 'Dune Messiah' });
    await store.close();
  });

  it('rejects a damaged row on read, naming the table and the record', async () => {
    const store = openSqliteStorage({ path });
    await store.applyBatch('local', [{ op: 'putTitle', value: title }]);
    const db = new Database(path);
    db.prepare("UPDATE titles SET data = json_set(data, '$.authors', 'not a list')").run();
    db.close();
    const error = await failure(() => store.listTitles('local').then((page) => page.items));
    expect(error.code).toBe('storage_failure');
    expect(error.message).toMatch(/holds an invalid titles row \(B000000001: authors: /);
    await store.close();
  });
});
