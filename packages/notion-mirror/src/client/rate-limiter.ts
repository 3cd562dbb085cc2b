import type { Clock } from './clock.js';

export interface RateLimiterOptions {
  /** Average requests a second (Notion: 3). */
  requestsPerSecond: number;
  /** Requests allowed back to back before spacing starts; default 1 (even spacing). */
  burst?: number;
  clock: Clock;
}

export interface RateLimiter {
  /** Resolves when the next request may be sent; callers are served in order. */
  acquire(): Promise<void>;
  /** Stops every caller until `ms` from now (a Retry-After), on top of the normal spacing. */
  pauseFor(ms: number): void;
}

/**
 * One token bucket shared by every request of a connection, so retries, reads and writes all
 * count against the same budget and a Retry-After pauses all of them.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { clock } = options;
  const rate = options.requestsPerSecond;
  if (!(rate > 0)) throw new RangeError('requestsPerSecond must be positive');
  const burst = Math.max(1, options.burst ?? 1);
  let tokens = burst;
  let last = clock.now();
  let pausedUntil = 0;
  let queue: Promise<void> = Promise.resolve();

  const take = async (): Promise<void> => {
    for (;;) {
      const now = clock.now();
      if (pausedUntil > now) {
        await clock.sleep(pausedUntil - now);
        continue;
      }
      tokens = Math.min(burst, tokens + ((now - last) / 1000) * rate);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await clock.sleep(Math.ceil(((1 - tokens) / rate) * 1000));
    }
  };

  return {
    acquire() {
      const turn = queue.then(take);
      queue = turn.catch(() => undefined);
      return turn;
    },
    pauseFor(ms) {
      pausedUntil = Math.max(pausedUntil, clock.now() + ms);
      // After a pause the bucket starts empty-ish: no burst straight after a 429.
      tokens = Math.min(tokens, 1);
    },
  };
}
