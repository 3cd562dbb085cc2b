import { SagaSyncError } from '@sagasync/core';
import type { FakeAudible } from '@sagasync/fake-audible';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createLoginRequest, importAuthFile, parseMaplandingUrl, refreshAccessToken, registerDevice } from '../src/index.js';
import { clientFor, endpointsOf, signIn, startFake } from './helpers.js';

const Page = z.object({ items: z.array(z.object({ asin: z.string() })) });
let fake: FakeAudible | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function expectAuthFailed(promise: Promise<unknown>): Promise<SagaSyncError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(SagaSyncError.isInstance(error)).toBe(true);
  expect((error as SagaSyncError).code).toBe('auth_failed');
  return error as SagaSyncError;
}

describe('external-browser sign-in and device registration', () => {
  it('builds the sign-in URL with PKCE S256 and the marketplace, and registers a signing device', async () => {
    fake = await startFake();
    const login = createLoginRequest({ locale: 'uk', endpoints: endpointsOf(fake) });
    const url = new URL(login.url);
    expect(url.pathname).toBe('/ap/signin');
    expect(url.searchParams.get('openid.oa2.code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('openid.assoc_handle')).toBe('amzn_audible_ios_uk');
    expect(url.searchParams.get('marketPlaceId')).toBe('A2I9A3Q2GNFNGQ');
    expect(url.searchParams.get('openid.oa2.client_id')).toBe(`device:${Buffer.from(`${login.deviceSerial}#A2CZJZGLK2JJVM`).toString('hex')}`);
    expect(login.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(login.deviceSerial).toMatch(/^[0-9A-F]{32}$/);

    const credentials = await signIn(fake);
    expect(credentials.adpToken).toMatch(/^\{enc:/);
    expect(credentials.devicePrivateKey).toContain('BEGIN RSA PRIVATE KEY');
    expect(credentials.accessToken).toMatch(/^Atna\|/);
    expect(credentials.customerId).toBe('amzn1.account.FAKE0CUSTOMER0ID');
    expect(credentials.expiresAt).toBeGreaterThan(Date.now() + 3_000_000);
    expect(fake.state.counters.requests.register).toBe(1);

    const client = clientFor(fake, credentials);
    expect(client.signsRequests).toBe(true);
    const { data } = await client.get('/1.0/library', { num_results: 5, response_groups: 'series,product_attrs' }, Page);
    expect(data.items).toHaveLength(5);
    expect(fake.state.counters.signedRequests).toBe(1);
    expect(fake.state.counters.tokenRequests).toBe(0);
  });

  it('rejects a pasted URL that is not the maplanding page, or has no code', () => {
    expect(() => parseMaplandingUrl('hello')).toThrow(/not a URL/);
    expect(() => parseMaplandingUrl('https://www.amazon.com/ap/signin?x=1')).toThrow(/not the maplanding page/);
    expect(() => parseMaplandingUrl('https://www.amazon.com/ap/maplanding?openid.mode=cancel')).toThrow(/authorization_code/);
    expect(parseMaplandingUrl('"https://www.amazon.de/ap/maplanding?openid.oa2.authorization_code=ANabc"')).toBe('ANabc');
  });

  it('fails registration when the code verifier does not match the challenge the URL carried', async () => {
    fake = await startFake();
    const login = createLoginRequest({ locale: 'us', endpoints: endpointsOf(fake) });
    const pasted = (await fetch(login.url, { redirect: 'manual' })).headers.get('location')!;
    const other = createLoginRequest({ locale: 'us', endpoints: endpointsOf(fake), deviceSerial: login.deviceSerial });
    const error = await expectAuthFailed(registerDevice(other, parseMaplandingUrl(pasted), { endpoints: endpointsOf(fake) }));
    expect(error.message).toMatch(/refused the device registration/);
  });
});

describe('tokens', () => {
  it('refreshes the access token, reading access_token', async () => {
    fake = await startFake();
    const credentials = await signIn(fake);
    const refreshed = await refreshAccessToken(credentials, { endpoints: endpointsOf(fake) });
    expect(refreshed.accessToken).not.toBe(credentials.accessToken);
    expect(refreshed.refreshToken).toBe(credentials.refreshToken);
    expect(fake.state.counters.requests.token).toBe(1);
  });

  it('accepts actor_access_token from the newer app flow', async () => {
    fake = await startFake({ refreshTokenField: 'actor_access_token' });
    const credentials = await signIn(fake);
    const refreshed = await refreshAccessToken(credentials, { endpoints: endpointsOf(fake) });
    expect(refreshed.accessToken).toMatch(/^Atna\|/);
    expect(refreshed.accessToken).not.toBe(credentials.accessToken);
  });

  it('in access-token mode, an expired token is refreshed once and the call retried', async () => {
    fake = await startFake();
    const credentials = await signIn(fake);
    const saved: string[] = [];
    const client = clientFor(fake, credentials, { authMode: 'token', onCredentialsChanged: (c) => void saved.push(c.accessToken) });
    fake.state.expireAccessTokens();
    const { data } = await client.get('/1.0/library', { num_results: 3 }, Page);
    expect(data.items).toHaveLength(3);
    expect(fake.state.counters.expiredTokenRejections).toBe(1);
    expect(fake.state.counters.requests.token).toBe(1);
    expect(saved).toEqual([client.credentials.accessToken]);
    expect(fake.state.counters.tokenRequests).toBe(1);
  });

  it('refreshes before the call when the stored expiry has passed', async () => {
    fake = await startFake();
    const credentials = await signIn(fake);
    const client = clientFor(fake, { ...credentials, adpToken: null, devicePrivateKey: null, expiresAt: Date.now() - 1000 });
    await client.get('/1.0/library', { num_results: 1 }, Page);
    expect(fake.state.counters.requests.token).toBe(1);
    expect(fake.state.counters.expiredTokenRejections).toBe(0);
  });

  it('concurrent calls that all hit an expired token share one refresh', async () => {
    fake = await startFake();
    const credentials = await signIn(fake);
    const client = clientFor(fake, credentials, { authMode: 'token' });
    fake.state.expireAccessTokens();
    await Promise.all([1, 2, 3, 4].map((page) => client.get('/1.0/library', { num_results: 2, page }, Page)));
    expect(fake.state.counters.requests.token).toBe(1);
  });
});

describe('401 in signed mode', () => {
  it('refreshes once and retries once; a second rejection is auth_failed, not a loop', async () => {
    fake = await startFake();
    const client = clientFor(fake, await signIn(fake));
    fake.state.queueFault({ status: 401 });
    await client.get('/1.0/library', { num_results: 1 }, Page);
    expect(fake.state.counters.requests.token).toBe(1);
    expect(fake.state.counters.signedRequests).toBe(2);

    fake.state.queueFault({ status: 401, times: 2 });
    await expectAuthFailed(client.get('/1.0/library', { num_results: 1 }, Page));
    expect(fake.state.counters.requests.token).toBe(2);
    expect(fake.state.counters.injectedQueued).toBe(3);
  });
});

describe('revoked devices and signatures', () => {
  it('a device removed at Amazon (or a changed password) gives a clear auth_failed error', async () => {
    fake = await startFake();
    const client = clientFor(fake, await signIn(fake));
    fake.state.revokeAllDevices();
    const error = await expectAuthFailed(client.get('/1.0/library', { num_results: 1 }, Page));
    expect(error.message).toMatch(/removed from the Amazon account or the password was changed/);
    expect(error.message).toMatch(/sagasync audible login/);
    expect(error.details.reason).toBe('device_revoked');
    expect(error.message).not.toContain(client.credentials.refreshToken);
    expect(fake.state.counters.authRejections.revoked).toBe(1);
  });

  it('the fake rejects a request signed with another key; the client reports it after one refresh', async () => {
    fake = await startFake();
    const mine = await signIn(fake);
    const other = await signIn(fake);
    const client = clientFor(fake, { ...mine, devicePrivateKey: other.devicePrivateKey });
    await expectAuthFailed(client.get('/1.0/library', { num_results: 1 }, Page));
    expect(fake.state.counters.authRejections.bad_signature).toBe(2);
    expect(fake.state.counters.requests.token).toBe(1);
  });

  it('deregistering on logout makes the credentials useless', async () => {
    fake = await startFake();
    const client = clientFor(fake, await signIn(fake));
    await client.deregister();
    expect(fake.state.counters.requests.deregister).toBe(1);
    expect([...fake.state.auth.devices.values()].every((d) => !d.active)).toBe(true);
    await expectAuthFailed(client.get('/1.0/library', { num_results: 1 }, Page));
  });
});

describe('an imported audible-cli auth file against the fake', () => {
  it('signs requests with the imported device key and refreshes with the imported refresh token', async () => {
    fake = await startFake();
    const registered = await signIn(fake);
    // The same device as audible-cli would have saved it.
    const file = JSON.stringify({
      website_cookies: registered.websiteCookies,
      adp_token: registered.adpToken,
      access_token: registered.accessToken,
      refresh_token: registered.refreshToken,
      device_private_key: registered.devicePrivateKey,
      store_authentication_cookie: { cookie: registered.storeAuthenticationCookie },
      device_info: { device_serial_number: registered.deviceSerial, device_type: registered.deviceType, device_name: registered.deviceName },
      customer_info: { user_id: registered.customerId, name: registered.customerName },
      expires: registered.expiresAt / 1000,
      locale_code: 'us',
      with_username: false,
      activation_bytes: null,
    });
    const [imported] = importAuthFile(file);
    const client = clientFor(fake, imported!);
    await client.get('/1.0/library', { num_results: 2 }, Page);
    expect(fake.state.counters.signedRequests).toBe(1);
    await client.refresh();
    expect(client.credentials.accessToken).not.toBe(registered.accessToken);
  });
});
