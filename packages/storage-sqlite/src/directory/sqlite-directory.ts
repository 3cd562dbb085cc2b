import type Database from 'better-sqlite3';
import { SagaSyncError, StorageError, VersionConflictError, type AudibleAccount, type DirectoryPort, type SyncSchedule } from '@sagasync/core';
import { decideSetEnabled, decideSyncClaim, directoryErrors, directoryInput, nextAllowedMs, pageFrom, utcDayOf } from '@sagasync/storage';
import { openDatabase } from '../open-database.js';
import { toStoreError } from '../sqlite-errors.js';
import { createDirectoryRows, scheduleParams, tokenParams } from './directory-rows.js';
import { prepareDirectoryStatements } from './directory-statements.js';

export interface SqliteDirectoryOptions {
  /** The store file, the same one `openSqliteStorage` opens; created (mode 0600) when missing. */
  path: string;
  /**
   * How long a write waits for another process's write lock before failing with `store_locked`.
   * @default 5000
   */
  busyTimeoutMs?: number;
}

export type SqliteDirectory = DirectoryPort & { readonly path: string };

/**
 * The directory in the embedded store file, beside the library. Every write that checks before it
 * writes (a name is free, a version matches, a claim is within limits) runs in one IMMEDIATE
 * transaction: it takes the write lock first, so no other connection or process can write between
 * the check and the write.
 */
export function openSqliteDirectory(options: SqliteDirectoryOptions): SqliteDirectory {
  const { path } = options;
  const db = openDatabase({ path, busyTimeoutMs: options.busyTimeoutMs ?? 5000, readonly: false });
  try {
    requireDirectoryTables(db, path);
  } catch (error) {
    db.close();
    throw error;
  }
  const sql = prepareDirectoryStatements(db);
  const rows = createDirectoryRows(path);

  /** Runs one port call: checks the directory is open and maps SQLite errors. */
  function run<T>(operation: string, body: () => T): Promise<T> {
    try {
      if (!db.open) throw new StorageError(operation, new Error(`the SagaSync store ${path} is closed`));
      return Promise.resolve(body());
    } catch (error) {
      return Promise.reject(toStoreError(error, path, operation));
    }
  }

  /** `body` in one IMMEDIATE transaction; a throw rolls it back. */
  function atomically<T>(body: () => T): T {
    return db.transaction(body).immediate();
  }

  function requireUser(userId: string, location: string): void {
    if (!sql.userById.get(userId)) throw directoryErrors.userNotFound(userId, location);
  }

  function readSchedule(userId: string): SyncSchedule | null {
    const row = sql.schedule.get(userId);
    return row ? rows.schedule(row) : null;
  }

  return {
    path,

    createUser: (input) =>
      run('createUser', () => {
        const user = directoryInput.user(input);
        return atomically(() => {
          if (sql.userById.get(user.id)) throw directoryErrors.userIdTaken(user.id);
          if (sql.userByName.get(user.name)) throw directoryErrors.userNameTaken(user.name);
          sql.insertUser.run(user.id, user.name, user.createdAt);
          return user;
        });
      }),
    getUser: (userId) =>
      run('getUser', () => {
        const row = sql.userById.get(directoryInput.userId('getUser', userId));
        return row ? rows.user(row) : null;
      }),
    getUserByName: (name) =>
      run('getUserByName', () => {
        const row = sql.userByName.get(directoryInput.userName('getUserByName', name));
        return row ? rows.user(row) : null;
      }),
    listUsers: (request) =>
      run('listUsers', () => {
        const { limit, after } = directoryInput.page(request, ['string']);
        // Names are never empty, so '' is before the first.
        const users = sql.usersAfter.all({ after: after ? String(after[0]) : '', limit: limit === undefined ? -1 : limit + 1 }).map(rows.user);
        return pageFrom(users, limit, (user) => [user.name]);
      }),
    deleteUser: (userId) =>
      run('deleteUser', () => {
        const id = directoryInput.userId('deleteUser', userId);
        return atomically(() => {
          for (const row of sql.accountsSharedWith.all(id)) {
            const account = rows.account(row);
            const { version: _version, ...data } = account;
            const sharedWith = account.sharedWith.filter((other) => other !== id);
            sql.updateAccount.run(Date.parse(account.createdAt), account.version + 1, JSON.stringify({ ...data, sharedWith }), row.id);
          }
          return sql.deleteUser.run(id).changes > 0;
        });
      }),

    putApiToken: (input) =>
      run('putApiToken', () => {
        const token = directoryInput.apiToken(input);
        return atomically(() => {
          requireUser(token.userId, 'token.userId');
          const existing = sql.tokenById.get(token.id);
          if (existing && existing.user_id !== token.userId) throw directoryErrors.idOfAnotherUser('api token', token.id, 'token.id');
          const holder = sql.tokenIdByHash.get(token.hash);
          if (holder !== undefined && holder !== token.id) throw directoryErrors.tokenHashTaken();
          sql.upsertToken.run(tokenParams(token));
          return token;
        });
      }),
    findUserByTokenHash: (hash) =>
      run('findUserByTokenHash', () => {
        const row = sql.tokenOwnerByHash.get(directoryInput.tokenHash('findUserByTokenHash', hash));
        if (!row) return null;
        return { user: rows.user({ id: row.user_id, name: row.user_name, created_at: row.user_created_at }), token: rows.token(row), webhookSecret: row.webhook_secret };
      }),
    listApiTokens: (userId) => run('listApiTokens', () => sql.tokensOfUser.all(directoryInput.userId('listApiTokens', userId)).map(rows.token)),
    deleteApiToken: (userId, tokenId) =>
      run('deleteApiToken', () => {
        const owner = directoryInput.userId('deleteApiToken', userId);
        const id = directoryInput.id('deleteApiToken', tokenId, 'tokenId');
        return sql.deleteToken.run(id, owner).changes > 0;
      }),
    touchApiToken: (tokenId, at) =>
      run('touchApiToken', () => {
        const id = directoryInput.id('touchApiToken', tokenId, 'tokenId');
        const ms = directoryInput.instant('touchApiToken', at, 'at');
        // No change is also the answer for a token used later already: then it still exists.
        return sql.touchToken.run({ id, at: new Date(ms).toISOString(), ms }).changes > 0 || sql.tokenExists.get(id) !== undefined;
      }),

    setWebhookSecret: (userId, ciphertext) =>
      run('setWebhookSecret', () => {
        const id = directoryInput.userId('setWebhookSecret', userId);
        const secret = directoryInput.ciphertextOrNull('setWebhookSecret', ciphertext);
        atomically(() => {
          requireUser(id, 'userId');
          if (secret === null) sql.deleteWebhookSecret.run(id);
          else sql.upsertWebhookSecret.run(id, secret);
        });
      }),
    getWebhookSecret: (userId) => run('getWebhookSecret', () => sql.webhookSecret.get(directoryInput.userId('getWebhookSecret', userId)) ?? null),

    putAudibleAccount: (input, expectedVersion) =>
      run('putAudibleAccount', () => {
        const account = directoryInput.audibleAccount(input);
        const expected = directoryInput.putVersion('putAudibleAccount', expectedVersion);
        return atomically(() => {
          requireUser(account.userId, 'account.userId');
          const existing = sql.accountById.get(account.id);
          if (existing && existing.user_id !== account.userId) throw directoryErrors.idOfAnotherUser('audible account', account.id, 'account.id');
          const actual = existing?.version ?? null;
          if (expected !== undefined && expected !== actual) throw new VersionConflictError('audible account', account.id, expected, actual);
          const stored: AudibleAccount = { ...account, version: (actual ?? 0) + 1 };
          const createdMs = Date.parse(account.createdAt);
          if (existing) sql.updateAccount.run(createdMs, stored.version, JSON.stringify(account), account.id);
          else sql.insertAccount.run(account.id, account.userId, createdMs, stored.version, JSON.stringify(account));
          return stored;
        });
      }),
    getAudibleAccount: (accountId) =>
      run('getAudibleAccount', () => {
        const id = directoryInput.id('getAudibleAccount', accountId, 'accountId');
        const row = sql.accountById.get(id);
        return row ? rows.account(row) : null;
      }),
    listAudibleAccounts: (userId) =>
      run('listAudibleAccounts', () =>
        sql.accountsOfUser.all(directoryInput.userId('listAudibleAccounts', userId)).map(rows.account),
      ),
    deleteAudibleAccount: (accountId, expectedVersion) =>
      run('deleteAudibleAccount', () => {
        const id = directoryInput.id('deleteAudibleAccount', accountId, 'accountId');
        const expected = directoryInput.deleteVersion('deleteAudibleAccount', expectedVersion);
        return atomically(() => {
          const actual = sql.accountById.get(id)?.version ?? null;
          if (expected !== undefined && expected !== actual) throw new VersionConflictError('audible account', id, expected, actual);
          return sql.deleteAccount.run(id).changes > 0;
        });
      }),

    putPendingSignIn: (input) =>
      run('putPendingSignIn', () => {
        const signIn = directoryInput.pendingSignIn(input);
        atomically(() => {
          requireUser(signIn.userId, 'signIn.userId');
          if (sql.signInExists.get(signIn.id) !== undefined) throw directoryErrors.idTaken('pending sign-in', signIn.id, 'signIn.id');
          sql.insertSignIn.run(signIn.id, signIn.userId, Date.parse(signIn.expiresAt), JSON.stringify(signIn));
        });
      }),
    takePendingSignIn: (id, now) =>
      run('takePendingSignIn', () => {
        const key = directoryInput.id('takePendingSignIn', id, 'id');
        const nowMs = directoryInput.instant('takePendingSignIn', now);
        const row = sql.takeSignIn.get(key);
        return row && row.expires_ms > nowMs ? rows.signIn(row.data, key) : null;
      }),
    deleteExpiredSignIns: (now) => run('deleteExpiredSignIns', () => sql.deleteExpiredSignIns.run(directoryInput.instant('deleteExpiredSignIns', now)).changes),

    getSchedule: (userId) => run('getSchedule', () => readSchedule(directoryInput.userId('getSchedule', userId))),
    setScheduleEnabled: (userId, enabled, limits) =>
      run('setScheduleEnabled', () => {
        const id = directoryInput.userId('setScheduleEnabled', userId);
        const on = directoryInput.enabled('setScheduleEnabled', enabled);
        const resolved = directoryInput.limits('setScheduleEnabled', limits);
        return atomically(() => {
          requireUser(id, 'userId');
          const current = readSchedule(id);
          const next = decideSetEnabled(current, id, on, resolved);
          if (next) sql.upsertSchedule.run(scheduleParams(next));
          return next ?? current!;
        });
      }),
    claimSync: (userId, now, limits) =>
      run('claimSync', () => {
        const id = directoryInput.userId('claimSync', userId);
        const nowMs = directoryInput.instant('claimSync', now);
        const resolved = directoryInput.limits('claimSync', limits);
        return atomically(() => {
          requireUser(id, 'userId');
          const { claim, write } = decideSyncClaim(readSchedule(id), id, nowMs, resolved);
          if (write) sql.upsertSchedule.run(scheduleParams(write));
          return claim;
        });
      }),
    listUsersDueForSync: (now, request) =>
      run('listUsersDueForSync', () => {
        const nowMs = directoryInput.instant('listUsersDueForSync', now);
        const { limit, after } = directoryInput.page(request, ['number', 'string']);
        const due = sql.dueSchedules
          .all({
            now: nowMs,
            today: utcDayOf(nowMs),
            // next_allowed_ms is never negative, so (-1, '') is before the first row.
            afterMs: after ? Number(after[0]) : -1,
            afterUser: after ? String(after[1]) : '',
            limit: limit === undefined ? -1 : limit + 1,
          })
          .map(rows.schedule);
        return pageFrom(due, limit, (schedule) => [nextAllowedMs(schedule), schedule.userId]);
      }),

    async close() {
      if (db.open) db.close();
    },
  };
}

/**
 * The directory's tables come with a schema step of the store (see `directoryTablesMigration`); a
 * build whose migrations lack it would otherwise fail on the first statement with "no such table".
 */
function requireDirectoryTables(db: Database.Database, path: string): void {
  const found = db.prepare<[], number>("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('users', 'api_tokens', 'sync_schedules')").pluck().get();
  if (found !== 3) {
    throw new SagaSyncError('storage_failure', `the SagaSync store ${path} has no directory tables: its migrations do not include directoryTablesMigration`, {
      details: { location: path },
    });
  }
}
