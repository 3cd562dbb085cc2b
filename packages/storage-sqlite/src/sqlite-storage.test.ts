import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStorageConformance } from '@sagasync/storage/conformance';
import { openSqliteStorage, type SqliteStorage } from './sqlite-storage.js';

// A fresh file in a fresh directory per test; the directory goes with the store.
runStorageConformance({
  name: 'sqlite',
  create: async () => openSqliteStorage({ path: join(mkdtempSync(join(tmpdir(), 'sagasync-sqlite-')), 'store.db') }),
  destroy: async (store) => {
    await store.close();
    rmSync(join((store as SqliteStorage).path, '..'), { recursive: true, force: true });
  },
});
