/**
 * The directory's tables, one migration step (step 4 of `migrations`). They live in the same file
 * as the library, so one store file holds a self-hosted server's whole state.
 *
 * - Every table that hangs off a user references `users (id) ON DELETE CASCADE` (`openDatabase`
 *   turns foreign keys on), so `deleteUser` is one statement and no row can outlive its user.
 * - The per-request lookups are indexed: users by name (unique), tokens by hash (unique), and the
 *   scheduler's due query by (enabled, next_allowed_ms, user_id), a range scan in its sort order.
 * - Timestamps that order or compare are kept as epoch milliseconds beside the ISO text the caller
 *   gave, because ISO strings with different precision or offsets do not sort as text.
 * - `next_allowed_ms` is 0 for a schedule never synced, so "due" is one range without an OR on NULL.
 */
export const directoryTablesMigration: string = `
  CREATE TABLE users (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX users_by_name ON users (name);

  CREATE TABLE api_tokens (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    last_used_at TEXT,
    last_used_ms INTEGER,
    expires_at TEXT
  );
  CREATE UNIQUE INDEX api_tokens_by_hash ON api_tokens (hash);
  CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_ms, id);

  CREATE TABLE webhook_secrets (
    user_id TEXT NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    ciphertext TEXT NOT NULL
  );

  -- The account as JSON in data (without version, a column); shared_with is kept in data.
  CREATE TABLE audible_accounts (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_ms INTEGER NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX audible_accounts_by_user ON audible_accounts (user_id, created_ms, id);

  CREATE TABLE pending_sign_ins (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_ms INTEGER NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX pending_sign_ins_by_user ON pending_sign_ins (user_id);
  CREATE INDEX pending_sign_ins_by_expiry ON pending_sign_ins (expires_ms);

  CREATE TABLE sync_schedules (
    user_id TEXT NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    enabled INTEGER NOT NULL,
    next_allowed_at TEXT,
    next_allowed_ms INTEGER NOT NULL,
    last_sync_at TEXT,
    syncs_today INTEGER NOT NULL,
    day TEXT NOT NULL,
    daily_cap INTEGER NOT NULL,
    min_interval_ms INTEGER NOT NULL,
    version INTEGER NOT NULL
  );
  CREATE INDEX sync_schedules_due ON sync_schedules (enabled, next_allowed_ms, user_id);
`;
