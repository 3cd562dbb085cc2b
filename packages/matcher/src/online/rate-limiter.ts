/**
 * Spaces requests at least `minIntervalMs` apart, one at a time: Open Library asks API users to
 * stay around one request a second. `now` and `sleep` are injectable so tests need not wait.
 */
export interface RateLimiter {
  /** Resolves when the next request may start; callers await it before each request. */
  wait(): Promise<void>;
}

export interface RateLimiterOptions {
  /** Default 1000 (one request a second). */
  minIntervalMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const interval = options.minIntervalMs ?? 1000;
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let next = -Infinity;
  // A chain, so concurrent callers also leave one interval between them.
  let queue: Promise<void> = Promise.resolve();
  return {
    wait() {
      const turn = queue.then(async () => {
        const at = now();
        if (at < next) await sleep(next - at);
        next = Math.max(at, next) + interval;
      });
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}
