import { startFakeNotion, type FakeNotion } from '@sagasync/fake-notion';
import { afterEach, describe, expect, it } from 'vitest';
import { createVirtualClock } from './clock.js';
import { AmbiguousCreateError, createNotionGateway, type RequestEvent } from './notion-gateway.js';

let fake: FakeNotion | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function gatewayWithFake() {
  fake = await startFakeNotion();
  const clock = createVirtualClock();
  const events: RequestEvent[] = [];
  const gateway = createNotionGateway({ token: fake.token, baseUrl: fake.url, requestsPerSecond: 3, clock, onRequest: (e) => events.push(e) });
  return { fake, clock, events, gateway };
}

const me = (g: ReturnType<typeof createNotionGateway>) => g.call('me', 'read', (c) => c.users.me({}));

describe('createNotionGateway retry policy', () => {
  it('honours Retry-After of a 429, pausing the limiter for its full length', async () => {
    const { fake, clock, gateway } = await gatewayWithFake();
    fake.injectFault({ kind: 'rate_limited', retryAfterSeconds: 90 });
    await me(gateway);
    expect(clock.slept).toContain(90_000);
    expect(gateway.stats).toMatchObject({ requests: 2, retries: 1, throttled: 1 });
  });

  it('retries 500, 503, HTML 502, 504 and 409 for reads and idempotent writes', async () => {
    const { fake, gateway, events } = await gatewayWithFake();
    for (const kind of ['internal_server_error', 'service_unavailable', 'bad_gateway_html', 'gateway_timeout', 'conflict'] as const) fake.injectFault({ kind });
    await me(gateway);
    expect(events.map((e) => e.status)).toEqual([500, 503, 502, 504, 409, 200]);
    expect(events.map((e) => e.outcome)).toEqual(['unknown_outcome', 'unknown_outcome', 'unknown_outcome', 'unknown_outcome', 'conflict', 'ok']);
  });

  it('never repeats a create whose outcome is unknown, but does repeat one that hit a 409', async () => {
    const { fake, gateway } = await gatewayWithFake();
    const create = () => gateway.call('create database', 'create', (c) => c.users.me({}));
    fake.injectFault({ kind: 'applied_then_502' });
    await expect(create()).rejects.toBeInstanceOf(AmbiguousCreateError);
    fake.injectFault({ kind: 'conflict' });
    await expect(create()).resolves.toMatchObject({ object: 'user' });
  });

  it('maps 401 and 400 to SagaSyncErrors without retrying and without the token in the message', async () => {
    const { fake } = await gatewayWithFake();
    const bad = createNotionGateway({ token: 'secret_should_not_leak', baseUrl: fake.url, clock: createVirtualClock() });
    const err = (await me(bad).catch((e: unknown) => e)) as Error & { code: string };
    expect(err).toMatchObject({ code: 'auth_failed' });
    expect(err.message).not.toContain('secret_should_not_leak');
    expect(bad.stats.requests).toBe(1);
    const good = createNotionGateway({ token: fake.token, baseUrl: fake.url, clock: createVirtualClock() });
    await expect(good.call('query', 'read', (c) => c.dataSources.query({ data_source_id: '00000000000000000000000000000000', page_size: 5 }))).rejects.toMatchObject({ code: 'not_found' });
    expect(good.stats.retries).toBe(0);
  });

  it('gives up after maxAttempts with a remote_failure', async () => {
    const { fake } = await gatewayWithFake();
    const g = createNotionGateway({ token: fake.token, baseUrl: fake.url, clock: createVirtualClock(), maxAttempts: 3 });
    fake.injectFault({ kind: 'service_unavailable', times: 5 });
    await expect(me(g)).rejects.toMatchObject({ code: 'remote_failure' });
    expect(g.stats.requests).toBe(3);
  });
});

describe('createNotionGateway without a server', () => {
  it('treats a refused connection as an unknown outcome: reads retry, then fail as remote_failure', async () => {
    const f = await startFakeNotion();
    const url = f.url;
    await f.close();
    const events: RequestEvent[] = [];
    const g = createNotionGateway({ token: 't', baseUrl: url, clock: createVirtualClock(), maxAttempts: 3, onRequest: (e) => events.push(e) });
    await expect(me(g)).rejects.toMatchObject({ code: 'remote_failure' });
    expect(events.map((e) => e.outcome)).toEqual(['unknown_outcome', 'unknown_outcome', 'unknown_outcome']);
    const create = createNotionGateway({ token: 't', baseUrl: url, clock: createVirtualClock() });
    await expect(create.call('create page', 'create', (c) => c.users.me({}))).rejects.toBeInstanceOf(AmbiguousCreateError);
  });
});
