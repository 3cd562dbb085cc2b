import { startFakeAudible, type FakeAudible } from '@sagasync/fake-audible';
import { afterAll, beforeAll, expect } from 'vitest';
import { call } from './harness.js';

/**
 * fake-audible for a suite, started before the servers that are given `env` (its base URLs are
 * written into `env` then, so pass the same object to `serverFor`).
 */
export function fakeAudibleFor(env: Record<string, string>, options: Parameters<typeof startFakeAudible>[0] = {}) {
  const state = { fake: null as FakeAudible | null };
  beforeAll(async () => {
    state.fake = await startFakeAudible({ titles: 12, series: 3, seed: 11, ...options });
    env.SAGASYNC_AUDIBLE_API_URL = state.fake.apiUrl;
    env.SAGASYNC_AMAZON_API_URL = state.fake.amazonUrl;
  });
  afterAll(async () => state.fake?.close());
  return {
    get fake(): FakeAudible {
      return state.fake!;
    },
  };
}

/**
 * What a person does in their browser: opens the sign-in URL, signs in, and copies the address
 * the browser ends on (fake-audible redirects straight to it).
 */
export async function browserSignIn(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return response.headers.get('location')!;
}

/** The whole sign-in through the server's HTTP API; returns the finishing call's answer. */
export async function signInThroughServer(base: string, token: string, locale = 'us') {
  const started = await call(base, 'POST', '/api/audible/auth', { token, body: { locale } });
  expect(started.status, JSON.stringify(started.json)).toBe(200);
  const redirectUrl = await browserSignIn(started.json.url as string);
  const finished = await call(base, 'POST', '/api/audible/auth', { token, body: { signInId: started.json.signInId, redirectUrl } });
  expect(finished.status, JSON.stringify(finished.json)).toBe(200);
  return finished.json;
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000, what = 'the condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A job started by a route, once finished. */
export async function finishedJob(base: string, token: string, id: string) {
  return eventually(async () => {
    const job = await call(base, 'GET', `/api/jobs/${id}`, { token });
    return job.json.state === 'running' ? undefined : job.json;
  }, 30_000, `job ${id}`);
}

/** A database of its own on the run's PostgreSQL cluster. */
export { createTestDatabase as createDatabase } from '@sagasync/test-services/vitest';
