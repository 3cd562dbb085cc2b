import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { createPostgresPool, migratePostgres } from '../src/index.js';

/** The URL of the test cluster's maintenance database, as its superuser (who bypasses row-level security). */
export function adminUrl(): string {
  return inject('postgresAdminUrl');
}

/** The tests' application role: LOGIN, NOSUPERUSER, NOBYPASSRLS, so the owner policy applies to it. */
export function appRole(): string {
  return inject('postgresAppRole');
}

/** The URL of `database` on the test cluster, as the superuser or (`as: 'app'`) as the application role. */
export function urlOf(database: string, as: 'admin' | 'app' = 'admin'): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  if (as === 'app') url.username = appRole();
  return url.toString();
}

/**
 * A database of the suite's own on the shared test cluster, created (and migrated, unless told
 * not to) before the suite's tests and dropped after them. Read `.pool` and `.url` inside tests.
 *
 * The database belongs to the application role (`sagasync_app`, not a superuser, no BYPASSRLS),
 * and `.pool` and `.url` log in as it: it migrates the schema itself, as a server does at
 * start-up, so it owns the tables, and FORCE ROW LEVEL SECURITY holds their owner to the owner
 * policy too; every suite therefore runs with the policy in force. `.adminPool` is the superuser,
 * who bypasses the policy, for reading what is really stored.
 */
export function suiteDatabase(options: { migrate?: boolean; max?: number } = {}) {
  const name = `sagasync_${randomUUID().replace(/-/g, '')}`;
  const state = { url: '', pool: null as pg.Pool | null, adminPool: null as pg.Pool | null };
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} OWNER ${appRole()}`);
    await admin.end();
    state.url = urlOf(name, 'app');
    state.pool = createPostgresPool({ connectionString: state.url, max: options.max ?? 10 });
    state.adminPool = new pg.Pool({ connectionString: urlOf(name), max: 2 });
    if (options.migrate ?? true) await migratePostgres(state.pool);
  });
  afterAll(async () => {
    await state.pool?.end();
    await state.adminPool?.end();
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    // pool.end() resolves before its connections' backends have gone; dropping WITH (FORCE) while
    // one is still closing would terminate it, and pg reports that as an uncaught error.
    for (let wait = 0; wait < 100; wait++) {
      const { rows } = await admin.query<{ count: number }>('SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = $1', [name]);
      if (rows[0]!.count === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  return {
    name,
    /** The suite database's URL as the application role. */
    get url() {
      return state.url;
    },
    /** A pool logged in as the application role. */
    get pool(): pg.Pool {
      if (!state.pool) throw new Error('the suite database is only available inside a test');
      return state.pool;
    },
    /** A pool logged in as the cluster's superuser, which row-level security does not restrict. */
    get adminPool(): pg.Pool {
      if (!state.adminPool) throw new Error('the suite database is only available inside a test');
      return state.adminPool;
    },
  };
}
