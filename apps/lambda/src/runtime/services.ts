import type { ApiServices } from '@sagasync/api';
import type { User } from '@sagasync/core';
import { audibleEndpoints, createUserServices, type SyncLimits } from '@sagasync/host';
import type { LambdaRuntime } from './context.js';

/** The auto-tracking design's limits: hourly syncs, at least 15 minutes apart, 600 a day. */
export const LAMBDA_SYNC_LIMITS: SyncLimits = {
  intervalMs: 60 * 60_000,
  minIntervalMs: 15 * 60_000,
  dailyCap: 600,
  backoffMs: 5 * 60_000,
  backoffMaxMs: 24 * 60 * 60_000,
};

/** Notion allows an integration about 3 requests a second. */
const NOTION_REQUESTS_PER_SECOND = 3;

/**
 * The services of the API's routes on AWS, the same as the server's (`@sagasync/host`): Audible
 * sign-in, sync and settings, matching, and Notion with the user's stored token or else the
 * deployment's own (Secrets Manager).
 */
export function lambdaServices(runtime: LambdaRuntime, shutdown: AbortSignal = new AbortController().signal): (user: User) => ApiServices {
  return createUserServices({
    audible: {
      directory: runtime.directory,
      sealer: runtime.sealer,
      endpoints: audibleEndpoints({ audibleApiUrl: runtime.env.SAGASYNC_AUDIBLE_API_URL ?? null, amazonApiUrl: runtime.env.SAGASYNC_AMAZON_API_URL ?? null }),
      limits: LAMBDA_SYNC_LIMITS,
      signInTtlMs: 15 * 60_000,
      shutdown,
    },
    notion: {
      sealer: runtime.sealer,
      requestsPerSecond: NOTION_REQUESTS_PER_SECOND,
      fallbackToken: runtime.secrets.notionToken,
      ...(runtime.env.SAGASYNC_NOTION_API_URL ? { baseUrl: runtime.env.SAGASYNC_NOTION_API_URL } : {}),
    },
  });
}
