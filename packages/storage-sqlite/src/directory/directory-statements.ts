import type Database from 'better-sqlite3';

export interface UserRow {
  id: string;
  name: string;
  created_at: string;
}

export interface TokenRow {
  id: string;
  user_id: string;
  hash: string;
  label: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
}

export interface TokenOwnerRow extends TokenRow {
  user_name: string;
  user_created_at: string;
  webhook_secret: string | null;
}

export interface AccountRow {
  id: string;
  user_id: string;
  version: number;
  data: string;
}

export interface ScheduleRow {
  user_id: string;
  enabled: number;
  next_allowed_at: string | null;
  last_sync_at: string | null;
  syncs_today: number;
  day: string;
  daily_cap: number;
  min_interval_ms: number;
  version: number;
}

const TOKEN_COLUMNS = 'id, user_id, hash, label, created_at, last_used_at, expires_at';
const SCHEDULE_COLUMNS = 'user_id, enabled, next_allowed_at, last_sync_at, syncs_today, day, daily_cap, min_interval_ms, version';

/**
 * The SQL of the lookups that must be index searches, exported so a test can check their query
 * plans: the per-request token lookup, and the scheduler's due query (a range of
 * `sync_schedules_due` read in its order; `(a, b) > (x, y)` continues after a cursor).
 */
export const directorySql = {
  tokenOwnerByHash: `SELECT t.id, t.user_id, t.hash, t.label, t.created_at, t.last_used_at, t.expires_at,
      u.name AS user_name, u.created_at AS user_created_at, w.ciphertext AS webhook_secret
    FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN webhook_secrets w ON w.user_id = t.user_id WHERE t.hash = ?`,
  userByName: 'SELECT id, name, created_at FROM users WHERE name = ?',
  dueSchedules: `SELECT ${SCHEDULE_COLUMNS} FROM sync_schedules
    WHERE enabled = 1 AND next_allowed_ms <= @now AND (next_allowed_ms, user_id) > (@afterMs, @afterUser)
      AND (day < @today OR syncs_today < daily_cap)
    ORDER BY next_allowed_ms, user_id LIMIT @limit`,
} as const;

type Params = Record<string, string | number | null>;
type Statement<P extends unknown[] | object, R = unknown> = Database.Statement<P, R>;

/** The directory's statements; see `prepareDirectoryStatements`. */
export interface DirectoryStatements {
  userById: Statement<[string], UserRow>;
  userByName: Statement<[string], UserRow>;
  usersAfter: Statement<{ after: string; limit: number }, UserRow>;
  insertUser: Statement<[string, string, string]>;
  deleteUser: Statement<[string]>;
  tokenById: Statement<[string], TokenRow>;
  tokenIdByHash: Statement<[string], string>;
  tokenOwnerByHash: Statement<[string], TokenOwnerRow>;
  tokensOfUser: Statement<[string], TokenRow>;
  upsertToken: Statement<Params>;
  deleteToken: Statement<[string, string]>;
  touchToken: Statement<{ id: string; at: string; ms: number }>;
  tokenExists: Statement<[string], number>;
  webhookSecret: Statement<[string], string>;
  upsertWebhookSecret: Statement<[string, string]>;
  deleteWebhookSecret: Statement<[string]>;
  accountById: Statement<[string], AccountRow>;
  accountsOfUser: Statement<[string], AccountRow>;
  accountsSharedWith: Statement<[string], AccountRow>;
  insertAccount: Statement<[string, string, number, number, string]>;
  updateAccount: Statement<[number, number, string, string]>;
  deleteAccount: Statement<[string]>;
  signInExists: Statement<[string], number>;
  insertSignIn: Statement<[string, string, number, string]>;
  takeSignIn: Statement<[string], { expires_ms: number; data: string }>;
  deleteExpiredSignIns: Statement<[number]>;
  schedule: Statement<[string], ScheduleRow>;
  upsertSchedule: Statement<Params>;
  dueSchedules: Statement<{ now: number; afterMs: number; afterUser: string; today: string; limit: number }, ScheduleRow>;
}

/** Every statement of the directory, prepared once per directory. `LIMIT -1` is SQLite for no limit. */
export function prepareDirectoryStatements(db: Database.Database): DirectoryStatements {
  return {
    userById: db.prepare<[string], UserRow>('SELECT id, name, created_at FROM users WHERE id = ?'),
    userByName: db.prepare<[string], UserRow>(directorySql.userByName),
    usersAfter: db.prepare<{ after: string; limit: number }, UserRow>('SELECT id, name, created_at FROM users WHERE name > @after ORDER BY name LIMIT @limit'),
    insertUser: db.prepare<[string, string, string]>('INSERT INTO users (id, name, created_at) VALUES (?, ?, ?)'),
    // Tokens, secret, accounts, sign-ins and schedule go with it (ON DELETE CASCADE).
    deleteUser: db.prepare<[string]>('DELETE FROM users WHERE id = ?'),

    tokenById: db.prepare<[string], TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE id = ?`),
    tokenIdByHash: db.prepare<[string], string>('SELECT id FROM api_tokens WHERE hash = ?').pluck(),
    tokenOwnerByHash: db.prepare<[string], TokenOwnerRow>(directorySql.tokenOwnerByHash),
    tokensOfUser: db.prepare<[string], TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE user_id = ? ORDER BY created_ms, id`),
    upsertToken: db.prepare<Params>(
      `INSERT INTO api_tokens (id, user_id, hash, label, created_at, created_ms, last_used_at, last_used_ms, expires_at)
       VALUES (@id, @userId, @hash, @label, @createdAt, @createdMs, @lastUsedAt, @lastUsedMs, @expiresAt)
       ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, label = excluded.label, created_at = excluded.created_at,
         created_ms = excluded.created_ms, last_used_at = excluded.last_used_at, last_used_ms = excluded.last_used_ms, expires_at = excluded.expires_at`,
    ),
    deleteToken: db.prepare<[string, string]>('DELETE FROM api_tokens WHERE id = ? AND user_id = ?'),
    // Only forwards: of two requests finishing out of order, the later use stays.
    touchToken: db.prepare<{ id: string; at: string; ms: number }>(
      'UPDATE api_tokens SET last_used_at = @at, last_used_ms = @ms WHERE id = @id AND (last_used_ms IS NULL OR last_used_ms < @ms)',
    ),
    tokenExists: db.prepare<[string], number>('SELECT 1 FROM api_tokens WHERE id = ?').pluck(),

    webhookSecret: db.prepare<[string], string>('SELECT ciphertext FROM webhook_secrets WHERE user_id = ?').pluck(),
    upsertWebhookSecret: db.prepare<[string, string]>(
      'INSERT INTO webhook_secrets (user_id, ciphertext) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET ciphertext = excluded.ciphertext',
    ),
    deleteWebhookSecret: db.prepare<[string]>('DELETE FROM webhook_secrets WHERE user_id = ?'),

    accountById: db.prepare<[string], AccountRow>('SELECT id, user_id, version, data FROM audible_accounts WHERE id = ?'),
    accountsOfUser: db.prepare<[string], AccountRow>('SELECT id, user_id, version, data FROM audible_accounts WHERE user_id = ? ORDER BY created_ms, id'),
    // A scan, but only when a user is deleted: sharing is not looked up per request.
    accountsSharedWith: db.prepare<[string], AccountRow>(
      `SELECT id, user_id, version, data FROM audible_accounts
       WHERE EXISTS (SELECT 1 FROM json_each(audible_accounts.data, '$.sharedWith') WHERE value = ?)`,
    ),
    insertAccount: db.prepare<[string, string, number, number, string]>('INSERT INTO audible_accounts (id, user_id, created_ms, version, data) VALUES (?, ?, ?, ?, ?)'),
    updateAccount: db.prepare<[number, number, string, string]>('UPDATE audible_accounts SET created_ms = ?, version = ?, data = ? WHERE id = ?'),
    deleteAccount: db.prepare<[string]>('DELETE FROM audible_accounts WHERE id = ?'),

    signInExists: db.prepare<[string], number>('SELECT 1 FROM pending_sign_ins WHERE id = ?').pluck(),
    insertSignIn: db.prepare<[string, string, number, string]>('INSERT INTO pending_sign_ins (id, user_id, expires_ms, data) VALUES (?, ?, ?, ?)'),
    // One statement reads and deletes, so of two concurrent takes only one gets the row.
    takeSignIn: db.prepare<[string], { expires_ms: number; data: string }>('DELETE FROM pending_sign_ins WHERE id = ? RETURNING expires_ms, data'),
    deleteExpiredSignIns: db.prepare<[number]>('DELETE FROM pending_sign_ins WHERE expires_ms <= ?'),

    schedule: db.prepare<[string], ScheduleRow>(`SELECT ${SCHEDULE_COLUMNS} FROM sync_schedules WHERE user_id = ?`),
    upsertSchedule: db.prepare<Params>(
      `INSERT INTO sync_schedules (user_id, enabled, next_allowed_at, next_allowed_ms, last_sync_at, syncs_today, day, daily_cap, min_interval_ms, version)
       VALUES (@userId, @enabled, @nextAllowedAt, @nextAllowedMs, @lastSyncAt, @syncsToday, @day, @dailyCap, @minIntervalMs, @version)
       ON CONFLICT (user_id) DO UPDATE SET enabled = excluded.enabled, next_allowed_at = excluded.next_allowed_at,
         next_allowed_ms = excluded.next_allowed_ms, last_sync_at = excluded.last_sync_at, syncs_today = excluded.syncs_today,
         day = excluded.day, daily_cap = excluded.daily_cap, min_interval_ms = excluded.min_interval_ms, version = excluded.version`,
    ),
    dueSchedules: db.prepare<{ now: number; afterMs: number; afterUser: string; today: string; limit: number }, ScheduleRow>(directorySql.dueSchedules),
  };
}
