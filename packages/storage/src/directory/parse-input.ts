import {
  ApiTokenSchema,
  AudibleAccountDataSchema,
  CiphertextSchema,
  DEFAULT_DAILY_SYNC_CAP,
  DEFAULT_MIN_SYNC_INTERVAL_MS,
  DirectoryIdSchema,
  PendingSignInSchema,
  SagaSyncError,
  ScheduleLimitsSchema,
  TokenHashSchema,
  UserIdSchema,
  UserNameInputSchema,
  UserSchema,
  VersionSchema,
  type ApiToken,
  type AudibleAccount,
  type PageRequest,
  type PendingSignIn,
  type User,
} from '@sagasync/core';
import * as z from 'zod';
import { parsePageRequest, type ParsedPageRequest } from '../paging/cursor.js';

/** An account as validated for a put: `sharedWith` filled in, no version yet. */
export type AudibleAccountRecord = Omit<AudibleAccount, 'version'>;

/** Limits with the defaults filled in. */
export interface ResolvedScheduleLimits {
  dailyCap: number;
  minIntervalMs: number;
  /** The limits the caller passed (the host's as configured now), without the defaults. */
  given: { dailyCap?: number; minIntervalMs?: number };
}

// Names are normalised on the way in, so uniqueness and lookups agree on `Alice` and `alice`.
const NewUserSchema = UserSchema.extend({ name: UserNameInputSchema });
const NowSchema = z.date({ error: 'expected a valid Date' }).refine((date) => !Number.isNaN(date.getTime()), 'expected a valid Date');
const PutVersionSchema = VersionSchema.nullable().optional();
const DeleteVersionSchema = VersionSchema.optional();

/**
 * Checks one argument of a directory call. Parsing copies objects, so a caller that mutates what
 * it passed cannot reach into the store. The error names the call and the field, never the value:
 * tokens and ciphertexts pass through here.
 */
function check<T>(schema: z.ZodType<T>, value: unknown, operation: string, field: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const location = [field, ...(issue?.path ?? []).map(String)].join('.');
  throw new SagaSyncError('invalid_input', `${operation}: ${location} is invalid: ${issue?.message ?? 'invalid value'}`, { details: { location } });
}

/**
 * The argument checks every directory adapter runs before touching its backend, so all adapters
 * accept and refuse the same inputs with the same messages. `operation` is the port method.
 */
export const directoryInput = {
  user: (value: User): User => check(NewUserSchema, value, 'createUser', 'user'),
  userId: (operation: string, value: string, field = 'userId'): string => check(UserIdSchema, value, operation, field),
  /** Trimmed and lower-cased, as stored. */
  userName: (operation: string, value: string): string => check(UserNameInputSchema, value, operation, 'name'),
  id: (operation: string, value: string, field: string): string => check(DirectoryIdSchema, value, operation, field),
  apiToken: (value: ApiToken): ApiToken => check(ApiTokenSchema, value, 'putApiToken', 'token'),
  tokenHash: (operation: string, value: string): string => check(TokenHashSchema, value, operation, 'hash'),
  ciphertextOrNull: (operation: string, value: string | null): string | null => check(CiphertextSchema.nullable(), value, operation, 'ciphertext'),
  audibleAccount: (value: unknown): AudibleAccountRecord => check(AudibleAccountDataSchema, value, 'putAudibleAccount', 'account'),
  putVersion: (operation: string, value: number | null | undefined): number | null | undefined => check(PutVersionSchema, value, operation, 'expectedVersion'),
  deleteVersion: (operation: string, value: number | undefined): number | undefined => check(DeleteVersionSchema, value, operation, 'expectedVersion'),
  pendingSignIn: (value: PendingSignIn): PendingSignIn => check(PendingSignInSchema, value, 'putPendingSignIn', 'signIn'),
  enabled: (operation: string, value: boolean): boolean => check(z.boolean(), value, operation, 'enabled'),
  /** A Date as epoch milliseconds. */
  instant: (operation: string, value: Date, field = 'now'): number => check(NowSchema, value, operation, field).getTime(),
  limits: (operation: string, value: unknown): ResolvedScheduleLimits => {
    const limits = check(ScheduleLimitsSchema.optional(), value, operation, 'limits');
    return { dailyCap: limits?.dailyCap ?? DEFAULT_DAILY_SYNC_CAP, minIntervalMs: limits?.minIntervalMs ?? DEFAULT_MIN_SYNC_INTERVAL_MS, given: { ...limits } };
  },
  /**
   * A page request; `shape` gives the type of each part of the list's sort key (users: name; due
   * schedules: next allowed ms, user id), so a cursor from another list is refused.
   */
  page: (request: PageRequest | undefined, shape: readonly ('string' | 'number')[]): ParsedPageRequest => {
    const parsed = parsePageRequest(request, shape.length);
    if (parsed.after && !parsed.after.every((part, i) => typeof part === shape[i])) {
      throw new SagaSyncError('invalid_input', 'the page cursor is not valid for this list', { details: { location: 'cursor' } });
    }
    return parsed;
  },
};
