import { randomUUID } from 'node:crypto';
import { logOf, SagaSyncError, type UseCaseContext } from '@sagasync/core';
import { PUSH_LEASE, PUSH_LEASE_TTL_MS } from '@sagasync/notion-mirror';

const RENEW_EVERY_MS = PUSH_LEASE_TTL_MS / 3;
const POLL_MS = 250;

/**
 * Runs the reset holding the owner's Notion push lease, the one a push takes, so no push (a
 * scheduled one, another terminal) mirrors pages while their records are being trashed and
 * deleted: it would create pages no reset archives. A push already running is waited for up to
 * `waitMs`; then the reset stops with `store_locked`, having changed nothing. The lease is renewed
 * while the reset runs and released after it; a reset that is killed holds it for at most
 * PUSH_LEASE_TTL_MS.
 */
export async function holdingPushLease<T>(ctx: UseCaseContext, waitMs: number, work: () => Promise<T>): Promise<T> {
  const { storage, ownerId } = ctx;
  const holder = `reset-${randomUUID()}`;
  const request = () => ({ name: PUSH_LEASE, holder, ttlMs: PUSH_LEASE_TTL_MS, now: new Date() });
  const giveUpAt = Date.now() + Math.max(0, waitMs);
  let lease = await storage.acquireLease(ownerId, request());
  while (!lease) {
    if (Date.now() >= giveUpAt) {
      throw new SagaSyncError('store_locked', 'a Notion push is running for this library; the reset changed nothing (run it again once the push is done)', {
        details: { location: PUSH_LEASE, reason: 'notion_push_running' },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    lease = await storage.acquireLease(ownerId, request());
  }
  const log = logOf(ctx);
  const renewal = setInterval(() => {
    storage.renewLease(ownerId, request()).then(
      (renewed) => {
        if (!renewed) log.error('reset: the Notion push lease was lost (the process stalled longer than its lease)', { holder });
      },
      (error: unknown) => log.warn('reset: could not renew the Notion push lease', { error: error instanceof Error ? error.message : String(error) }),
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
