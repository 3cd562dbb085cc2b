import { SagaSyncError } from '@sagasync/core';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPostgresStorage, migratePostgres, POSTGRES_SCHEMA_VERSION } from '../src/index.js';
import { adminUrl, suiteDatabase } from './database.js';

const db = suiteDatabase({ migrate: false });

describe('migratePostgres', () => {
  it('two instances starting together migrate once; a later start finds nothing to do', async () => {
    const other = new pg.Pool({ connectionString: db.url });
    try {
      const [a, b] = await Promise.all([migratePostgres(db.pool), migratePostgres(other)]);
      expect([...a, ...b].sort()).toEqual(Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => i + 1));
      const { rows } = await db.pool.query<{ version: number }>('SELECT version FROM sagasync_migrations ORDER BY version');
      expect(rows.map((row) => row.version)).toEqual(Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => i + 1));
      expect(await migratePostgres(other)).toEqual([]);
    } finally {
      await other.end();
    }
  });

  it('refuses a database whose schema is newer than the adapter', async () => {
    await migratePostgres(db.pool);
    await db.pool.query("INSERT INTO sagasync_migrations (version, name) VALUES (999, 'from the future')");
    try {
      await expect(migratePostgres(db.pool)).rejects.toThrow(/newer than this adapter/);
    } finally {
      await db.pool.query('DELETE FROM sagasync_migrations WHERE version = 999');
    }
  });
});

describe('errors', () => {
  it('an unreachable server is a storage_failure naming the host and port, never the password', async () => {
    const { port } = new URL(adminUrl());
    // The cluster's port plus one: nothing listens there.
    const pool = new pg.Pool({ connectionString: `postgresql://app:s3cret-pass@127.0.0.1:${Number(port) + 1}/library`, connectionTimeoutMillis: 2000 });
    try {
      const error = await createPostgresStorage({ pool })
        .getTitle('local', 'B0000000001')
        .catch((failure: unknown) => failure);
      expect(SagaSyncError.isInstance(error)).toBe(true);
      const failure = error as SagaSyncError;
      expect(failure.code).toBe('storage_failure');
      expect(failure.message).toContain(`postgresql://app@127.0.0.1:${Number(port) + 1}/library`);
      expect(failure.message).not.toContain('s3cret');
      expect(JSON.stringify(failure.details)).not.toContain('s3cret');
      await expect(migratePostgres(pool)).rejects.toMatchObject({ code: 'storage_failure' });
    } finally {
      await pool.end();
    }
  });

  it('a database that was never migrated says so', async () => {
    const fresh = suiteless();
    try {
      await fresh.setup();
      await expect(createPostgresStorage({ pool: fresh.pool! }).getTitle('local', 'B0000000001')).rejects.toThrow(/run migratePostgres/);
    } finally {
      await fresh.teardown();
    }
  });
});

/** A second, unmigrated database for one test. */
function suiteless() {
  const name = `sagasync_unmigrated_${Date.now()}`;
  const state = { pool: null as pg.Pool | null };
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl() });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  return {
    get pool() {
      return state.pool;
    },
    async setup() {
      await admin(`CREATE DATABASE ${name}`);
      const url = new URL(adminUrl());
      url.pathname = `/${name}`;
      state.pool = new pg.Pool({ connectionString: url.toString() });
    },
    async teardown() {
      await state.pool?.end();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
