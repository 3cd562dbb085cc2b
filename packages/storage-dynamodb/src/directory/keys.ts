/**
 * Where every directory item lives. Each `pk` and each index partition key starts with `D#` (the
 * library port's start with `O#`), so the two ports share the table and never meet in a key.
 *
 * - A user's partition `D#U#<userId>` holds the user item (`USER`), the schedule (`SCHEDULE`) and
 *   one small ref per thing that hangs off the user (`TOKEN#`, `ACCOUNT#`, `SIGNIN#`, and
 *   `SHARED#` for accounts of others shared with them): `deleteUser` finds all of it with one
 *   strongly consistent Query.
 * - Records reached by their own id (tokens, accounts, sign-ins) live at `D#<KIND>#<id>`: that
 *   item is also the claim that keeps the id unique. Claims of a user name and a token hash are
 *   items of their own (`D#NAME#`, `D#HASH#`), written with `attribute_not_exists` in the same
 *   transaction as what they claim.
 *
 * Ids are the rest of the key after a fixed prefix, so any character in an id is safe.
 */

export interface ItemKey {
  pk: string;
  sk: string;
}

export const USER_SK = 'USER';
export const SCHEDULE_SK = 'SCHEDULE';

/** Sort-key prefixes of the refs in a user's partition. */
export const REF = {
  token: 'TOKEN#',
  account: 'ACCOUNT#',
  shared: 'SHARED#',
  signIn: 'SIGNIN#',
} as const;

const userPartition = (userId: string) => `D#U#${userId}`;

export const keys = {
  userPartition,
  user: (userId: string): ItemKey => ({ pk: userPartition(userId), sk: USER_SK }),
  schedule: (userId: string): ItemKey => ({ pk: userPartition(userId), sk: SCHEDULE_SK }),
  name: (name: string): ItemKey => ({ pk: `D#NAME#${name}`, sk: 'NAME' }),
  token: (tokenId: string): ItemKey => ({ pk: `D#TOKEN#${tokenId}`, sk: 'TOKEN' }),
  tokenRef: (userId: string, tokenId: string): ItemKey => ({ pk: userPartition(userId), sk: `${REF.token}${tokenId}` }),
  hash: (hash: string): ItemKey => ({ pk: `D#HASH#${hash}`, sk: 'HASH' }),
  account: (accountId: string): ItemKey => ({ pk: `D#ACCOUNT#${accountId}`, sk: 'ACCOUNT' }),
  accountRef: (userId: string, accountId: string): ItemKey => ({ pk: userPartition(userId), sk: `${REF.account}${accountId}` }),
  /** In the partition of the user the account is shared with, so deleting that user finds the account. */
  shareRef: (sharedUserId: string, accountId: string): ItemKey => ({ pk: userPartition(sharedUserId), sk: `${REF.shared}${accountId}` }),
  signIn: (signInId: string): ItemKey => ({ pk: `D#SIGNIN#${signInId}`, sk: 'SIGNIN' }),
  signInRef: (userId: string, signInId: string): ItemKey => ({ pk: userPartition(userId), sk: `${REF.signIn}${signInId}` }),
};

/** The id after a ref's sort-key prefix. */
export function refId(sk: string, prefix: string): string {
  return sk.slice(prefix.length);
}

/**
 * Partitions of the overloaded index `gsi1` the directory writes. Users and sign-ins are written
 * rarely (a sign-up, an Audible connect), so one partition each is far below a partition's write
 * limit; schedules change on every sync, so the due index is spread over `DUE_SHARDS` partitions.
 */
export const INDEX_NAME = 'gsi1';
export const USERS_BY_NAME = 'D#USERS';
export const SIGN_INS_BY_EXPIRY = 'D#SIGNIN-EXPIRY';

/**
 * Schedule partitions of the due index. Every claim of an enabled schedule moves its index entry
 * (a delete and a put in the index), and one partition takes about 1,000 writes a second: four
 * shards leave room for millions of users syncing every 15 minutes, and cost a page of
 * `listUsersDueForSync` four small Queries, merged in order. Changing it needs every schedule
 * rewritten, so it is a constant, not an option.
 */
export const DUE_SHARDS = 4;

export function dueShardKey(shard: number): string {
  return `D#DUE#${shard}`;
}

/** The shard of a user's schedule: FNV-1a of the id, stable across processes and versions. */
export function dueShardOf(userId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % DUE_SHARDS;
}

/** A Date's milliseconds span ±8.64e15: 16 digits. */
const MAX_MS = 8_640_000_000_000_000;

/**
 * Epoch milliseconds as a string that sorts like the number: fixed width, and instants before 1970
 * under `N` (counted up from the earliest Date) so they sort before `P`.
 */
export function sortableMs(ms: number): string {
  return ms < 0 ? `N${String(MAX_MS + ms).padStart(16, '0')}` : `P${String(ms).padStart(16, '0')}`;
}

/**
 * A sort key of the due and expiry indexes: the time, then the id. The time has a fixed width, so
 * keys order by time and then by id (in UTF-8 byte order, as DynamoDB compares strings).
 */
export function timeKey(ms: number, id: string): string {
  return `${sortableMs(ms)}#${id}`;
}

/** Below every `timeKey` of an instant after `ms` and above every one at or before it. */
export function timeKeyAfter(ms: number): string {
  return sortableMs(ms + 1);
}
