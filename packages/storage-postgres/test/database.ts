import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { migratePostgres } from '../src/index.js';

/** The URL of a database on the test cluster, e.g. to point a pool elsewhere with the same server. */
export function adminUrl(): string {
  return inject('postgresAdminUrl');
}

export function urlOf(database: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * A database of the suite's own on the shared test cluster, created (and migrated, unless told
 * not to) before the suite's tests and dropped after them. Read `.pool` and `.url` inside tests.
 */
export function suiteDatabase(options: { migrate?: boolean; max?: number } = {}) {
  const name = `sagasync_${randomUUID().replace(/-/g, '')}`;
  const state = { url: '', pool: null as pg.Pool | null };
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    state.url = urlOf(name);
    state.pool = new pg.Pool({ connectionString: state.url, max: options.max ?? 10 });
    if (options.migrate ?? true) await migratePostgres(state.pool);
  });
  afterAll(async () => {
    await state.pool?.end();
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  return {
    name,
    get url() {
      return state.url;
    },
    get pool(): pg.Pool {
      if (!state.pool) throw new Error('the suite database is only available inside a test');
      return state.pool;
    },
  };
}
