import { AudibleLocaleSchema } from '@sagasync/core';
import * as z from 'zod';

/**
 * What the auto-tracking routes take and answer: the Audible sign-in (started, then finished with
 * the pasted redirect URL) and the owner's sync settings. Pure schemas, so the services' types in
 * `ApiServices` can name them without importing the routes.
 */

/**
 * `POST /api/audible/auth`'s body. Without `redirectUrl` it starts a sign-in (on `locale`,
 * default `us`); with `signInId` and `redirectUrl` (the address the browser ended on) it finishes
 * that sign-in. One route for both, as the auto-tracking design has it.
 */
export const AudibleSignInRequestSchema = z
  .object({
    /** The Audible marketplace: us, uk, de, fr, ca, it, au, in, jp, es, br. */
    locale: AudibleLocaleSchema.optional(),
    /** A pre-Amazon Audible username account (us, uk, de only). */
    withUsername: z.boolean().optional(),
    /** The id the first call answered with. */
    signInId: z.string().min(1).max(100).optional(),
    /** The whole address of the page the browser ended on (it contains `/ap/maplanding`). */
    redirectUrl: z.string().min(1).max(20_000).optional(),
  })
  .strict()
  .superRefine((body, issues) => {
    if (body.redirectUrl !== undefined && body.signInId === undefined) {
      issues.addIssue({ code: 'custom', path: ['signInId'], message: 'finishing a sign-in needs the signInId the first call answered with' });
    }
    if (body.signInId !== undefined && body.redirectUrl === undefined) {
      issues.addIssue({ code: 'custom', path: ['redirectUrl'], message: 'paste the address the browser ended on (it contains /ap/maplanding)' });
    }
    if (body.redirectUrl !== undefined && (body.locale !== undefined || body.withUsername !== undefined)) {
      issues.addIssue({ code: 'custom', path: [body.locale !== undefined ? 'locale' : 'withUsername'], message: 'the marketplace is chosen when the sign-in starts, not when it finishes' });
    }
  });
export type AudibleSignInRequest = z.infer<typeof AudibleSignInRequestSchema>;

export interface AudibleSignInStart {
  locale: string;
  withUsername: boolean;
}

export interface AudibleSignInFinish {
  signInId: string;
  redirectUrl: string;
}

/** A connected Audible account, as the owner may see it: never its tokens or keys. */
export const AudibleAccountJsonSchema = z.object({
  id: z.string(),
  locale: z.string(),
  marketplace: z.string(),
  label: z.string(),
  connectedAt: z.string(),
  updatedAt: z.string(),
});
export type AudibleAccountJson = z.infer<typeof AudibleAccountJsonSchema>;

export const AudibleSignInPendingSchema = z.object({
  state: z.literal('pending'),
  /** Send it back with `redirectUrl` to finish. */
  signInId: z.string(),
  /** Open this in a browser and sign in to Audible. */
  url: z.string(),
  locale: z.string(),
  /** The sign-in must be finished before this. */
  expiresAt: z.string(),
  instructions: z.string(),
});

export const AudibleSignInConnectedSchema = z.object({
  state: z.literal('connected'),
  account: AudibleAccountJsonSchema,
  /** True when it replaced the owner's earlier account on the same marketplace. */
  replaced: z.boolean(),
  /** Whether automatic syncs are on (a first sign-in turns them on). */
  sync: z.object({ enabled: z.boolean() }),
});

export const AudibleSignInAnswerSchema = z.discriminatedUnion('state', [AudibleSignInPendingSchema, AudibleSignInConnectedSchema]);
export type AudibleSignInAnswer = z.infer<typeof AudibleSignInAnswerSchema>;

/**
 * How the owner's automatic syncs are doing. `backing_off`: the last ones failed and the next is
 * held back until `retryAt`; `revoked` / `signed_out`: nothing runs until the owner signs in again.
 */
export const AudibleSyncStateSchema = z.object({
  status: z.enum(['never_synced', 'ok', 'backing_off', 'revoked', 'signed_out']),
  message: z.string(),
  /** Failures in a row. */
  failures: z.number().int().nonnegative(),
  lastSuccessAt: z.string().nullable(),
  lastFailureAt: z.string().nullable(),
  /** When automatic syncs try again; null when they wait for a sign-in (or nothing failed). */
  retryAt: z.string().nullable(),
});
export type AudibleSyncState = z.infer<typeof AudibleSyncStateSchema>;

/** `GET /api/audible/config`: the owner's sync settings, within the host's limits. */
export const AudibleConfigSchema = z.object({
  /** Automatic (scheduled) syncs on or off; a manual sync runs either way. */
  enabled: z.boolean(),
  /** The marketplace synced (its account); null before any sign-in. */
  locale: z.string().nullable(),
  marketplace: z.string().nullable(),
  /** How often the automatic sync runs. */
  syncIntervalMs: z.number().int(),
  /** Syncs a UTC day at most, manual ones included. */
  dailyCap: z.number().int(),
  /** What the host allows: the interval is at least `minSyncIntervalMs`, the cap at most `maxDailyCap`. */
  limits: z.object({ minSyncIntervalMs: z.number().int(), maxDailyCap: z.number().int(), defaultSyncIntervalMs: z.number().int() }),
  schedule: z.object({ lastSyncAt: z.string().nullable(), nextAllowedSyncAt: z.string().nullable(), syncsToday: z.number().int() }),
  accounts: z.array(AudibleAccountJsonSchema),
  sync: AudibleSyncStateSchema,
});
export type AudibleConfig = z.infer<typeof AudibleConfigSchema>;

/** `PUT /api/audible/config`: only the fields sent change; null puts a limit back to the host's default. */
export const AudibleConfigUpdateSchema = z
  .object({
    enabled: z.boolean().optional(),
    locale: AudibleLocaleSchema.optional(),
    syncIntervalMs: z.number().int().positive().nullable().optional(),
    dailyCap: z.number().int().positive().nullable().optional(),
  })
  .strict();
export type AudibleConfigUpdate = z.infer<typeof AudibleConfigUpdateSchema>;
