import { describe, expect, it } from 'vitest';
import { createVirtualClock } from './clock.js';
import { createRateLimiter } from './rate-limiter.js';

describe('createRateLimiter', () => {
  it('spaces requests evenly at the configured rate', async () => {
    const clock = createVirtualClock(1_000);
    const limiter = createRateLimiter({ requestsPerSecond: 3, clock });
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      await limiter.acquire();
      times.push(clock.now());
    }
    expect(times[0]).toBe(1_000);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps.every((g) => g >= 333 && g <= 334)).toBe(true);
    // 10 requests in 3 s: the average is the limit, not less.
    expect(times[9]! - times[0]!).toBeLessThanOrEqual(3_010);
  });

  it('allows a burst, then refills at the rate', async () => {
    const clock = createVirtualClock();
    const limiter = createRateLimiter({ requestsPerSecond: 2, burst: 3, clock });
    for (let i = 0; i < 3; i++) await limiter.acquire();
    expect(clock.now()).toBe(0);
    await limiter.acquire();
    expect(clock.now()).toBe(500);
  });

  it('serves concurrent callers in order without exceeding the rate', async () => {
    const clock = createVirtualClock();
    const limiter = createRateLimiter({ requestsPerSecond: 4, clock });
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3, 4].map((i) => limiter.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(clock.now()).toBe(1_000);
  });

  it('pauses every caller for a Retry-After', async () => {
    const clock = createVirtualClock();
    const limiter = createRateLimiter({ requestsPerSecond: 10, clock });
    await limiter.acquire();
    limiter.pauseFor(5_000);
    await limiter.acquire();
    expect(clock.now()).toBeGreaterThanOrEqual(5_000);
    expect(clock.slept).toContain(5_000);
  });
});
