import type { ApiToken, AudibleAccount, AudibleAccountData, PendingSignIn, ScheduleLimits, SyncSchedule, User } from '../model/index.js';
import type { Page, PageRequest } from './page.js';

/**
 * The directory port: users and what crosses owners on purpose (hashed API tokens, webhook
 * secrets, connected Audible accounts, pending sign-ins, sync schedules). Only apps use it; a
 * user's library records are the library port's (`StoragePort`, owner = user id), and deleting a
 * user here does not touch them.
 *
 * Guarantees every adapter gives:
 * - every input is validated; a bad one fails with `invalid_input` naming the field, nothing written;
 * - user names are unique (`already_exists`), compared after trimming and lower-casing;
 * - writes that hang off a user (tokens, secret, accounts, sign-ins, schedule) fail with `not_found`
 *   when the user does not exist, and `deleteUser` removes all of them;
 * - accounts use optimistic versions like the library port (`VersionConflictError`);
 * - `takePendingSignIn` and `claimSync` are atomic check-and-write: of concurrent callers exactly
 *   one takes a sign-in, and no number of concurrent claims gets past a schedule's limits;
 * - the per-request reads (`findUserByTokenHash`, `getUser`, `getUserByName`) and the scheduler's
 *   `listUsersDueForSync` are indexed lookups, never scans.
 *
 * The store never reads the clock: callers pass `now` (a Date), so tests and several servers agree.
 * Lists are pages (`Page`, `PageRequest`) with the same cursor rules as the library port's.
 */
export interface DirectoryPort {
  /** Creates a user; `already_exists` when the id or the (normalised) name is taken. Returns it as stored. */
  createUser(user: User): Promise<User>;
  getUser(userId: string): Promise<User | null>;
  /** By name, trimmed and lower-cased first. */
  getUserByName(name: string): Promise<User | null>;
  /** Users ordered by name, a page at a time. */
  listUsers(page?: PageRequest): Promise<Page<User>>;
  /**
   * Deletes the user and their tokens, webhook secret, accounts, sign-ins and schedule, and takes
   * them out of other accounts' `sharedWith`. False when there was no such user.
   */
  deleteUser(userId: string): Promise<boolean>;

  /**
   * Creates or replaces a token by id. `not_found` without the user; `already_exists` when the id
   * belongs to another user or the hash to another token.
   */
  putApiToken(token: ApiToken): Promise<ApiToken>;
  /**
   * The per-request authentication lookup (indexed by hash). Expired tokens are returned too: the
   * caller compares `token.expiresAt` with its clock.
   */
  findUserByTokenHash(hash: string): Promise<TokenOwner | null>;
  /** A user's tokens, oldest first (createdAt, then id). */
  listApiTokens(userId: string): Promise<ApiToken[]>;
  /** Deletes a token of this user; false when the user has no such token. */
  deleteApiToken(userId: string, tokenId: string): Promise<boolean>;
  /** Records a use; `lastUsedAt` never moves backwards. False when the token no longer exists. */
  touchApiToken(tokenId: string, at: Date): Promise<boolean>;

  /** Sets (or with null removes) the user's webhook signing secret, encrypted. `not_found` without the user. */
  setWebhookSecret(userId: string, ciphertext: string | null): Promise<void>;
  getWebhookSecret(userId: string): Promise<string | null>;

  /**
   * Writes an account. `expectedVersion`: undefined = create or overwrite, null = create only, a
   * number = the version read (see `ExpectedVersion`). `not_found` without the user;
   * `already_exists` when the id is another user's account. Returns it with its new version.
   */
  putAudibleAccount(account: AudibleAccountData, expectedVersion?: number | null): Promise<AudibleAccount>;
  getAudibleAccount(accountId: string): Promise<AudibleAccount | null>;
  /** Accounts the user owns, oldest first (createdAt, then id). */
  listAudibleAccounts(userId: string): Promise<AudibleAccount[]>;
  /** False when there was none; with `expectedVersion`, a stale or missing account is a `VersionConflictError`. */
  deleteAudibleAccount(accountId: string, expectedVersion?: number): Promise<boolean>;

  /** Stores a sign-in in progress; `already_exists` for a used id, `not_found` without the user. */
  putPendingSignIn(signIn: PendingSignIn): Promise<void>;
  /**
   * Returns the sign-in and deletes it in one step, so it completes at most once. Null when it does
   * not exist, was taken already, or has expired (`expiresAt <= now`; an expired one is deleted too).
   */
  takePendingSignIn(id: string, now: Date): Promise<PendingSignIn | null>;
  /** Deletes sign-ins that expired at or before `now` (housekeeping); returns how many. */
  deleteExpiredSignIns(now: Date): Promise<number>;

  getSchedule(userId: string): Promise<SyncSchedule | null>;
  /**
   * Turns automatic syncing on or off, creating the schedule (with `limits`, else the defaults)
   * when the user has none. `not_found` without the user.
   */
  setScheduleEnabled(userId: string, enabled: boolean, limits?: ScheduleLimits): Promise<SyncSchedule>;
  /**
   * The rate limit, checked and counted in one atomic step: allowed when `minIntervalMs` has passed
   * since the last allowed sync and fewer than `dailyCap` syncs were counted on `now`'s UTC day
   * (the counter starts again on a new day). An allowed claim counts the sync; a refused one
   * changes nothing. A user without a schedule gets one, disabled, with `limits` or the defaults.
   */
  claimSync(userId: string, now: Date, limits?: ScheduleLimits): Promise<SyncClaim>;
  /**
   * Enabled schedules that may sync at `now` (next allowed time reached or never synced, day budget
   * not spent), most overdue first (by next allowed time, then user id).
   */
  listUsersDueForSync(now: Date, page?: PageRequest): Promise<Page<SyncSchedule>>;

  /** Releases connections and file handles. */
  close(): Promise<void>;
}

export interface TokenOwner {
  user: User;
  token: ApiToken;
  /** The user's sealed webhook secret (null: none), read with the token so a signed request costs one lookup. */
  webhookSecret: string | null;
}

/** Why a claim was allowed or refused. */
export type SyncClaimReason = 'allowed' | 'too_soon' | 'daily_cap_reached';

export interface SyncClaim {
  canSync: boolean;
  reason: SyncClaimReason;
  /** The earliest time the next claim can succeed (after this one, when it was allowed), ISO UTC. */
  nextAllowedSync: string;
  /** Syncs left on `now`'s UTC day, after this claim. */
  syncsRemainingToday: number;
  /** The schedule after the claim. */
  schedule: SyncSchedule;
}

/** Builds a fresh directory; the conformance suite and apps use factories, never globals. */
export type DirectoryFactory = () => Promise<DirectoryPort>;
