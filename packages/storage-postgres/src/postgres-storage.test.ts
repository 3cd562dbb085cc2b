import { runStorageConformance } from '@sagasync/storage/conformance';
import type { StoragePort } from '@sagasync/core';
import { suiteDatabase } from '../test/database.js';
import { createPostgresStorage } from './postgres-storage.js';

// One database for the suite; every test writes under random owners, so the tests share it.
const db = suiteDatabase();

/**
 * Every row with the owner's id in every table that has an owner column, read straight from the
 * database as its superuser, whom row-level security does not restrict (the suite's own pool logs
 * in as the application role, which would see nothing here without setting an owner).
 */
async function rawRows(_store: StoragePort, ownerId: string): Promise<unknown[]> {
  const { rows: tables } = await db.adminPool.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'owner_id' ORDER BY table_name",
  );
  const found: unknown[] = [];
  for (const { table_name: table } of tables) {
    const { rows } = await db.adminPool.query(`SELECT * FROM ${table} WHERE owner_id = $1`, [ownerId]);
    for (const row of rows) found.push({ table, row });
  }
  return found;
}

runStorageConformance({
  name: 'postgres',
  create: async () => createPostgresStorage({ pool: db.pool }),
  rawRows,
});
