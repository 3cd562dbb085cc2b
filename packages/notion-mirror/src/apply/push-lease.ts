import { randomUUID } from 'node:crypto';
import { logOf, SagaSyncError, type UseCaseContext } from '@sagasync/core';

/** The lease that keeps one push per owner at a time (two at once duplicated every page). */
export const PUSH_LEASE = 'notion-push';
/** Short, and renewed while the push runs, so a push that was killed blocks the next one briefly. */
export const PUSH_LEASE_TTL_MS = 30_000;
const RENEW_EVERY_MS = PUSH_LEASE_TTL_MS / 3;
const POLL_MS = 250;

/**
 * Runs `work` holding the owner's push lease. When another push holds it, waits up to `waitMs`
 * (polling), then fails with `store_locked` (reason `notion_push_running`) having written nothing.
 * The lease is renewed while `work` runs and released after it, whatever happens. Whatever must
 * not overlap a push (a reset) holds it the same way.
 */
export async function withPushLease<T>(deps: UseCaseContext, waitMs: number, work: () => Promise<T>): Promise<T> {
  const { storage, ownerId } = deps;
  const holder = randomUUID();
  const request = () => ({ name: PUSH_LEASE, holder, ttlMs: PUSH_LEASE_TTL_MS, now: new Date() });
  const giveUpAt = Date.now() + Math.max(0, waitMs);
  let lease = await storage.acquireLease(ownerId, request());
  while (!lease) {
    if (Date.now() >= giveUpAt) {
      throw new SagaSyncError('store_locked', 'another Notion push is running for this library; nothing was written', {
        details: { location: PUSH_LEASE, reason: 'notion_push_running' },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    lease = await storage.acquireLease(ownerId, request());
  }
  const log = logOf(deps);
  const renewal = setInterval(() => {
    storage.renewLease(ownerId, request()).then(
      (renewed) => {
        if (!renewed) log.error('notion push: the push lease was lost (the process stalled longer than its lease)', { holder });
      },
      (error: unknown) => log.warn('notion push: could not renew the push lease', { error: error instanceof Error ? error.message : String(error) }),
    );
  }, RENEW_EVERY_MS);
  renewal.unref();
  try {
    return await work();
  } finally {
    clearInterval(renewal);
    await storage.releaseLease(ownerId, PUSH_LEASE, holder).catch(() => false);
  }
}
