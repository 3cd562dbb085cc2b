import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runDirectoryConformance } from '@sagasync/storage/conformance';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../sqlite-storage.js';
import { directorySql } from './directory-statements.js';
import { openSqliteDirectory, type SqliteDirectory } from './sqlite-directory.js';

const newStorePath = () => join(mkdtempSync(join(tmpdir(), 'sagasync-directory-')), 'store.db');

// A fresh file in a fresh directory per test; the directory goes with the store.
runDirectoryConformance({
  name: 'sqlite',
  create: async () => openSqliteDirectory({ path: newStorePath() }),
  destroy: async (directory) => {
    await directory.close();
    rmSync(join((directory as SqliteDirectory).path, '..'), { recursive: true, force: true });
  },
});

describe('sqlite directory', () => {
  let path: string;
  beforeEach(() => {
    path = newStorePath();
  });
  afterEach(() => rmSync(join(path, '..'), { recursive: true, force: true }));

  it('shares the store file with the library, and keeps its records across a reopen', async () => {
    const storage = openSqliteStorage({ path });
    const directory = openSqliteDirectory({ path });
    const user = await directory.createUser({ id: 'u1', name: 'ada', createdAt: '2024-01-01T00:00:00.000Z' });
    await storage.applyBatch(user.id, [{ op: 'putSetting', key: 'k', value: 1 }]);
    await directory.claimSync(user.id, new Date('2024-01-01T12:00:00Z'));
    await directory.close();
    await storage.close();

    const again = openSqliteDirectory({ path });
    expect(await again.getUserByName('ada')).toEqual(user);
    expect((await again.getSchedule(user.id))?.syncsToday).toBe(1);
    await again.close();
  });

  it('a new store has one user, local: the owner of the CLI library in the same file', async () => {
    const storage = openSqliteStorage({ path });
    await storage.applyBatch('local', [{ op: 'putSetting', key: 'k', value: 1 }]);
    await storage.close();
    const directory = openSqliteDirectory({ path });
    const users = await directory.listUsers();
    expect(users.items.map((u) => [u.id, u.name])).toEqual([['local', 'local']]);
    expect(users.items[0]!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await directory.close();
  });

  it('the per-request lookups and the due query are index searches, the due query without a sort step', async () => {
    await openSqliteDirectory({ path }).close();
    const db = new Database(path, { readonly: true });
    try {
      const plan = (sql: string, ...params: unknown[]) =>
        db
          .prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .all(...params)
          .map((row) => (row as { detail: string }).detail)
          .join('\n');
      expect(plan(directorySql.tokenOwnerByHash, 'h')).toMatch(/SEARCH t USING INDEX api_tokens_by_hash \(hash=\?\)/);
      expect(plan(directorySql.userByName, 'ada')).toMatch(/SEARCH users USING (COVERING )?INDEX users_by_name \(name=\?\)/);
      const due = plan(directorySql.dueSchedules, { now: 0, afterMs: -1, afterUser: '', today: '2024-01-01', limit: 10 });
      expect(due).toMatch(/SEARCH sync_schedules USING INDEX sync_schedules_due \(enabled=\? AND/);
      expect(due).not.toMatch(/TEMP B-TREE/);
    } finally {
      db.close();
    }
  });

  it('a row damaged in the file fails with storage_failure naming the table, not with bad data', async () => {
    const directory = openSqliteDirectory({ path });
    await directory.createUser({ id: 'u1', name: 'ada', createdAt: '2024-01-01T00:00:00.000Z' });
    const db = new Database(path);
    db.prepare("UPDATE users SET created_at = 'yesterday' WHERE id = 'u1'").run();
    db.close();
    await expect(directory.getUser('u1')).rejects.toMatchObject({ code: 'storage_failure', message: expect.stringContaining('invalid users row (u1: createdAt') });
    await directory.close();
  });

  it('fails with storage_failure once closed', async () => {
    const directory = openSqliteDirectory({ path });
    await directory.close();
    await expect(directory.getUser('u1')).rejects.toMatchObject({ code: 'storage_failure' });
  });
});
