import { SagaSyncError } from '../errors/sagasync-error.js';
import type { OwnerSettings } from '../model/owner.js';
import { OwnerSettingsSchema } from '../model/owner.js';
import type { UseCaseContext } from './context.js';

/** @deprecated The use-case context under its first name; use `UseCaseContext`. */
export type UseCaseDeps = UseCaseContext;

export { nowIso } from './context.js';

/**
 * How many times a use case re-reads and re-plans after a concurrent write before giving up. A
 * server takes a burst of webhooks for one title at once (a device reports every few seconds,
 * several devices, a sync beside them): each loser waits a random, growing while before trying
 * again, so fifty writers of one record all get through.
 */
export const MAX_ATTEMPTS = 16;
/** The first retry waits up to this long; each later one up to twice the one before, capped. */
const BACKOFF_BASE_MS = 5;
const BACKOFF_CAP_MS = 500;

export const isVersionConflict = (error: unknown): boolean => SagaSyncError.isInstance(error) && error.code === 'version_conflict';

/**
 * Runs `attempt` (read, decide, write in one batch) again from the start when its batch lost a
 * race with another writer. Versions make the loss visible; re-reading makes the retry correct.
 */
export async function retryOnConflict<T>(attempt: (attemptNumber: number) => Promise<T>, maxAttempts = MAX_ATTEMPTS): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!isVersionConflict(error) || n >= maxAttempts) throw error;
    }
    // Full jitter: writers that collided spread out instead of colliding again in step.
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (n - 1));
    await new Promise<void>((resolve) => setTimeout(resolve, Math.random() * ceiling));
  }
}

/** The owner's setting key holding `OwnerSettings` (novellasRequired, inferGaps). */
export const RULES_SETTING_KEY = 'rules';

/** The owner's rule options; a missing or malformed setting gives the defaults. */
export async function readRuleSettings(deps: UseCaseDeps): Promise<OwnerSettings> {
  const stored = await deps.storage.getSetting(deps.ownerId, RULES_SETTING_KEY);
  const parsed = OwnerSettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : OwnerSettingsSchema.parse({});
}
