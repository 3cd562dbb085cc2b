import { describe, expect, it } from 'vitest';
import type { AudibleConfig, AudibleConfigUpdate, AudibleSignInFinish, AudibleSignInStart, ApiServices } from '../src/index.js';
import { call, context, expectOk } from './helpers.js';

const CONFIG: AudibleConfig = {
  enabled: true,
  locale: 'us',
  marketplace: 'AF2M0KC94RCEA',
  syncIntervalMs: 3_600_000,
  dailyCap: 600,
  limits: { minSyncIntervalMs: 900_000, maxDailyCap: 600, defaultSyncIntervalMs: 3_600_000 },
  schedule: { lastSyncAt: null, nextAllowedSyncAt: null, syncsToday: 0 },
  accounts: [],
  sync: { status: 'never_synced', message: 'no sync yet', failures: 0, lastSuccessAt: null, lastFailureAt: null, retryAt: null },
};

/** Services that record what the routes asked of them. */
function recordingServices() {
  const calls: { started: AudibleSignInStart[]; finished: AudibleSignInFinish[]; config: (AudibleConfigUpdate | null)[] } = { started: [], finished: [], config: [] };
  const services: ApiServices = {
    audibleSignInStart: async (_ctx, input) => {
      calls.started.push(input);
      return { state: 'pending', signInId: 'sign-in-1', url: 'https://www.amazon.com/ap/signin?x=1', locale: input.locale, expiresAt: '2026-12-01T12:15:00.000Z', instructions: 'open it' };
    },
    audibleSignInFinish: async (_ctx, input) => {
      calls.finished.push(input);
      return {
        state: 'connected',
        account: { id: 'acc-1', locale: 'us', marketplace: 'AF2M0KC94RCEA', label: 'Alice', connectedAt: '2026-12-01T12:00:00.000Z', updatedAt: '2026-12-01T12:00:00.000Z' },
        replaced: false,
        sync: { enabled: true },
      };
    },
    audibleConfig: async (_ctx, update) => {
      calls.config.push(update);
      return { ...CONFIG, ...(update?.enabled === undefined ? {} : { enabled: update.enabled }) };
    },
  };
  return { calls, services };
}

describe('the auto-tracking routes', () => {
  it('POST /api/audible/auth starts a sign-in (us by default), then finishes it with the pasted address', async () => {
    const { calls, services } = recordingServices();
    const ctx = context({ services });
    const started = await expectOk(ctx, 'POST', '/api/audible/auth', { body: {} });
    expect(started).toMatchObject({ state: 'pending', signInId: 'sign-in-1', locale: 'us' });
    await expectOk(ctx, 'POST', '/api/audible/auth', { body: { locale: 'uk', withUsername: true } });
    expect(calls.started).toEqual([
      { locale: 'us', withUsername: false },
      { locale: 'uk', withUsername: true },
    ]);
    const redirectUrl = 'https://www.amazon.com/ap/maplanding?openid.oa2.authorization_code=ANCode1';
    const finished = await expectOk(ctx, 'POST', '/api/audible/auth', { body: { signInId: 'sign-in-1', redirectUrl } });
    expect(finished).toMatchObject({ state: 'connected', account: { id: 'acc-1' } });
    expect(calls.finished).toEqual([{ signInId: 'sign-in-1', redirectUrl }]);
  });

  it('refuses a half-finished or mixed sign-in body with 400 naming the field, calling no service', async () => {
    const { calls, services } = recordingServices();
    const ctx = context({ services });
    const cases: [unknown, string][] = [
      [{ redirectUrl: 'https://www.amazon.com/ap/maplanding' }, 'body.signInId'],
      [{ signInId: 'x' }, 'body.redirectUrl'],
      [{ signInId: 'x', redirectUrl: 'https://a/ap/maplanding', locale: 'de' }, 'body.locale'],
      [{ locale: 'usa' }, 'body.locale'],
      [{ password: 'hunter2' }, 'body'],
    ];
    for (const [body, location] of cases) {
      const response = await call(ctx, 'POST', '/api/audible/auth', { body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((response.body as { error: { location: string } }).error.location).toBe(location);
    }
    expect(calls.started).toEqual([]);
    expect(calls.finished).toEqual([]);
  });

  it('GET and PUT /api/audible/config read and change the settings through the host', async () => {
    const { calls, services } = recordingServices();
    const ctx = context({ services });
    expect(await expectOk(ctx, 'GET', '/api/audible/config')).toEqual(CONFIG);
    const updated = await expectOk(ctx, 'PUT', '/api/audible/config', { body: { enabled: false, syncIntervalMs: 7_200_000, dailyCap: null } });
    expect(updated.enabled).toBe(false);
    expect(calls.config).toEqual([null, { enabled: false, syncIntervalMs: 7_200_000, dailyCap: null }]);
    const bad = await call(ctx, 'PUT', '/api/audible/config', { body: { syncIntervalMs: -5 } });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { location: string } }).error.location).toBe('body.syncIntervalMs');
    expect((await call(ctx, 'PUT', '/api/audible/config', { body: { schedule: 'hourly' } })).status).toBe(400);
  });

  it('answers config_missing (422) when the host offers no Audible sign-in or settings', async () => {
    const ctx = context();
    for (const [method, path, body] of [
      ['POST', '/api/audible/auth', {}],
      ['GET', '/api/audible/config', undefined],
      ['PUT', '/api/audible/config', { enabled: true }],
    ] as const) {
      const response = await call(ctx, method, path, body === undefined ? {} : { body });
      expect(response.status, `${method} ${path}`).toBe(422);
      expect(response.body).toMatchObject({ error: { code: 'config_missing' } });
    }
  });
});
