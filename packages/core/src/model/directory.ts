import * as z from 'zod';
import { IsoDateTimeSchema, OwnerIdSchema, VersionSchema } from './primitives.js';

/**
 * The directory: users and what crosses owners on purpose (API tokens, webhook secrets, connected
 * Audible accounts, pending sign-ins, sync schedules). Only apps use it; the library records of a
 * user are kept by the library port under the user's id as owner.
 *
 * Secrets are stored as ciphertext made outside the store (like `CredentialBlob`), and API tokens
 * as their SHA-256 hash: the directory never sees a plaintext secret or token.
 */

/** A user's id is the owner id of their library records, so it follows the owner id rules. */
export const UserIdSchema = OwnerIdSchema;

/** Ids of tokens, accounts and sign-ins: chosen by the app (random UUIDs), unique in the directory. */
export const DirectoryIdSchema = z.string().min(1).max(200);

/** A stored user name: 1-64 of `a-z 0-9 . _ -`. Names are unique. */
export const UserNameSchema = z
  .string()
  .min(1, 'a user name has 1 to 64 characters')
  .max(64, 'a user name has 1 to 64 characters')
  .regex(/^[a-z0-9._-]+$/, 'a user name is made of lower-case letters, digits, ".", "_" and "-"');

/** A user name as typed: trimmed and lower-cased, then checked, so `Alice` and `alice` are one name. */
export const UserNameInputSchema = z.string().trim().toLowerCase().pipe(UserNameSchema);

/** Opaque ciphertext (base64 or the vault's dotted format), encrypted outside the store. */
export const CiphertextSchema = z.string().min(1, 'ciphertext must not be empty');

/** Hex SHA-256 of an API token, as `createHash('sha256').update(token).digest('hex')` gives it. */
export const TokenHashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'expected the hex SHA-256 of the token: 64 lower-case hex digits');

/** Audible marketplace code (`us`, `uk`, `de`, ...), as `@sagasync/audible-client` spells it. */
export const AudibleLocaleSchema = z.string().regex(/^[a-z]{2}$/, 'expected a two-letter Audible marketplace code such as us or uk');

/** UTC calendar day `YYYY-MM-DD`. */
export const UtcDaySchema = z.iso.date();

export const UserSchema = z.object({
  id: UserIdSchema,
  name: UserNameSchema,
  createdAt: IsoDateTimeSchema,
});
export type User = z.infer<typeof UserSchema>;

export const ApiTokenSchema = z.object({
  id: DirectoryIdSchema,
  userId: UserIdSchema,
  hash: TokenHashSchema,
  /** What the user called it ("laptop CLI"); may be empty. */
  label: z.string().max(200),
  createdAt: IsoDateTimeSchema,
  lastUsedAt: IsoDateTimeSchema.nullable(),
  /** null: never expires. The app compares it with its clock on each request. */
  expiresAt: IsoDateTimeSchema.nullable(),
});
export type ApiToken = z.infer<typeof ApiTokenSchema>;

const sharedWithSchema = z
  .array(UserIdSchema)
  .refine((ids) => new Set(ids).size === ids.length, 'sharedWith lists each user once')
  .default([]);

/**
 * A connected Audible account. `userId` owns it; `sharedWith` names other users of a household who
 * may use it (filled in by the household feature; empty until then).
 */
export const AudibleAccountSchema = z.object({
  id: DirectoryIdSchema,
  userId: UserIdSchema,
  sharedWith: sharedWithSchema,
  locale: AudibleLocaleSchema,
  /** Audible's marketplace id, e.g. `AF2M0KC94RCEA`. */
  marketplace: z.string().min(1).max(64),
  label: z.string().max(200),
  /** The account's tokens, encrypted. */
  ciphertext: CiphertextSchema,
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
  version: VersionSchema,
});
export type AudibleAccount = z.infer<typeof AudibleAccountSchema>;

/** An account as written: the version is the store's; `sharedWith` may be left out (empty). */
export const AudibleAccountDataSchema = AudibleAccountSchema.omit({ version: true });
export type AudibleAccountData = z.input<typeof AudibleAccountDataSchema>;

/** An Audible sign-in begun and not yet completed: the PKCE verifier and state, encrypted. */
export const PendingSignInSchema = z.object({
  id: DirectoryIdSchema,
  userId: UserIdSchema,
  locale: AudibleLocaleSchema,
  ciphertext: CiphertextSchema,
  createdAt: IsoDateTimeSchema,
  expiresAt: IsoDateTimeSchema,
});
export type PendingSignIn = z.infer<typeof PendingSignInSchema>;

export const DEFAULT_DAILY_SYNC_CAP = 600;
export const DEFAULT_MIN_SYNC_INTERVAL_MS = 15 * 60 * 1000;

/**
 * A user's sync budget, kept by the directory so the limit holds across processes: at most
 * `dailyCap` syncs per UTC day and `minIntervalMs` between two. `enabled` means the scheduler
 * syncs the user automatically; manual syncs are counted against the same budget either way.
 */
const DailyCapSchema = z.number().int().positive();
const MinIntervalSchema = z.number().int().nonnegative();

export const SyncScheduleSchema = z.object({
  userId: UserIdSchema,
  enabled: z.boolean(),
  nextAllowedSyncAt: IsoDateTimeSchema.nullable(),
  lastSyncAt: IsoDateTimeSchema.nullable(),
  /** Syncs counted on `day`; a claim on a later UTC day starts again from 0. */
  syncsToday: z.number().int().nonnegative(),
  day: UtcDaySchema,
  dailyCap: DailyCapSchema.default(DEFAULT_DAILY_SYNC_CAP),
  minIntervalMs: MinIntervalSchema.default(DEFAULT_MIN_SYNC_INTERVAL_MS),
  version: VersionSchema,
});
export type SyncSchedule = z.infer<typeof SyncScheduleSchema>;

/** Limits for a schedule a call creates (absent: the defaults); an existing schedule keeps its own. */
export const ScheduleLimitsSchema = z.object({
  dailyCap: DailyCapSchema.optional(),
  minIntervalMs: MinIntervalSchema.optional(),
});
export type ScheduleLimits = z.infer<typeof ScheduleLimitsSchema>;
