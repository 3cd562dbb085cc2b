import {
  StorageError,
  VersionConflictError,
  type ApiToken,
  type AudibleAccount,
  type DirectoryPort,
  type Page,
  type PendingSignIn,
  type SyncSchedule,
  type User,
} from '@sagasync/core';
import { compareKeys, compareText } from '../batch/ordering.js';
import { pageFrom, type CursorKey } from '../paging/cursor.js';
import { directoryErrors } from './directory-errors.js';
import { directoryInput } from './parse-input.js';
import { decideSetEnabled, decideSyncClaim, isDueForSync, nextAllowedMs } from './sync-rules.js';

/**
 * The reference directory: every guarantee of the port, in process memory. Tests and the demo use
 * it; the directory conformance suite holds it to the same rules as the real backends.
 *
 * Each method checks and writes with no `await` in between, so every call is atomic for other
 * callers (a sign-in is taken once, a claim counted once). Values are copied in (parsing) and out
 * (`structuredClone`), so no caller can change stored state through an object it holds.
 */
export function createMemoryDirectory(): DirectoryPort {
  const users = new Map<string, User>();
  const userIdsByName = new Map<string, string>();
  const tokens = new Map<string, ApiToken>();
  const tokenIdsByHash = new Map<string, string>();
  const webhookSecrets = new Map<string, string>();
  const accounts = new Map<string, AudibleAccount>();
  const signIns = new Map<string, PendingSignIn>();
  const schedules = new Map<string, SyncSchedule>();
  let closed = false;

  function open(operation: string): void {
    if (closed) throw new StorageError(operation, new Error('the directory is closed'));
  }

  /** The user a write hangs off; `not_found` when there is none. */
  function requireUser(operation: string, userId: string, location = 'userId'): string {
    const id = directoryInput.userId(operation, userId, location);
    if (!users.has(id)) throw directoryErrors.userNotFound(id, location);
    return id;
  }

  const copy = structuredClone;

  /** Rows in sort-key order after the cursor, one past the limit (see `pageFrom`). */
  function page<T>(rows: Iterable<T>, keyOf: (row: T) => CursorKey, after: CursorKey | null, limit: number | undefined): Page<T> {
    const keyed = [...rows].map((row) => ({ row, key: keyOf(row) })).filter(({ key }) => after === null || compareKeys(key, after) > 0);
    keyed.sort((a, b) => compareKeys(a.key, b.key));
    const rowsOut = (limit === undefined ? keyed : keyed.slice(0, limit + 1)).map(({ row }) => copy(row));
    return pageFrom(rowsOut, limit, keyOf);
  }

  /** Rows of one user, oldest first: (createdAt as an instant, id). */
  function byCreation<T extends { userId: string; createdAt: string; id: string }>(rows: Iterable<T>, userId: string): T[] {
    const mine = [...rows].filter((row) => row.userId === userId);
    mine.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || compareText(a.id, b.id));
    return mine.map((row) => copy(row));
  }

  return {
    async createUser(input) {
      open('createUser');
      const user = directoryInput.user(input);
      if (users.has(user.id)) throw directoryErrors.userIdTaken(user.id);
      if (userIdsByName.has(user.name)) throw directoryErrors.userNameTaken(user.name);
      users.set(user.id, user);
      userIdsByName.set(user.name, user.id);
      return copy(user);
    },
    async getUser(userId) {
      open('getUser');
      const user = users.get(directoryInput.userId('getUser', userId));
      return user ? copy(user) : null;
    },
    async getUserByName(name) {
      open('getUserByName');
      const id = userIdsByName.get(directoryInput.userName('getUserByName', name));
      return id === undefined ? null : copy(users.get(id)!);
    },
    async listUsers(request) {
      open('listUsers');
      const { limit, after } = directoryInput.page(request, ['string']);
      return page(users.values(), (user) => [user.name], after, limit);
    },
    async deleteUser(userId) {
      open('deleteUser');
      const id = directoryInput.userId('deleteUser', userId);
      const user = users.get(id);
      if (!user) return false;
      users.delete(id);
      userIdsByName.delete(user.name);
      for (const [tokenId, token] of tokens) {
        if (token.userId !== id) continue;
        tokens.delete(tokenId);
        tokenIdsByHash.delete(token.hash);
      }
      webhookSecrets.delete(id);
      for (const [accountId, account] of accounts) {
        if (account.userId === id) accounts.delete(accountId);
        else if (account.sharedWith.includes(id)) {
          accounts.set(accountId, { ...account, sharedWith: account.sharedWith.filter((other) => other !== id), version: account.version + 1 });
        }
      }
      for (const [signInId, signIn] of signIns) if (signIn.userId === id) signIns.delete(signInId);
      schedules.delete(id);
      return true;
    },

    async putApiToken(input) {
      open('putApiToken');
      const token = directoryInput.apiToken(input);
      requireUser('putApiToken', token.userId, 'token.userId');
      const existing = tokens.get(token.id);
      if (existing && existing.userId !== token.userId) throw directoryErrors.idOfAnotherUser('api token', token.id, 'token.id');
      const holder = tokenIdsByHash.get(token.hash);
      if (holder !== undefined && holder !== token.id) throw directoryErrors.tokenHashTaken();
      if (existing) tokenIdsByHash.delete(existing.hash);
      tokens.set(token.id, token);
      tokenIdsByHash.set(token.hash, token.id);
      return copy(token);
    },
    async findUserByTokenHash(hash) {
      open('findUserByTokenHash');
      const tokenId = tokenIdsByHash.get(directoryInput.tokenHash('findUserByTokenHash', hash));
      if (tokenId === undefined) return null;
      const token = tokens.get(tokenId)!;
      return { user: copy(users.get(token.userId)!), token: copy(token), webhookSecret: webhookSecrets.get(token.userId) ?? null };
    },
    async listApiTokens(userId) {
      open('listApiTokens');
      return byCreation(tokens.values(), directoryInput.userId('listApiTokens', userId));
    },
    async deleteApiToken(userId, tokenId) {
      open('deleteApiToken');
      const owner = directoryInput.userId('deleteApiToken', userId);
      const id = directoryInput.id('deleteApiToken', tokenId, 'tokenId');
      const token = tokens.get(id);
      if (!token || token.userId !== owner) return false;
      tokens.delete(id);
      tokenIdsByHash.delete(token.hash);
      return true;
    },
    async touchApiToken(tokenId, at) {
      open('touchApiToken');
      const id = directoryInput.id('touchApiToken', tokenId, 'tokenId');
      const atMs = directoryInput.instant('touchApiToken', at, 'at');
      const token = tokens.get(id);
      if (!token) return false;
      if (token.lastUsedAt === null || Date.parse(token.lastUsedAt) < atMs) tokens.set(id, { ...token, lastUsedAt: new Date(atMs).toISOString() });
      return true;
    },

    async setWebhookSecret(userId, ciphertext) {
      open('setWebhookSecret');
      const id = requireUser('setWebhookSecret', userId);
      const secret = directoryInput.ciphertextOrNull('setWebhookSecret', ciphertext);
      if (secret === null) webhookSecrets.delete(id);
      else webhookSecrets.set(id, secret);
    },
    async getWebhookSecret(userId) {
      open('getWebhookSecret');
      return webhookSecrets.get(directoryInput.userId('getWebhookSecret', userId)) ?? null;
    },

    async putAudibleAccount(input, expectedVersion) {
      open('putAudibleAccount');
      const account = directoryInput.audibleAccount(input);
      const expected = directoryInput.putVersion('putAudibleAccount', expectedVersion);
      requireUser('putAudibleAccount', account.userId, 'account.userId');
      const existing = accounts.get(account.id);
      if (existing && existing.userId !== account.userId) throw directoryErrors.idOfAnotherUser('audible account', account.id, 'account.id');
      const actual = existing?.version ?? null;
      if (expected !== undefined && expected !== actual) throw new VersionConflictError('audible account', account.id, expected, actual);
      const stored: AudibleAccount = { ...account, version: (actual ?? 0) + 1 };
      accounts.set(stored.id, stored);
      return copy(stored);
    },
    async getAudibleAccount(accountId) {
      open('getAudibleAccount');
      const account = accounts.get(directoryInput.id('getAudibleAccount', accountId, 'accountId'));
      return account ? copy(account) : null;
    },
    async listAudibleAccounts(userId) {
      open('listAudibleAccounts');
      return byCreation(accounts.values(), directoryInput.userId('listAudibleAccounts', userId));
    },
    async deleteAudibleAccount(accountId, expectedVersion) {
      open('deleteAudibleAccount');
      const id = directoryInput.id('deleteAudibleAccount', accountId, 'accountId');
      const expected = directoryInput.deleteVersion('deleteAudibleAccount', expectedVersion);
      const actual = accounts.get(id)?.version ?? null;
      if (expected !== undefined && expected !== actual) throw new VersionConflictError('audible account', id, expected, actual);
      return accounts.delete(id);
    },

    async putPendingSignIn(input) {
      open('putPendingSignIn');
      const signIn = directoryInput.pendingSignIn(input);
      requireUser('putPendingSignIn', signIn.userId, 'signIn.userId');
      if (signIns.has(signIn.id)) throw directoryErrors.idTaken('pending sign-in', signIn.id, 'signIn.id');
      signIns.set(signIn.id, signIn);
    },
    async takePendingSignIn(id, now) {
      open('takePendingSignIn');
      const key = directoryInput.id('takePendingSignIn', id, 'id');
      const nowMs = directoryInput.instant('takePendingSignIn', now);
      const signIn = signIns.get(key);
      if (!signIn) return null;
      signIns.delete(key);
      return Date.parse(signIn.expiresAt) > nowMs ? signIn : null;
    },
    async deleteExpiredSignIns(now) {
      open('deleteExpiredSignIns');
      const nowMs = directoryInput.instant('deleteExpiredSignIns', now);
      let deleted = 0;
      for (const [id, signIn] of signIns) {
        if (Date.parse(signIn.expiresAt) > nowMs) continue;
        signIns.delete(id);
        deleted++;
      }
      return deleted;
    },

    async getSchedule(userId) {
      open('getSchedule');
      const schedule = schedules.get(directoryInput.userId('getSchedule', userId));
      return schedule ? copy(schedule) : null;
    },
    async setScheduleEnabled(userId, enabled, limits) {
      open('setScheduleEnabled');
      const id = requireUser('setScheduleEnabled', userId);
      const on = directoryInput.enabled('setScheduleEnabled', enabled);
      const resolved = directoryInput.limits('setScheduleEnabled', limits);
      const current = schedules.get(id) ?? null;
      const next = decideSetEnabled(current, id, on, resolved);
      if (next) schedules.set(id, next);
      return copy(next ?? current!);
    },
    async claimSync(userId, now, limits) {
      open('claimSync');
      const id = requireUser('claimSync', userId);
      const nowMs = directoryInput.instant('claimSync', now);
      const resolved = directoryInput.limits('claimSync', limits);
      const { claim, write } = decideSyncClaim(schedules.get(id) ?? null, id, nowMs, resolved);
      if (write) schedules.set(id, write);
      return copy(claim);
    },
    async listUsersDueForSync(now, request) {
      open('listUsersDueForSync');
      const nowMs = directoryInput.instant('listUsersDueForSync', now);
      const { limit, after } = directoryInput.page(request, ['number', 'string']);
      const due = [...schedules.values()].filter((schedule) => isDueForSync(schedule, nowMs));
      return page(due, (schedule) => [nextAllowedMs(schedule), schedule.userId], after, limit);
    },

    async close() {
      closed = true;
    },
  };
}
