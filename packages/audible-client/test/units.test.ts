import { createPublicKey, createVerify, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { codeChallengeFor, createLoginRequest, LOCALE_CODES, MARKETPLACES, resolveEndpoints, signRequest } from '../src/index.js';
import { normaliseDate, normaliseTimestamp } from '../src/api/timestamps.js';

describe('marketplaces', () => {
  it('covers all 11 with their domains and marketplace ids', () => {
    expect(LOCALE_CODES).toHaveLength(11);
    expect(Object.fromEntries(LOCALE_CODES.map((c) => [c, [MARKETPLACES[c].domain, MARKETPLACES[c].marketplaceId]]))).toEqual({
      us: ['com', 'AF2M0KC94RCEA'],
      uk: ['co.uk', 'A2I9A3Q2GNFNGQ'],
      de: ['de', 'AN7V1F1VY261K'],
      fr: ['fr', 'A2728XDNODOQ8T'],
      ca: ['ca', 'A2CQZ5RBY40XE'],
      it: ['it', 'A2N7FU2W2BU2ZC'],
      au: ['com.au', 'AN7EY7DTAW63G'],
      in: ['in', 'AJO3FBRUE6J4S'],
      jp: ['co.jp', 'A1QAP3MOU4173J'],
      es: ['es', 'ALMIKO4SZCSAR'],
      br: ['com.br', 'A10J1VAYUDTYRN'],
    });
  });

  it('resolves the real hosts per marketplace, and overrides', () => {
    expect(resolveEndpoints('jp')).toEqual({ apiUrl: 'https://api.audible.co.jp', amazonUrl: 'https://api.amazon.co.jp', signInUrl: 'https://www.amazon.co.jp' });
    expect(resolveEndpoints('uk', {}, true)).toEqual({ apiUrl: 'https://api.audible.co.uk', amazonUrl: 'https://api.audible.co.uk', signInUrl: 'https://www.audible.co.uk' });
    expect(resolveEndpoints('us', { apiUrl: 'http://127.0.0.1:1/', amazonUrl: 'http://127.0.0.1:2' })).toEqual({
      apiUrl: 'http://127.0.0.1:1',
      amazonUrl: 'http://127.0.0.1:2',
      signInUrl: 'http://127.0.0.1:2',
    });
    expect(() => resolveEndpoints('fr', {}, true)).toThrow(/username accounts/);
  });

  it('builds a sign-in URL for every marketplace and for username accounts', () => {
    for (const code of LOCALE_CODES) {
      const url = new URL(createLoginRequest({ locale: code }).url);
      expect(url.origin).toBe(`https://www.amazon.${MARKETPLACES[code].domain}`);
      expect(url.searchParams.get('openid.assoc_handle')).toBe(`amzn_audible_ios_${code}`);
      expect(url.searchParams.get('marketPlaceId')).toBe(MARKETPLACES[code].marketplaceId);
      expect(url.searchParams.get('openid.return_to')).toBe(`https://www.amazon.${MARKETPLACES[code].domain}/ap/maplanding`);
    }
    const lap = new URL(createLoginRequest({ locale: 'de', withUsername: true }).url);
    expect(lap.origin).toBe('https://www.audible.de');
    expect(lap.searchParams.get('openid.assoc_handle')).toBe('amzn_audible_ios_lap_de');
    expect(lap.searchParams.get('pageId')).toBe('amzn_audible_ios_privatepool');
  });
});

describe('PKCE and signing', () => {
  it('computes the S256 challenge (RFC 7636 appendix B vector)', () => {
    expect(codeChallengeFor('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('signs METHOD, path with query, timestamp, body and adp token with RSA-SHA256', () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const now = new Date('2026-11-25T10:00:00.123Z');
    const headers = signRequest({ method: 'get', pathWithQuery: '/1.0/library?num_results=5', body: '', adpToken: '{enc:x}', privateKey: pem, now });
    expect(headers['x-adp-token']).toBe('{enc:x}');
    expect(headers['x-adp-alg']).toBe('SHA256withRSA:1.0');
    const [signature, timestamp] = [headers['x-adp-signature']!.split(':')[0]!, headers['x-adp-signature']!.slice(headers['x-adp-signature']!.indexOf(':') + 1)];
    expect(timestamp).toBe('2026-11-25T10:00:00Z');
    const verify = (data: string) => createVerify('RSA-SHA256').update(data).verify(createPublicKey(pem), signature, 'base64');
    expect(verify('GET\n/1.0/library?num_results=5\n2026-11-25T10:00:00Z\n\n{enc:x}')).toBe(true);
    expect(verify('GET\n/1.0/library?num_results=6\n2026-11-25T10:00:00Z\n\n{enc:x}')).toBe(false);
  });
});

describe('Audible timestamps', () => {
  it('reads ISO with and without milliseconds, and the zone-less annotations form as UTC', () => {
    expect(normaliseTimestamp('2026-09-30 12:33:04.122')).toBe('2026-09-30T12:33:04.122Z');
    expect(normaliseTimestamp('2019-11-29T11:40:49Z')).toBe('2019-11-29T11:40:49.000Z');
    expect(normaliseTimestamp('2026-08-30T12:08:33.768Z')).toBe('2026-08-30T12:08:33.768Z');
    expect(normaliseTimestamp('2026-08-30T12:08:33')).toBe('2026-08-30T12:08:33.000Z');
    expect(normaliseTimestamp('yesterday')).toBeNull();
    expect(normaliseDate('2024-02-30')).toBeNull();
    expect(normaliseDate('2024-02-29')).toBe('2024-02-29');
  });
});
