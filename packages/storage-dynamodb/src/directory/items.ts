import {
  ApiTokenSchema,
  AudibleAccountSchema,
  PendingSignInSchema,
  SagaSyncError,
  SyncScheduleSchema,
  UserSchema,
  type ApiToken,
  type AudibleAccount,
  type PendingSignIn,
  type SyncSchedule,
  type User,
} from '@sagasync/core';
import { nextAllowedMs } from '@sagasync/storage';
import { compact, type Item } from './directory-table.js';
import { dueShardKey, dueShardOf, keys, SIGN_INS_BY_EXPIRY, timeKey, USERS_BY_NAME } from './keys.js';

/**
 * Records to items and back. An item holds the record's fields as they are (plus keys, index keys
 * and the numbers the indexes and conditions compare); reading one checks it against core's
 * schema, which also drops the key attributes, so an item edited by hand fails with its key.
 */

export const items = {
  user: (user: User): Item => ({ ...keys.user(user.id), id: user.id, name: user.name, createdAt: user.createdAt }),
  /** The name's claim holds a copy of the user (users never change), so `getUserByName` and `listUsers` read no more. */
  nameClaim: (user: User): Item => ({ ...keys.name(user.name), id: user.id, name: user.name, createdAt: user.createdAt, gsi1pk: USERS_BY_NAME, gsi1sk: user.name }),

  token: (token: ApiToken): Item =>
    compact({
      ...keys.token(token.id),
      ...token,
      createdMs: Date.parse(token.createdAt),
      // Compared by touchApiToken's condition, so the last use only moves forwards.
      lastUsedMs: token.lastUsedAt === null ? undefined : Date.parse(token.lastUsedAt),
    }),
  /** The hash rides along so deleting the user deletes the hash claim without reading the token. */
  tokenRef: (token: ApiToken): Item => ({ ...keys.tokenRef(token.userId, token.id), tokenId: token.id, hash: token.hash }),
  hashClaim: (token: ApiToken): Item => ({ ...keys.hash(token.hash), tokenId: token.id, userId: token.userId }),

  account: (account: AudibleAccount): Item => ({ ...keys.account(account.id), ...account, createdMs: Date.parse(account.createdAt) }),
  accountRef: (account: AudibleAccount): Item => ({ ...keys.accountRef(account.userId, account.id), accountId: account.id }),
  shareRef: (sharedUserId: string, account: AudibleAccount): Item => ({ ...keys.shareRef(sharedUserId, account.id), accountId: account.id, ownerId: account.userId }),

  signIn: (signIn: PendingSignIn): Item => {
    const expiresMs = Date.parse(signIn.expiresAt);
    return { ...keys.signIn(signIn.id), ...signIn, expiresMs, ttl: ttlOf(expiresMs), gsi1pk: SIGN_INS_BY_EXPIRY, gsi1sk: timeKey(expiresMs, signIn.id) };
  },
  signInRef: (signIn: PendingSignIn): Item => ({ ...keys.signInRef(signIn.userId, signIn.id), signInId: signIn.id, ttl: ttlOf(Date.parse(signIn.expiresAt)) }),

  /** Only an enabled schedule is in the due index: the index is sparse, so the scheduler reads no disabled ones. */
  schedule: (schedule: SyncSchedule): Item => ({
    ...keys.schedule(schedule.userId),
    ...schedule,
    ...(schedule.enabled ? { gsi1pk: dueShardKey(dueShardOf(schedule.userId)), gsi1sk: timeKey(nextAllowedMs(schedule), schedule.userId) } : {}),
  }),
};

/**
 * DynamoDB's time to live is epoch seconds; rounded up, so DynamoDB never deletes a sign-in before
 * it expires. TTL deletion runs late (up to days), so reads still compare `expiresAt` themselves.
 */
export function ttlOf(expiresMs: number): number {
  return Math.ceil(expiresMs / 1000);
}

interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** Reading items back, each checked; `tableName` names the table in the error. */
export function createItemReader(tableName: string) {
  function invalid(kind: string, item: Item, problem: string): SagaSyncError {
    return new SagaSyncError('storage_failure', `the DynamoDB table ${tableName} holds an invalid ${kind} item (${String(item.pk)}: ${problem})`, {
      details: { location: `${tableName}: ${String(item.pk)} ${String(item.sk)}` },
    });
  }

  function checked<T>(schema: Schema<T>, kind: string) {
    return (item: Item): T => {
      const parsed = schema.safeParse(item);
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0];
      throw invalid(kind, item, `${issue?.path.map(String).join('.') || 'item'}: ${issue?.message ?? 'invalid'}`);
    };
  }

  function strings<K extends string>(kind: string, names: readonly K[]) {
    return (item: Item): Record<K, string> => {
      for (const name of names) if (typeof item[name] !== 'string') throw invalid(kind, item, `${name} is not a string`);
      return item as Record<K, string>;
    };
  }

  return {
    user: checked(UserSchema, 'user'),
    token: checked(ApiTokenSchema, 'api token'),
    account: checked(AudibleAccountSchema, 'audible account'),
    signIn: checked(PendingSignInSchema, 'pending sign-in'),
    schedule: checked(SyncScheduleSchema, 'sync schedule'),
    hashClaim: strings('token hash claim', ['tokenId', 'userId']),
    tokenRef: strings('api token ref', ['tokenId', 'hash']),
  };
}

export type ItemReader = ReturnType<typeof createItemReader>;
