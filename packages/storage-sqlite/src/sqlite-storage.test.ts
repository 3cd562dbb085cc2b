import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runStorageConformance } from '@sagasync/storage/conformance';
import { openSqliteStorage, type SqliteStorage } from './sqlite-storage.js';

/** Every row with the owner's id in every table of the file, read with a connection of its own. */
async function rawRows(store: unknown, ownerId: string): Promise<unknown[]> {
  const db = new Database((store as SqliteStorage).path, { readonly: true });
  try {
    const tables = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%owner_id%'").pluck().all();
    return tables.flatMap((table) => db.prepare(`SELECT * FROM ${table} WHERE owner_id = ?`).all(ownerId).map((row) => ({ table, row })));
  } finally {
    db.close();
  }
}

// A fresh file in a fresh directory per test; the directory goes with the store.
runStorageConformance({
  name: 'sqlite',
  create: async () => openSqliteStorage({ path: join(mkdtempSync(join(tmpdir(), 'sagasync-sqlite-')), 'store.db') }),
  destroy: async (store) => {
    await store.close();
    rmSync(join((store as SqliteStorage).path, '..'), { recursive: true, force: true });
  },
  rawRows,
});
