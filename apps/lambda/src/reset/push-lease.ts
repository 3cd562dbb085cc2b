import { SagaSyncError, type UseCaseContext } from '@sagasync/core';
import { PUSH_LEASE, withPushLease } from '@sagasync/notion-mirror';

/**
 * Runs the reset holding the owner's Notion push lease, the one a push takes (`withPushLease`), so
 * no push (a scheduled one, another terminal) mirrors pages while their records are being trashed
 * and deleted: it would create pages no reset archives. A push already running is waited for up
 * to `waitMs`; then the reset stops with `store_locked`, having changed nothing.
 */
export async function holdingPushLease<T>(ctx: UseCaseContext, waitMs: number, work: () => Promise<T>): Promise<T> {
  try {
    return await withPushLease(ctx, waitMs, work);
  } catch (error) {
    // Only the lease's own refusal is reworded: the reset's reader needs to know to run it again.
    if (SagaSyncError.isInstance(error) && error.code === 'store_locked' && error.details.reason === 'notion_push_running' && error.details.location === PUSH_LEASE) {
      throw new SagaSyncError('store_locked', 'a Notion push is running for this library; the reset changed nothing (run it again once the push is done)', {
        details: { location: PUSH_LEASE, reason: 'notion_push_running' },
      });
    }
    throw error;
  }
}
