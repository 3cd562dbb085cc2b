import type { Pool } from 'pg';
import type { ServerSettings } from '../settings/settings.js';

/** Deletes sync runs (the sync log) that started before a time, for every user. */
export interface SyncLogPruner {
  prune(before: Date): Promise<number>;
  close(): Promise<void>;
}

/**
 * The sync log's retention. The library port can add sync runs but has no way to delete them, so
 * the server deletes old rows of its own store's `sync_runs` table (same name and `started_ms`
 * column in the SQLite and PostgreSQL schemas) over a connection of its own; a port operation
 * should replace this once core has one.
 */
export function createSyncLogPruner(store: ServerSettings['store']): SyncLogPruner {
  return store.kind === 'postgres' ? postgresPruner(store.url) : sqlitePruner(store.path);
}

function sqlitePruner(path: string): SyncLogPruner {
  return {
    async prune(before) {
      const { default: Database } = await import('better-sqlite3');
      // Opened for the one statement: no second handle lingers on the store between runs.
      const db = new Database(path, { fileMustExist: true, timeout: 5_000 });
      try {
        return db.prepare('DELETE FROM sync_runs WHERE started_ms < ?').run(before.getTime()).changes;
      } finally {
        db.close();
      }
    },
    close: async () => undefined,
  };
}

function postgresPruner(url: string): SyncLogPruner {
  let pool: Pool | null = null;
  return {
    async prune(before) {
      if (!pool) {
        const { default: pg } = await import('pg');
        pool = new pg.Pool({ connectionString: url, max: 1, idleTimeoutMillis: 10_000 });
        pool.on('error', () => undefined);
      }
      const result = await pool.query('DELETE FROM sync_runs WHERE started_ms < $1', [before.getTime()]);
      return result.rowCount ?? 0;
    },
    async close() {
      await pool?.end();
      pool = null;
    },
  };
}
