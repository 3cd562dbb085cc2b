import { StorageError, VersionConflictError, type AudibleAccount, type DirectoryPort, type SyncSchedule } from '@sagasync/core';
import { decideSetEnabled, decideSyncClaim, directoryErrors, directoryInput, nextAllowedMs, pageFrom, utcDayOf } from '@sagasync/storage';
import type { Pool, PoolClient } from 'pg';
import { describeTarget, RetryTransaction, sqlState, toPostgresError } from '../postgres-errors.js';
import type { Queryable } from '../sql.js';
import { withTransaction } from '../transaction.js';
import {
  ACCOUNT_COLUMNS,
  createDirectoryRows,
  SCHEDULE_COLUMNS,
  TOKEN_COLUMNS,
  USER_COLUMNS,
  type AccountRow,
  type ScheduleRow,
  type TokenRow,
  type UserRow,
} from './directory-rows.js';

export interface PostgresDirectoryOptions {
  /** The caller's pool; the schema must be migrated first (`migratePostgres`). */
  pool: Pool;
  /** End the pool on `close()`. @default false */
  endPoolOnClose?: boolean;
}

const UPSERT_SCHEDULE = `INSERT INTO sync_schedules (user_id, enabled, next_allowed_at, next_allowed_ms, last_sync_at, syncs_today, day, daily_cap, min_interval_ms, version)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
  ON CONFLICT (user_id) DO UPDATE SET enabled = excluded.enabled, next_allowed_at = excluded.next_allowed_at, next_allowed_ms = excluded.next_allowed_ms,
    last_sync_at = excluded.last_sync_at, syncs_today = excluded.syncs_today, day = excluded.day, daily_cap = excluded.daily_cap,
    min_interval_ms = excluded.min_interval_ms, version = excluded.version`;

/**
 * The directory port on PostgreSQL, in the same database as the library. A write that checks before
 * it writes (a name is free, a version matches, a claim is within limits) runs in one transaction
 * that first locks the row it depends on (`FOR NO KEY UPDATE` on the user, `FOR UPDATE` on the
 * account), so no other writer gets between the check and the write; unique indexes catch the
 * races a missing row cannot be locked against.
 */
export function createPostgresDirectory(options: PostgresDirectoryOptions): DirectoryPort {
  const { pool } = options;
  const target = describeTarget(pool);
  const rows = createDirectoryRows(target);
  let closed = false;

  async function run<T>(operation: string, body: () => Promise<T>): Promise<T> {
    try {
      if (closed) throw new StorageError(operation, new Error(`the SagaSync directory ${target} is closed`));
      return await body();
    } catch (error) {
      throw toPostgresError(error, pool, operation);
    }
  }

  /** Fails with `not_found` without the user; with `lock`, holds the user's row until commit (one check-and-write per user at a time). */
  async function requireUser(db: Queryable, userId: string, location: string, lock = false): Promise<void> {
    const { rowCount } = await db.query(`SELECT 1 FROM users WHERE id = $1${lock ? ' FOR NO KEY UPDATE' : ''}`, [userId]);
    if (rowCount === 0) throw directoryErrors.userNotFound(userId, location);
  }

  /** A write that references a user who was deleted meanwhile fails on the foreign key: the user is not found. */
  function userGone(error: unknown, userId: string, location: string): unknown {
    return sqlState(error) === '23503' ? directoryErrors.userNotFound(userId, location) : error;
  }

  async function readSchedule(db: Queryable, userId: string): Promise<SyncSchedule | null> {
    const { rows: found } = await db.query<ScheduleRow>(`SELECT ${SCHEDULE_COLUMNS} FROM sync_schedules WHERE user_id = $1`, [userId]);
    return found[0] ? rows.schedule(found[0]) : null;
  }

  async function writeSchedule(db: PoolClient, s: SyncSchedule): Promise<void> {
    await db.query(UPSERT_SCHEDULE, [s.userId, s.enabled, s.nextAllowedSyncAt, nextAllowedMs(s), s.lastSyncAt, s.syncsToday, s.day, s.dailyCap, s.minIntervalMs, s.version]);
  }

  return {
    createUser: (input) =>
      run('createUser', async () => {
        const user = directoryInput.user(input);
        const taken = await pool.query<{ id: string }>('SELECT id FROM users WHERE id = $1 OR name = $2', [user.id, user.name]);
        if (taken.rows.some((row) => row.id === user.id)) throw directoryErrors.userIdTaken(user.id);
        if (taken.rows.length > 0) throw directoryErrors.userNameTaken(user.name);
        try {
          await pool.query('INSERT INTO users (id, name, created_at) VALUES ($1, $2, $3)', [user.id, user.name, user.createdAt]);
        } catch (error) {
          // Lost a race with another creator after the check above.
          const constraint = (error as { constraint?: string }).constraint;
          if (sqlState(error) === '23505') throw constraint === 'users_by_name' ? directoryErrors.userNameTaken(user.name) : directoryErrors.userIdTaken(user.id);
          throw error;
        }
        return user;
      }),
    getUser: (userId) =>
      run('getUser', async () => {
        const { rows: found } = await pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [directoryInput.userId('getUser', userId)]);
        return found[0] ? rows.user(found[0]) : null;
      }),
    getUserByName: (name) =>
      run('getUserByName', async () => {
        const { rows: found } = await pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE name = $1`, [directoryInput.userName('getUserByName', name)]);
        return found[0] ? rows.user(found[0]) : null;
      }),
    listUsers: (request) =>
      run('listUsers', async () => {
        const { limit, after } = directoryInput.page(request, ['string']);
        // Names are never empty, so '' is before the first; LIMIT NULL is no limit.
        const { rows: found } = await pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE name > $1 ORDER BY name LIMIT $2`, [
          after ? String(after[0]) : '',
          limit === undefined ? null : limit + 1,
        ]);
        return pageFrom(found.map(rows.user), limit, (user) => [user.name]);
      }),
    deleteUser: (userId) =>
      run('deleteUser', async () => {
        const id = directoryInput.userId('deleteUser', userId);
        return withTransaction(pool, async (db) => {
          // Take the user out of every account shared with them (the GIN index on sharedWith finds them).
          await db.query(
            `UPDATE audible_accounts SET version = version + 1,
               data = jsonb_set(data, '{sharedWith}', coalesce((SELECT jsonb_agg(v) FROM jsonb_array_elements(data -> 'sharedWith') v WHERE v <> to_jsonb($1::text)), '[]'::jsonb))
             WHERE data -> 'sharedWith' @> jsonb_build_array($1::text)`,
            [id],
          );
          // Tokens, secret, accounts, sign-ins and schedule go with it (ON DELETE CASCADE).
          return ((await db.query('DELETE FROM users WHERE id = $1', [id])).rowCount ?? 0) > 0;
        });
      }),

    putApiToken: (input) =>
      run('putApiToken', async () => {
        const token = directoryInput.apiToken(input);
        try {
          return await withTransaction(pool, async (db) => {
            await requireUser(db, token.userId, 'token.userId');
            const { rows: existing } = await db.query<{ user_id: string }>('SELECT user_id FROM api_tokens WHERE id = $1 FOR UPDATE', [token.id]);
            if (existing[0] && existing[0].user_id !== token.userId) throw directoryErrors.idOfAnotherUser('api token', token.id, 'token.id');
            const { rows: holder } = await db.query<{ id: string }>('SELECT id FROM api_tokens WHERE hash = $1', [token.hash]);
            if (holder[0] && holder[0].id !== token.id) throw directoryErrors.tokenHashTaken();
            const written = await db.query(
              `INSERT INTO api_tokens (id, user_id, hash, label, created_at, created_ms, last_used_at, last_used_ms, expires_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
               ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, label = excluded.label, created_at = excluded.created_at, created_ms = excluded.created_ms,
                 last_used_at = excluded.last_used_at, last_used_ms = excluded.last_used_ms, expires_at = excluded.expires_at
               WHERE api_tokens.user_id = excluded.user_id`,
              [
                token.id,
                token.userId,
                token.hash,
                token.label,
                token.createdAt,
                Date.parse(token.createdAt),
                token.lastUsedAt,
                token.lastUsedAt === null ? null : Date.parse(token.lastUsedAt),
                token.expiresAt,
              ],
            );
            // Another user's token with this id was created after our check.
            if (written.rowCount === 0) throw directoryErrors.idOfAnotherUser('api token', token.id, 'token.id');
            return token;
          });
        } catch (error) {
          if (sqlState(error) === '23505') throw directoryErrors.tokenHashTaken();
          throw userGone(error, token.userId, 'token.userId');
        }
      }),
    findUserByTokenHash: (hash) =>
      run('findUserByTokenHash', async () => {
        const { rows: found } = await pool.query<TokenRow & { user_name: string; user_created_at: string; webhook_secret: string | null }>(
          `SELECT t.id, t.user_id, t.hash, t.label, t.created_at, t.last_used_at, t.expires_at, u.name AS user_name, u.created_at AS user_created_at,
             w.ciphertext AS webhook_secret
           FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN webhook_secrets w ON w.user_id = t.user_id WHERE t.hash = $1`,
          [directoryInput.tokenHash('findUserByTokenHash', hash)],
        );
        const row = found[0];
        if (!row) return null;
        return { user: rows.user({ id: row.user_id, name: row.user_name, created_at: row.user_created_at }), token: rows.token(row), webhookSecret: row.webhook_secret };
      }),
    listApiTokens: (userId) =>
      run('listApiTokens', async () => {
        const { rows: found } = await pool.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY created_ms, id`, [
          directoryInput.userId('listApiTokens', userId),
        ]);
        return found.map(rows.token);
      }),
    deleteApiToken: (userId, tokenId) =>
      run('deleteApiToken', async () => {
        const owner = directoryInput.userId('deleteApiToken', userId);
        const id = directoryInput.id('deleteApiToken', tokenId, 'tokenId');
        return ((await pool.query('DELETE FROM api_tokens WHERE id = $1 AND user_id = $2', [id, owner])).rowCount ?? 0) > 0;
      }),
    touchApiToken: (tokenId, at) =>
      run('touchApiToken', async () => {
        const id = directoryInput.id('touchApiToken', tokenId, 'tokenId');
        const ms = directoryInput.instant('touchApiToken', at, 'at');
        // Only forwards: of two requests finishing out of order, the later use stays.
        const touched = await pool.query('UPDATE api_tokens SET last_used_at = $2, last_used_ms = $3 WHERE id = $1 AND (last_used_ms IS NULL OR last_used_ms < $3)', [
          id,
          new Date(ms).toISOString(),
          ms,
        ]);
        if ((touched.rowCount ?? 0) > 0) return true;
        // No change is also the answer for a token used later already: then it still exists.
        return ((await pool.query('SELECT 1 FROM api_tokens WHERE id = $1', [id])).rowCount ?? 0) > 0;
      }),

    setWebhookSecret: (userId, ciphertext) =>
      run('setWebhookSecret', async () => {
        const id = directoryInput.userId('setWebhookSecret', userId);
        const secret = directoryInput.ciphertextOrNull('setWebhookSecret', ciphertext);
        try {
          await withTransaction(pool, async (db) => {
            await requireUser(db, id, 'userId');
            if (secret === null) await db.query('DELETE FROM webhook_secrets WHERE user_id = $1', [id]);
            else
              await db.query('INSERT INTO webhook_secrets (user_id, ciphertext) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET ciphertext = excluded.ciphertext', [
                id,
                secret,
              ]);
          });
        } catch (error) {
          throw userGone(error, id, 'userId');
        }
      }),
    getWebhookSecret: (userId) =>
      run('getWebhookSecret', async () => {
        const { rows: found } = await pool.query<{ ciphertext: string }>('SELECT ciphertext FROM webhook_secrets WHERE user_id = $1', [
          directoryInput.userId('getWebhookSecret', userId),
        ]);
        return found[0]?.ciphertext ?? null;
      }),

    putAudibleAccount: (input, expectedVersion) =>
      run('putAudibleAccount', async () => {
        const account = directoryInput.audibleAccount(input);
        const expected = directoryInput.putVersion('putAudibleAccount', expectedVersion);
        try {
          return await withTransaction(pool, async (db) => {
            await requireUser(db, account.userId, 'account.userId');
            const { rows: found } = await db.query<{ user_id: string; version: number }>('SELECT user_id, version FROM audible_accounts WHERE id = $1 FOR UPDATE', [account.id]);
            const existing = found[0];
            if (existing && existing.user_id !== account.userId) throw directoryErrors.idOfAnotherUser('audible account', account.id, 'account.id');
            const actual = existing?.version ?? null;
            if (expected !== undefined && expected !== actual) throw new VersionConflictError('audible account', account.id, expected, actual);
            const stored: AudibleAccount = { ...account, version: (actual ?? 0) + 1 };
            const createdMs = Date.parse(account.createdAt);
            if (existing) {
              await db.query('UPDATE audible_accounts SET created_ms = $2, version = $3, data = $4::jsonb WHERE id = $1', [account.id, createdMs, stored.version, JSON.stringify(account)]);
            } else {
              const inserted = await db.query(
                'INSERT INTO audible_accounts (id, user_id, created_ms, version, data) VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT (id) DO NOTHING',
                [account.id, account.userId, createdMs, stored.version, JSON.stringify(account)],
              );
              // Another writer created it after our read: decide again against what it wrote.
              if (inserted.rowCount === 0) throw new RetryTransaction('audible account created concurrently');
            }
            return stored;
          });
        } catch (error) {
          throw userGone(error, account.userId, 'account.userId');
        }
      }),
    getAudibleAccount: (accountId) =>
      run('getAudibleAccount', async () => {
        const id = directoryInput.id('getAudibleAccount', accountId, 'accountId');
        const { rows: found } = await pool.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM audible_accounts WHERE id = $1`, [id]);
        return found[0] ? rows.account(found[0]) : null;
      }),
    listAudibleAccounts: (userId) =>
      run('listAudibleAccounts', async () => {
        const { rows: found } = await pool.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM audible_accounts WHERE user_id = $1 ORDER BY created_ms, id`, [
          directoryInput.userId('listAudibleAccounts', userId),
        ]);
        return found.map(rows.account);
      }),
    deleteAudibleAccount: (accountId, expectedVersion) =>
      run('deleteAudibleAccount', async () => {
        const id = directoryInput.id('deleteAudibleAccount', accountId, 'accountId');
        const expected = directoryInput.deleteVersion('deleteAudibleAccount', expectedVersion);
        if (expected === undefined) return ((await pool.query('DELETE FROM audible_accounts WHERE id = $1', [id])).rowCount ?? 0) > 0;
        return withTransaction(pool, async (db) => {
          const { rows: found } = await db.query<{ version: number }>('SELECT version FROM audible_accounts WHERE id = $1 FOR UPDATE', [id]);
          const actual = found[0]?.version ?? null;
          if (expected !== actual) throw new VersionConflictError('audible account', id, expected, actual);
          await db.query('DELETE FROM audible_accounts WHERE id = $1', [id]);
          return true;
        });
      }),

    putPendingSignIn: (input) =>
      run('putPendingSignIn', async () => {
        const signIn = directoryInput.pendingSignIn(input);
        try {
          await withTransaction(pool, async (db) => {
            await requireUser(db, signIn.userId, 'signIn.userId');
            const inserted = await db.query(
              'INSERT INTO pending_sign_ins (id, user_id, expires_ms, data) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (id) DO NOTHING',
              [signIn.id, signIn.userId, Date.parse(signIn.expiresAt), JSON.stringify(signIn)],
            );
            if (inserted.rowCount === 0) throw directoryErrors.idTaken('pending sign-in', signIn.id, 'signIn.id');
          });
        } catch (error) {
          throw userGone(error, signIn.userId, 'signIn.userId');
        }
      }),
    takePendingSignIn: (id, now) =>
      run('takePendingSignIn', async () => {
        const key = directoryInput.id('takePendingSignIn', id, 'id');
        const nowMs = directoryInput.instant('takePendingSignIn', now);
        // One statement reads and deletes, so of two concurrent takes only one gets the row.
        const { rows: taken } = await pool.query<{ expires_ms: string; data: unknown }>('DELETE FROM pending_sign_ins WHERE id = $1 RETURNING expires_ms, data', [key]);
        const row = taken[0];
        return row && Number(row.expires_ms) > nowMs ? rows.signIn(row.data, key) : null;
      }),
    deleteExpiredSignIns: (now) =>
      run('deleteExpiredSignIns', async () => (await pool.query('DELETE FROM pending_sign_ins WHERE expires_ms <= $1', [directoryInput.instant('deleteExpiredSignIns', now)])).rowCount ?? 0),

    getSchedule: (userId) => run('getSchedule', () => readSchedule(pool, directoryInput.userId('getSchedule', userId))),
    setScheduleEnabled: (userId, enabled, limits) =>
      run('setScheduleEnabled', async () => {
        const id = directoryInput.userId('setScheduleEnabled', userId);
        const on = directoryInput.enabled('setScheduleEnabled', enabled);
        const resolved = directoryInput.limits('setScheduleEnabled', limits);
        return withTransaction(pool, async (db) => {
          await requireUser(db, id, 'userId', true);
          const current = await readSchedule(db, id);
          const next = decideSetEnabled(current, id, on, resolved);
          if (next) await writeSchedule(db, next);
          return next ?? current!;
        });
      }),
    claimSync: (userId, now, limits) =>
      run('claimSync', async () => {
        const id = directoryInput.userId('claimSync', userId);
        const nowMs = directoryInput.instant('claimSync', now);
        const resolved = directoryInput.limits('claimSync', limits);
        return withTransaction(pool, async (db) => {
          // The user's row lock makes claims of one user take turns, even before the schedule row exists.
          await requireUser(db, id, 'userId', true);
          const { claim, write } = decideSyncClaim(await readSchedule(db, id), id, nowMs, resolved);
          if (write) await writeSchedule(db, write);
          return claim;
        });
      }),
    listUsersDueForSync: (now, request) =>
      run('listUsersDueForSync', async () => {
        const nowMs = directoryInput.instant('listUsersDueForSync', now);
        const { limit, after } = directoryInput.page(request, ['number', 'string']);
        // One range of the partial index sync_schedules_due, read in its order; next_allowed_ms is
        // never negative, so (-1, '') is before the first row.
        const { rows: due } = await pool.query<ScheduleRow>(
          `SELECT ${SCHEDULE_COLUMNS} FROM sync_schedules
           WHERE enabled AND next_allowed_ms <= $1 AND (next_allowed_ms, user_id) > ($2, $3) AND (day < $4 OR syncs_today < daily_cap)
           ORDER BY next_allowed_ms, user_id LIMIT $5`,
          [nowMs, after ? Number(after[0]) : -1, after ? String(after[1]) : '', utcDayOf(nowMs), limit === undefined ? null : limit + 1],
        );
        return pageFrom(due.map(rows.schedule), limit, (schedule) => [nextAllowedMs(schedule), schedule.userId]);
      }),

    async close() {
      if (closed) return;
      closed = true;
      if (options.endPoolOnClose) await pool.end();
    },
  };
}
