import { createHash, createSign, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { generateLibrary } from './generate-library.js';
import { startFakeAudible, type FakeAudible } from './server.js';

let fake: FakeAudible | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const NOW = Date.parse('2026-11-25T00:00:00Z');

describe('generated library', () => {
  it('is deterministic for a seed and has the requested size', () => {
    const a = generateLibrary({ titles: 500, series: 60, seed: 3, now: NOW });
    const b = generateLibrary({ titles: 500, series: 60, seed: 3, now: NOW });
    expect(a.owned).toEqual(b.owned);
    expect([...a.products.keys()]).toEqual([...b.products.keys()]);
    expect(a.owned).toHaveLength(500);
    expect(a.seriesAsins).toHaveLength(60);
    expect(generateLibrary({ titles: 500, series: 60, seed: 4, now: NOW }).owned).not.toEqual(a.owned);
  });

  it('has unowned and upcoming volumes, novellas, universes and podcasts', () => {
    const lib = generateLibrary({ titles: 2000, series: 300, seed: 1, now: NOW });
    const owned = new Set(lib.owned.map((o) => o.asin));
    const volumes = lib.seriesAsins.flatMap((s) => lib.products.get(s)!.children);
    expect(volumes.some((v) => !owned.has(v.asin))).toBe(true);
    expect(volumes.some((v) => lib.products.get(v.asin)!.releaseDate > '2026-11-25')).toBe(true);
    expect(volumes.every((v) => !(owned.has(v.asin) && lib.products.get(v.asin)!.releaseDate > '2026-11-25'))).toBe(true);
    expect(volumes.some((v) => /\.5$/.test(v.sequence))).toBe(true);
    expect([...lib.products.values()].some((p) => p.memberships.length >= 2)).toBe(true);
    expect([...owned].some((a) => lib.products.get(a)!.kind === 'podcast')).toBe(true);
    // Every series is reachable from an owned title.
    const reachable = new Set([...owned].flatMap((a) => lib.products.get(a)!.memberships.map((m) => m.seriesAsin)));
    expect(lib.seriesAsins.every((s) => reachable.has(s))).toBe(true);
  });
});

async function register(f: FakeAudible): Promise<{ adpToken: string; privateKey: string; accessToken: string; refreshToken: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const serial = 'A'.repeat(32);
  const clientId = Buffer.from(`${serial}#A2CZJZGLK2JJVM`).toString('hex');
  const signin = new URL(`${f.amazonUrl}/ap/signin`);
  for (const [k, v] of Object.entries({
    'openid.oa2.code_challenge': challenge,
    'openid.oa2.code_challenge_method': 'S256',
    'openid.oa2.response_type': 'code',
    'openid.oa2.client_id': `device:${clientId}`,
    'openid.return_to': `${f.amazonUrl}/ap/maplanding`,
    'openid.assoc_handle': 'amzn_audible_ios_us',
    marketPlaceId: 'AF2M0KC94RCEA',
  }))
    signin.searchParams.set(k, v);
  const redirect = await fetch(signin, { redirect: 'manual' });
  expect(redirect.status).toBe(302);
  const code = new URL(redirect.headers.get('location')!).searchParams.get('openid.oa2.authorization_code')!;
  const response = await fetch(`${f.amazonUrl}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      requested_token_type: ['bearer', 'mac_dms'],
      registration_data: { device_serial: serial, device_type: 'A2CZJZGLK2JJVM' },
      auth_data: { client_id: clientId, authorization_code: code, code_verifier: verifier },
    }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { response: { success: { tokens: { mac_dms: { adp_token: string; device_private_key: string }; bearer: { access_token: string; refresh_token: string } } } } };
  const tokens = body.response.success.tokens;
  return { adpToken: tokens.mac_dms.adp_token, privateKey: tokens.mac_dms.device_private_key, accessToken: tokens.bearer.access_token, refreshToken: tokens.bearer.refresh_token };
}

function signed(method: string, path: string, adpToken: string, privateKey: string, at = new Date()): Record<string, string> {
  const timestamp = at.toISOString();
  const signature = createSign('RSA-SHA256').update(`${method}\n${path}\n${timestamp}\n\n${adpToken}`).sign(privateKey, 'base64');
  return { 'x-adp-token': adpToken, 'x-adp-alg': 'SHA256withRSA:1.0', 'x-adp-signature': `${signature}:${timestamp}` };
}

describe('the fake server', () => {
  it('verifies signatures over the exact path and query, and their freshness', async () => {
    fake = await startFakeAudible({ titles: 20, series: 3 });
    const { adpToken, privateKey } = await register(fake);
    const path = '/1.0/library?num_results=5&response_groups=series';
    const ok = await fetch(`${fake.apiUrl}${path}`, { headers: signed('GET', path, adpToken, privateKey) });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('total-count')).toBe('20');
    const tampered = await fetch(`${fake.apiUrl}/1.0/library?num_results=6&response_groups=series`, { headers: signed('GET', path, adpToken, privateKey) });
    expect(tampered.status).toBe(403);
    const stale = await fetch(`${fake.apiUrl}${path}`, { headers: signed('GET', path, adpToken, privateKey, new Date(Date.now() - 3_600_000)) });
    expect(stale.status).toBe(403);
    expect(fake.state.counters.authRejections).toEqual({ bad_signature: 1, stale_signature: 1 });
  });

  it('enforces the API limits: 1000 a page, 50 products, 25 positions, known response groups', async () => {
    fake = await startFakeAudible({ titles: 20, series: 3 });
    const { accessToken } = await register(fake);
    const headers = { 'x-amz-access-token': accessToken };
    const many = (n: number) => Array.from({ length: n }, (_, i) => `B0T${String(i + 1).padStart(7, '0')}`).join(',');
    expect((await fetch(`${fake.apiUrl}/1.0/library?num_results=1001`, { headers })).status).toBe(400);
    expect((await fetch(`${fake.apiUrl}/1.0/library?response_groups=nope`, { headers })).status).toBe(400);
    expect((await fetch(`${fake.apiUrl}/1.0/catalog/products?asins=${many(51)}`)).status).toBe(400);
    expect((await fetch(`${fake.apiUrl}/1.0/catalog/products?asins=${many(50)}`)).status).toBe(200);
    expect((await fetch(`${fake.apiUrl}/1.0/annotations/lastpositions?asins=${many(26)}`, { headers })).status).toBe(400);
    // The library needs authentication; the catalogue does not.
    expect((await fetch(`${fake.apiUrl}/1.0/library`)).status).toBe(403);
  });

  it('omits group fields not asked for, as the real API does', async () => {
    fake = await startFakeAudible({ titles: 5, series: 2 });
    const { accessToken } = await register(fake);
    const headers = { 'x-amz-access-token': accessToken };
    const bare = (await (await fetch(`${fake.apiUrl}/1.0/library?num_results=1`, { headers })).json()) as { items: Record<string, unknown>[] };
    expect(bare.items[0]).not.toHaveProperty('series');
    expect(bare.items[0]!.is_finished).toBeNull();
    const full = (await (await fetch(`${fake.apiUrl}/1.0/library?num_results=1&response_groups=series,is_finished`, { headers })).json()) as { items: Record<string, unknown>[] };
    expect(full.items[0]).toHaveProperty('series');
    expect(typeof full.items[0]!.is_finished).toBe('boolean');
  });

  it('expires tokens, refreshes them, and refuses a revoked device', async () => {
    fake = await startFakeAudible({ titles: 5, series: 2 });
    const { accessToken, refreshToken } = await register(fake);
    fake.state.expireAccessTokens();
    expect((await fetch(`${fake.apiUrl}/1.0/library`, { headers: { 'x-amz-access-token': accessToken } })).status).toBe(401);
    const form = (token: string) => new URLSearchParams({ app_name: 'Audible', source_token: token, requested_token_type: 'access_token', source_token_type: 'refresh_token' });
    const refreshed = await fetch(`${fake.amazonUrl}/auth/token`, { method: 'POST', body: form(refreshToken) });
    const { access_token } = (await refreshed.json()) as { access_token: string };
    expect((await fetch(`${fake.apiUrl}/1.0/library`, { headers: { 'x-amz-access-token': access_token } })).status).toBe(200);
    fake.state.revokeAllDevices();
    const denied = await fetch(`${fake.amazonUrl}/auth/token`, { method: 'POST', body: form(refreshToken) });
    expect(denied.status).toBe(400);
    expect(((await denied.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('injects 429 with Retry-After and 503 at the configured rates, and drops catalogue items once', async () => {
    fake = await startFakeAudible({ titles: 5, series: 2, faults: { rate429: 1, retryAfterSeconds: 3 } });
    const limited = await fetch(`${fake.apiUrl}/1.0/catalog/products?asins=B0T0000001`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    fake.state.faults = { rate503: 1, retryAfterSeconds: null };
    const unavailable = await fetch(`${fake.apiUrl}/1.0/catalog/products?asins=B0T0000001`);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBeNull();
    fake.state.faults = { dropRate: 1 };
    const url = `${fake.apiUrl}/1.0/catalog/products?asins=B0T0000001,B0T0000002`;
    const first = (await (await fetch(url)).json()) as { products: unknown[] };
    const second = (await (await fetch(url)).json()) as { products: unknown[] };
    expect([first.products.length, second.products.length]).toEqual([0, 2]);
    expect(fake.state.counters.droppedProducts).toBe(2);
  });
});

describe('control endpoints, for a fake in another process', () => {
  it('reads counters and sets faults over HTTP', async () => {
    fake = await startFakeAudible({ titles: 5, series: 2 });
    await fetch(`${fake.apiUrl}/1.0/catalog/products?asins=B0T0000001`);
    const counters = (await (await fetch(`${fake.apiUrl}/__fake/counters`)).json()) as { requests: Record<string, number> };
    expect(counters.requests.products).toBe(1);
    await fetch(`${fake.apiUrl}/__fake/faults`, { method: 'POST', body: JSON.stringify({ rate503: 1 }) });
    expect((await fetch(`${fake.apiUrl}/1.0/catalog/products?asins=B0T0000001`)).status).toBe(503);
    await fetch(`${fake.apiUrl}/__fake/reset-counters`, { method: 'POST' });
    expect(fake.state.counters.requests).toEqual({});
  });
});

describe('prices, malformed data and the auth requests seen', () => {
  it("sends `price` in AudibleApi's shape for products sold here, and `price: null` for volumes not sold (as Libation filters them), only when asked", async () => {
    fake = await startFakeAudible({ titles: 20, series: 4, seed: 2 });
    const products = [...fake.state.library.products.values()];
    const sold = products.find((p) => p.kind === 'book' && p.listPrice !== null)!;
    const unsold = products.filter((p) => p.kind === 'book' && p.listPrice === null);
    expect(unsold.length).toBeGreaterThan(0);
    const owned = new Set(fake.state.library.owned.map((o) => o.asin));
    expect(unsold.every((p) => !owned.has(p.asin))).toBe(true);
    const url = (groups: string) => `${fake!.apiUrl}/1.0/catalog/products?asins=${sold.asin},${unsold[0]!.asin}&response_groups=${groups}`;
    const withPrice = (await (await fetch(url('price,product_attrs'))).json()) as { products: Record<string, unknown>[] };
    expect(withPrice.products[0]!.price).toEqual({
      credit_price: 1,
      is_buy_for_free_eligible: false,
      is_credit_price_eligible: true,
      is_free_eligible: false,
      is_ws4v_upsell_eligible: false,
      list_price: { base: sold.listPrice, currency_code: 'USD', merchant_id: 'A2ZO8JX97D5MN9', type: 'list' },
      lowest_price: { base: expect.any(Number), currency_code: 'USD', merchant_id: 'A2ZO8JX97D5MN9', type: 'member' },
    });
    expect(withPrice.products[1]!.price).toBeNull();
    expect(withPrice.products[1]).toHaveProperty('title');
    const without = (await (await fetch(url('product_attrs'))).json()) as { products: Record<string, unknown>[] };
    expect(without.products[0]).not.toHaveProperty('price');
  });

  it('serves one malformed library item, catalogue product or finished event among good ones', async () => {
    fake = await startFakeAudible({ titles: 6, series: 2 });
    const { accessToken } = await register(fake);
    const headers = { 'x-amz-access-token': accessToken };
    const [bad, good] = fake.state.library.owned.map((o) => o.asin);
    fake.state.malformItem(bad!, { title: 42, authors: 'nobody' });
    fake.state.malformItem(good!, { runtime_length_min: 'long' }, 'catalogue');
    fake.state.addRawFinishedEvent({ asin: bad, is_marked_as_finished: 'yes' });
    const page = (await (await fetch(`${fake.apiUrl}/1.0/library?response_groups=product_attrs,contributors`, { headers })).json()) as { items: Record<string, unknown>[] };
    expect(page.items).toHaveLength(6);
    expect(page.items.find((i) => i.asin === bad)).toMatchObject({ title: 42, authors: 'nobody' });
    expect(typeof page.items.find((i) => i.asin === good)!.runtime_length_min).toBe('number');
    const products = (await (await fetch(`${fake.apiUrl}/1.0/catalog/products?asins=${bad},${good}&response_groups=product_attrs`)).json()) as { products: Record<string, unknown>[] };
    expect(products.products.map((p) => [typeof p.title, p.runtime_length_min === 'long'])).toEqual([['string', false], ['string', true]]);
    const finished = (await (await fetch(`${fake.apiUrl}/1.0/stats/status/finished?start_date=2000-01-01T00:00:00Z`, { headers })).json()) as { mark_as_finished_status_list: unknown[] };
    expect(finished.mark_as_finished_status_list[0]).toEqual({ asin: bad, is_marked_as_finished: 'yes' });
  });

  it('records what register and refresh requests carried', async () => {
    fake = await startFakeAudible({ titles: 2, series: 1 });
    const { refreshToken } = await register(fake);
    await fetch(`${fake.amazonUrl}/auth/token`, {
      method: 'POST',
      headers: { 'x-amzn-identity-auth-domain': 'api.amazon.com' },
      body: new URLSearchParams({ app_name: 'com.audible.application', app_version: '2090253826', source_token: refreshToken, requested_token_type: 'access_token', source_token_type: 'refresh_token' }),
    });
    expect(fake.state.authRequests.map((r) => r.route)).toEqual(['register', 'token']);
    expect(fake.state.authRequests[0]!.body).toMatchObject({ registration_data: { device_type: 'A2CZJZGLK2JJVM' } });
    expect(fake.state.authRequests[1]).toEqual({
      route: 'token',
      body: expect.objectContaining({ app_name: 'com.audible.application', app_version: '2090253826' }),
      authDomain: 'api.amazon.com',
    });
  });
});
