import type { Pool, PoolClient } from 'pg';
import { toPostgresError } from './postgres-errors.js';

/** Key columns compare byte-wise (`COLLATE "C"`): the same order in every database, whatever its locale, so keyset cursors agree with the other adapters. */
const KEY = 'text COLLATE "C" NOT NULL';

/**
 * Schema steps, applied in order by `migratePostgres`; `sagasync_migrations` records the ones that
 * ran. Never edit a released step: append a new one.
 *
 * Library records are key and filter columns plus the record as `jsonb` in `data` (without owner
 * and version, which are columns). Every library table leads with `owner_id` in its primary key and
 * in every index, so each port read is one index range of one owner. Timestamps that order lists
 * are epoch milliseconds (`bigint`): ISO strings with different precision or offsets do not sort as text.
 */
export const postgresMigrations: readonly { name: string; sql: string }[] = [
  {
    name: 'library tables',
    sql: `
  CREATE TABLE titles (
    owner_id ${KEY}, asin ${KEY}, owned boolean NOT NULL, version integer NOT NULL, data jsonb NOT NULL,
    PRIMARY KEY (owner_id, asin)
  );
  CREATE INDEX titles_by_owned ON titles (owner_id, owned, asin);
  -- A title's series memberships as rows, rewritten with the title, for "titles of these series".
  CREATE TABLE title_series (
    owner_id ${KEY}, series_key ${KEY}, asin ${KEY},
    PRIMARY KEY (owner_id, series_key, asin)
  );
  CREATE INDEX title_series_by_title ON title_series (owner_id, asin);

  CREATE TABLE series (
    owner_id ${KEY}, key ${KEY}, name_key ${KEY}, version integer NOT NULL, data jsonb NOT NULL,
    PRIMARY KEY (owner_id, key)
  );
  CREATE INDEX series_by_name ON series (owner_id, name_key, key);

  CREATE TABLE progress (
    owner_id ${KEY}, asin ${KEY}, status ${KEY}, version integer NOT NULL, data jsonb NOT NULL,
    PRIMARY KEY (owner_id, asin)
  );
  CREATE INDEX progress_by_status ON progress (owner_id, status, asin);

  CREATE TABLE history (
    owner_id ${KEY}, asin ${KEY}, id ${KEY}, at_ms bigint NOT NULL, data jsonb NOT NULL,
    PRIMARY KEY (owner_id, asin, id)
  );
  CREATE INDEX history_in_order ON history (owner_id, asin, at_ms, id);

  CREATE TABLE tracker_books (
    owner_id ${KEY}, source ${KEY}, tracker_id ${KEY}, data jsonb NOT NULL,
    PRIMARY KEY (owner_id, source, tracker_id)
  );

  CREATE TABLE links (
    owner_id ${KEY}, asin ${KEY}, source ${KEY}, tracker_id ${KEY}, data jsonb NOT NULL,
    PRIMARY KEY (owner_id, asin, source)
  );
  CREATE INDEX links_by_tracker_book ON links (owner_id, source, tracker_id);

  CREATE TABLE conflicts (
    owner_id ${KEY}, id ${KEY}, status ${KEY}, version integer NOT NULL, data jsonb NOT NULL,
    PRIMARY KEY (owner_id, id)
  );
  CREATE INDEX conflicts_by_status ON conflicts (owner_id, status, id);

  -- asin_key is the asin, or '' for "none of these" (a NULL would not be unique in a key).
  CREATE TABLE decisions (
    owner_id ${KEY}, source ${KEY}, tracker_id ${KEY}, asin_key ${KEY}, data jsonb NOT NULL,
    PRIMARY KEY (owner_id, source, tracker_id, asin_key)
  );

  CREATE TABLE sync_runs (
    owner_id ${KEY}, id ${KEY}, kind ${KEY}, started_ms bigint NOT NULL, data jsonb NOT NULL,
    PRIMARY KEY (owner_id, id)
  );
  CREATE INDEX sync_runs_newest ON sync_runs (owner_id, started_ms, id);
  CREATE INDEX sync_runs_by_kind ON sync_runs (owner_id, kind, started_ms, id);

  CREATE TABLE settings (owner_id ${KEY}, key ${KEY}, data jsonb NOT NULL, PRIMARY KEY (owner_id, key));
  CREATE TABLE credentials (owner_id ${KEY}, name ${KEY}, data jsonb NOT NULL, PRIMARY KEY (owner_id, name));

  CREATE TABLE mirror_records (
    owner_id ${KEY}, mirror_table ${KEY}, key ${KEY}, data jsonb NOT NULL,
    PRIMARY KEY (owner_id, mirror_table, key)
  );

  CREATE TABLE baselines (
    owner_id ${KEY}, asin ${KEY}, source ${KEY}, data jsonb NOT NULL,
    PRIMARY KEY (owner_id, asin, source)
  );
  CREATE INDEX baselines_by_source ON baselines (owner_id, source, asin);

  CREATE TABLE series_aliases (
    owner_id ${KEY}, alias ${KEY}, series_key ${KEY}, data jsonb NOT NULL,
    PRIMARY KEY (owner_id, alias)
  );
  CREATE INDEX series_aliases_by_series ON series_aliases (owner_id, series_key, alias);

  CREATE TABLE leases (owner_id ${KEY}, name ${KEY}, data jsonb NOT NULL, PRIMARY KEY (owner_id, name));

  CREATE TABLE expiring (
    owner_id ${KEY}, kind ${KEY}, key ${KEY}, expires_ms bigint NOT NULL, data jsonb NOT NULL,
    PRIMARY KEY (owner_id, kind, key)
  );
  CREATE INDEX expiring_by_expiry ON expiring (owner_id, expires_ms);
  `,
  },
  {
    // The directory port: users and what crosses owners on purpose. Everything that hangs off a user
    // references it ON DELETE CASCADE, so deleteUser is one statement and no row outlives its user.
    name: 'directory tables',
    sql: `
  CREATE TABLE users (id ${KEY} PRIMARY KEY, name ${KEY}, created_at text NOT NULL);
  CREATE UNIQUE INDEX users_by_name ON users (name);

  CREATE TABLE api_tokens (
    id ${KEY} PRIMARY KEY,
    user_id ${KEY} REFERENCES users (id) ON DELETE CASCADE,
    hash ${KEY}, label text NOT NULL, created_at text NOT NULL, created_ms bigint NOT NULL,
    last_used_at text, last_used_ms bigint, expires_at text
  );
  CREATE UNIQUE INDEX api_tokens_by_hash ON api_tokens (hash);
  CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_ms, id);

  CREATE TABLE webhook_secrets (user_id ${KEY} PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE, ciphertext text NOT NULL);

  CREATE TABLE audible_accounts (
    id ${KEY} PRIMARY KEY,
    user_id ${KEY} REFERENCES users (id) ON DELETE CASCADE,
    created_ms bigint NOT NULL, version integer NOT NULL, data jsonb NOT NULL
  );
  CREATE INDEX audible_accounts_by_user ON audible_accounts (user_id, created_ms, id);
  -- deleteUser takes the user out of every account's sharedWith.
  CREATE INDEX audible_accounts_shared_with ON audible_accounts USING gin ((data -> 'sharedWith'));

  CREATE TABLE pending_sign_ins (
    id ${KEY} PRIMARY KEY,
    user_id ${KEY} REFERENCES users (id) ON DELETE CASCADE,
    expires_ms bigint NOT NULL, data jsonb NOT NULL
  );
  CREATE INDEX pending_sign_ins_by_user ON pending_sign_ins (user_id);
  CREATE INDEX pending_sign_ins_by_expiry ON pending_sign_ins (expires_ms);

  -- next_allowed_ms is 0 for a schedule never synced, so "due" is one range without an OR on NULL.
  CREATE TABLE sync_schedules (
    user_id ${KEY} PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    enabled boolean NOT NULL, next_allowed_at text, next_allowed_ms bigint NOT NULL, last_sync_at text,
    syncs_today integer NOT NULL, day text NOT NULL, daily_cap integer NOT NULL, min_interval_ms integer NOT NULL,
    version integer NOT NULL
  );
  CREATE INDEX sync_schedules_due ON sync_schedules (next_allowed_ms, user_id) WHERE enabled;
  `,
  },
  {
    // A second wall behind the owner condition every statement already has: a row is visible to,
    // and writable by, a session only when its owner_id is the session's `sagasync.owner_id`
    // (which the adapter sets for every call). FORCE applies it to the tables' owner too, so it
    // holds for an application role that owns the schema (superusers and BYPASSRLS roles are
    // exempt, as PostgreSQL exempts them from every policy). The directory tables stay without
    // one on purpose: the directory crosses users by design (a token is found by its hash before
    // any user is known, due schedules are listed for everyone, deleting a user edits accounts
    // shared with them), so it has no single owner to key a policy on.
    name: 'row-level security on library tables',
    // The tables are listed here, not taken from a shared constant, so this step never changes; a
    // later library table gets its policy in the step that creates it.
    sql: [
      'titles', 'title_series', 'series', 'progress', 'history', 'tracker_books', 'links', 'conflicts', 'decisions',
      'sync_runs', 'settings', 'credentials', 'mirror_records', 'baselines', 'series_aliases', 'leases', 'expiring',
    ].map(
      (table) => `
  ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
  ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
  CREATE POLICY owner_only ON ${table}
    USING (owner_id = current_setting('sagasync.owner_id', true))
    WITH CHECK (owner_id = current_setting('sagasync.owner_id', true));`,
    ).join('\n'),
  },
  {
    // A batch that fits in one statement (batch/single-statement.ts) checks its conditional writes
    // at the end of that statement and calls this when one found another version: raising undoes
    // the whole statement, and the SQLSTATE tells the adapter it was a conflict, not a failure.
    name: 'batch conflict signal',
    sql: `
  CREATE FUNCTION sagasync_batch_conflict() RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
  BEGIN
    RAISE EXCEPTION 'a conditional write of the batch found another version' USING ERRCODE = 'SSV01';
  END
  $$;`,
  },
];

/** The schema version this adapter writes: the number of steps. */
export const POSTGRES_SCHEMA_VERSION = postgresMigrations.length;

/** An arbitrary constant naming "SagaSync migrations" among the database's advisory locks. */
const MIGRATION_LOCK_KEY = 0x5a6a_5e01;

/**
 * Brings the database's schema up to `POSTGRES_SCHEMA_VERSION`; returns the steps it applied.
 *
 * A short runner of our own rather than node-pg-migrate or postgrator: the steps are SQL strings in
 * this module, so they ship inside the bundle (ESM and CJS alike) with no migrations folder to
 * locate at run time, and the whole contract is the 30 lines below, with no dependency of its own.
 * It holds a session advisory lock while it checks and applies, so two servers starting together
 * migrate once: the second waits, then finds nothing left to do. Each step commits together with
 * its row in `sagasync_migrations`, so a crash mid-way leaves a consistent version.
 */
export async function migratePostgres(pool: Pool): Promise<number[]> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw toPostgresError(error, pool, 'migrate');
  }
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS sagasync_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM sagasync_migrations');
      const current = rows[0]?.version ?? 0;
      if (current > postgresMigrations.length) {
        throw new Error(`the database's SagaSync schema is version ${current}, newer than this adapter's ${postgresMigrations.length}; upgrade @sagasync/storage-postgres`);
      }
      for (let version = current + 1; version <= postgresMigrations.length; version++) {
        const step = postgresMigrations[version - 1]!;
        await client.query('BEGIN');
        try {
          await client.query(step.sql);
          await client.query('INSERT INTO sagasync_migrations (version, name) VALUES ($1, $2)', [version, step.name]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
        applied.push(version);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } catch (error) {
    throw toPostgresError(error, pool, 'migrate');
  } finally {
    client.release();
  }
  return applied;
}
