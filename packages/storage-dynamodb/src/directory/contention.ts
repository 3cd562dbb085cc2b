import { SagaSyncError } from '@sagasync/core';
import { backoffMs, sleep } from '../client/retry.js';

/** Returned by an attempt that lost a race (a condition failed, a transaction collided): read again and decide again. */
export const AGAIN: unique symbol = Symbol('again');
export type Attempt<T> = () => Promise<T | typeof AGAIN>;

/**
 * Optimistic writes: each attempt reads, decides with the shared rules and writes with a condition
 * that the state it read is still there. An attempt that lost answers `AGAIN` and the next one
 * starts from a fresh read, after a short jittered wait so colliding writers spread out. Every lost
 * attempt means another writer won, so this ends; the cap only bounds a pathological storm.
 */
export async function untilSettled<T>(operation: string, attempt: Attempt<T>, maxAttempts = 60): Promise<T> {
  for (let i = 0; i < maxAttempts; i++) {
    const result = await attempt();
    if (result !== AGAIN) return result;
    await sleep(backoffMs(Math.min(i, 5), { baseMs: 10 }));
  }
  throw new SagaSyncError('version_conflict', `${operation}: concurrent writes kept conflicting; read again and retry`, { details: { operation } });
}
