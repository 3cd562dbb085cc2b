import { SagaSyncError } from '@sagasync/core';
import type { FakeAudible } from '@sagasync/fake-audible';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter } from '../src/index.js';
import { clientFor, recordingSleep, signIn, startFake } from './helpers.js';

const Page = z.object({ items: z.array(z.object({ asin: z.string() })) });
let fake: FakeAudible | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('Retry-After and backoff', () => {
  it('reads delay-seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });

  it('backs off exponentially with jitter, capped, and takes Retry-After over its own schedule', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, policy, null, () => 0)).toBe(50);
    expect(backoffDelay(1, policy, null, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, null, () => 0.5)).toBe(300);
    expect(backoffDelay(10, policy, null, () => 1)).toBe(1000);
    expect(backoffDelay(1, policy, 2000, () => 0)).toBe(2000);
    expect(backoffDelay(1, policy, 2000, () => 1)).toBe(2200);
  });
});

describe('transient failures against the fake', () => {
  it('retries 429s, waiting what Retry-After says', async () => {
    fake = await startFake();
    const { sleep, delays } = recordingSleep();
    const client = clientFor(fake, await signIn(fake), { sleep, random: () => 0 });
    fake.state.queueFault({ status: 429, retryAfter: '2', times: 2 });
    const { data } = await client.get('/1.0/library', { num_results: 2 }, Page);
    expect(data.items).toHaveLength(2);
    expect(delays).toEqual([2000, 2000]);
    expect(fake.state.counters.injectedQueued).toBe(2);
    expect(fake.state.counters.requests.library).toBe(1);
  });

  it('retries 503s without Retry-After on an exponential schedule', async () => {
    fake = await startFake();
    const { sleep, delays } = recordingSleep();
    const client = clientFor(fake, await signIn(fake), { sleep, random: () => 1, retry: { baseDelayMs: 100 } });
    fake.state.queueFault({ status: 503, times: 3 });
    await client.get('/1.0/library', { num_results: 1 }, Page);
    expect(delays).toEqual([100, 200, 400]);
  });

  it('gives up with rate_limited after the last attempt, and does not wait for an absurd Retry-After', async () => {
    fake = await startFake();
    const { sleep, delays } = recordingSleep();
    const client = clientFor(fake, await signIn(fake), { sleep, retry: { maxAttempts: 3 } });
    fake.state.queueFault({ status: 429, retryAfter: '0', times: 5 });
    const error = await client.get('/1.0/library', { num_results: 1 }, Page).catch((e: unknown) => e);
    expect(SagaSyncError.isInstance(error) && error.code).toBe('rate_limited');
    expect(delays).toHaveLength(2);

    fake.state.queueFault({ status: 429, retryAfter: '3600' });
    const late = await client.get('/1.0/library', { num_results: 1 }, Page).catch((e: unknown) => e);
    expect(SagaSyncError.isInstance(late) && late.code).toBe('rate_limited');
    expect((late as SagaSyncError).message).toMatch(/wait 3600 s/);
  });

  it('a 503 that persists is a remote_failure naming the call', async () => {
    fake = await startFake();
    const { sleep } = recordingSleep();
    const client = clientFor(fake, await signIn(fake), { sleep, retry: { maxAttempts: 2 } });
    fake.state.queueFault({ status: 503, times: 2 });
    const error = (await client.get('/1.0/library', { num_results: 1 }, Page).catch((e: unknown) => e)) as SagaSyncError;
    expect(error.code).toBe('remote_failure');
    expect(error.message).toMatch(/GET \/1\.0\/library.*HTTP 503 after 2 attempts/);
  });

  it('times out a slow answer and retries it', async () => {
    fake = await startFake();
    const { sleep } = recordingSleep();
    const client = clientFor(fake, await signIn(fake), { sleep, timeoutMs: 100, retry: { maxAttempts: 2 } });
    fake.state.faults.latencyMs = 400;
    const error = (await client.get('/1.0/library', { num_results: 1 }, Page).catch((e: unknown) => e)) as SagaSyncError;
    expect(error.code).toBe('remote_failure');
    expect(error.message).toMatch(/timed out after 100 ms \(2 attempts\)/);
    fake.state.faults.latencyMs = 0;
  });

  it('survives random 429s and 503s on every call of a full library read', async () => {
    fake = await startFake({ faults: { rate429: 0.3, rate503: 0.2, retryAfterSeconds: 1 } });
    const { sleep, delays } = recordingSleep();
    const client = clientFor(fake, await signIn(fake), { sleep, retry: { maxAttempts: 12 } });
    for (let page = 1; page <= 4; page++) {
      const { data } = await client.get('/1.0/library', { num_results: 10, page }, Page);
      expect(data.items).toHaveLength(10);
    }
    const injected = fake.state.counters.injected429 + fake.state.counters.injected503;
    expect(injected).toBeGreaterThan(0);
    expect(delays).toHaveLength(injected);
    // Retry-After: 1 was sent with every injected failure.
    expect(delays.every((d) => d >= 1000 && d <= 1100)).toBe(true);
  });
});
