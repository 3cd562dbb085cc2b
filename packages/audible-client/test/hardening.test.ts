import { generateKeyPairSync } from 'node:crypto';
import { SagaSyncError } from '@sagasync/core';
import type { FakeAudible } from '@sagasync/fake-audible';
import { createMemoryStorage } from '@sagasync/storage';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildSeriesMetadata,
  createKeyValueSeriesCache,
  createLoginRequest,
  createMemorySeriesCache,
  fetchAccountSnapshot,
  fetchFinishedStates,
  fetchLibrary,
  hydrateSeries,
  importAuthFile,
  parseMaplandingUrl,
  registerDevice,
  seriesAsinsOf,
  syncLibrary,
  type AudibleClient,
  type FetchWarning,
} from '../src/index.js';
import { clientFor, endpointsOf, recordingSleep, signIn, startFake } from './helpers.js';

let fake: FakeAudible | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: Parameters<typeof startFake>[0] = {}): Promise<{ fake: FakeAudible; client: AudibleClient }> {
  fake = await startFake(options);
  const { sleep } = recordingSleep();
  return { fake, client: clientFor(fake, await signIn(fake), { sleep }) };
}

describe('volumes the marketplace does not sell (the price group)', () => {
  it('asks for volumes with `price` and marks each volume for sale or not; library volumes stay unknown', async () => {
    const { fake, client } = await setup({ titles: 60, series: 12, seed: 4 });
    const items = await fetchLibrary(client);
    const known = new Map(items.map((i) => [i.asin, i]));
    const { catalogues } = await hydrateSeries(client, seriesAsinsOf(items), { known });
    const volumes = catalogues.flatMap((c) => c.volumes);
    const notOwned = volumes.filter((v) => !known.has(v.asin));
    expect(notOwned.length).toBeGreaterThan(0);
    for (const volume of notOwned) expect(volume.forSale).toBe(fake.state.library.products.get(volume.asin)!.listPrice !== null);
    expect(notOwned.some((v) => v.forSale === false)).toBe(true);
    expect(notOwned.some((v) => v.forSale === true)).toBe(true);
    expect(volumes.filter((v) => known.has(v.asin)).every((v) => v.forSale === undefined)).toBe(true);
  });

  it('a sync stores forSale on the volumes not owned: false without a price, true with one', async () => {
    const { fake, client } = await setup({ titles: 60, series: 12, seed: 4 });
    const storage = createMemoryStorage();
    const report = await syncLibrary({ client, storage, ownerId: 'local' });
    expect(report.committed).toBe(true);
    const synthetic = (await storage.listTitles('local', { owned: false })).items;
    expect(synthetic.length).toBe(report.fetched.syntheticTitles);
    for (const title of synthetic) expect(title.forSale, title.asin).toBe(fake.state.library.products.get(title.asin)!.listPrice !== null);
    expect(synthetic.filter((t) => t.forSale === false).length).toBeGreaterThan(0);
    await storage.close();
  });

  it('the series metadata file says which volumes are for sale, and catalogues cached before prices still read', async () => {
    const { client } = await setup({ titles: 40, series: 8, seed: 4 });
    const snapshot = await fetchAccountSnapshot(client, { progress: false });
    const owned = new Set(snapshot.items.map((i) => i.asin));
    const file = buildSeriesMetadata({ catalogues: snapshot.catalogues, ownedAsins: owned, marketplace: 'us', generatedAt: new Date() });
    const volumes = file.series.flatMap((s) => s.volumes) as { asin: string; owned: boolean; forSale?: boolean | null }[];
    expect(volumes.filter((v) => !v.owned).every((v) => typeof v.forSale === 'boolean')).toBe(true);
    expect(volumes.filter((v) => v.owned).every((v) => v.forSale === undefined)).toBe(true);

    // A catalogue cached by an earlier version: volumes without forSale.
    const map = new Map<string, unknown>();
    const cache = createKeyValueSeriesCache({ get: async (k) => map.get(k), set: async (k, v) => void map.set(k, v) });
    const old = { ...snapshot.catalogues[0]!, volumes: snapshot.catalogues[0]!.volumes.map(({ forSale: _dropped, ...v }) => v) };
    await cache.set(old.asin, old);
    expect(await cache.get(old.asin)).toMatchObject({ asin: old.asin, volumes: old.volumes });
  });
});

describe('one malformed item does not abort the sync', () => {
  it('leaves out a malformed library item with a warning naming its ASIN', async () => {
    const { fake, client } = await setup({ titles: 30, series: 5 });
    const bad = fake.state.library.owned[3]!.asin;
    fake.state.malformItem(bad, { title: 42, authors: 'nobody' }, 'library');
    const storage = createMemoryStorage();
    const report = await syncLibrary({ client, storage, ownerId: 'local' });
    expect(report.committed).toBe(true);
    expect(report.fetched.skipped.map((s) => s.asin)).toEqual([bad]);
    expect(report.warnings).toEqual([expect.stringMatching(new RegExp(`^${bad}: library item left out \\(.*title`))]);
    expect(await storage.countTitles('local', { owned: true })).toBe(29);
    await storage.close();
  });

  it('leaves out a malformed catalogue volume (the series is then incomplete, not cached) with a warning', async () => {
    const { fake, client } = await setup({ titles: 30, series: 5 });
    const owned = new Set(fake.state.library.owned.map((o) => o.asin));
    const volume = fake.state.library.seriesAsins.flatMap((s) => fake.state.library.products.get(s)!.children).find((c) => !owned.has(c.asin))!;
    fake.state.malformItem(volume.asin, { authors: 'not a list' }, 'catalogue');
    const cache = createMemorySeriesCache();
    const storage = createMemoryStorage();
    const report = await syncLibrary({ client, storage, ownerId: 'local', seriesCache: cache });
    expect(report.committed).toBe(true);
    expect(report.fetched.missingVolumes).toEqual([volume.asin]);
    expect(report.warnings).toEqual([expect.stringMatching(new RegExp(`^${volume.asin}: catalogue product left out \\(GET /1.0/catalog/products, \\$\\.products\\[\\d+\\]\\.authors`))]);
    expect(await storage.getTitle('local', volume.asin)).toBeNull();
    await storage.close();
  });

  it('leaves out a malformed finished event with a warning; the other finish dates are kept', async () => {
    const { fake, client } = await setup({ titles: 30, series: 5 });
    const asin = fake.state.library.owned[0]!.asin;
    fake.state.addRawFinishedEvent({ asin, is_marked_as_finished: 'yes', event_timestamp: null });
    const warnings: FetchWarning[] = [];
    const finished = await fetchFinishedStates(client, { onWarning: (w) => warnings.push(w) });
    expect(finished.size).toBe(new Set(fake.state.library.finishedEvents.map((e) => e.asin)).size);
    expect(warnings).toEqual([{ source: 'finished', asin, message: expect.stringMatching(/^finished event left out \(GET \/1\.0\/stats\/status\/finished, \$\.mark_as_finished_status_list\[0\]\.is_marked_as_finished/) }]);
    const storage = createMemoryStorage();
    const report = await syncLibrary({ client, storage, ownerId: 'local' });
    expect(report.committed).toBe(true);
    expect(report.warnings).toEqual([expect.stringMatching(new RegExp(`^${asin}: finished event left out`))]);
    await storage.close();
  });

  it('goes on without finish dates when the finished list cannot be fetched', async () => {
    const { fake, client } = await setup({ titles: 20, series: 3 });
    fake.state.queueFault({ status: 500, pathPrefix: '/1.0/stats/status/finished', times: 20 });
    const storage = createMemoryStorage();
    const report = await syncLibrary({ client, storage, ownerId: 'local' });
    expect(report.committed).toBe(true);
    expect(report.fetched.ownedTitles).toBe(20);
    expect(report.warnings).toEqual([expect.stringMatching(/^finish dates are unavailable: GET \/1\.0\/stats\/status\/finished failed with HTTP 500/)]);
    await storage.close();
  });

  it('a revoked device still fails the finished call (and the sync) with auth_failed', async () => {
    const { fake, client } = await setup({ titles: 5, series: 1 });
    fake.state.revokeAllDevices();
    const error = await fetchFinishedStates(client).catch((e: unknown) => e);
    expect(SagaSyncError.isInstance(error) && error.code).toBe('auth_failed');
  });
});

const privateKey = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

/** Libation's identity as AudibleApi's `IdentityJsonConverter` writes it, plaintext or encrypted. */
function libationIdentity(options: { encrypted: boolean; refreshToken?: string; accessToken?: string }) {
  const secret = (value: string) => (options.encrypted ? { Value: `AQAAANCMnd8BFdERjHoAwE/Cl+s=${value.length}`, IsEncrypted: true } : { Value: value });
  return {
    LocaleName: 'us',
    ExistingAccessToken: options.encrypted
      ? { TokenValue: 'AQAAANCMnd8BFdERjHoAwE/Cl+sBAAAA', Expires: '2026-12-01T10:00:00Z', IsEncrypted: true }
      : { TokenValue: options.accessToken ?? 'Atna|libation-access', Expires: '2026-12-01T10:00:00Z' },
    PrivateKey: secret(privateKey),
    AdpToken: secret('{enc:x}{key:y}'),
    RefreshToken: secret(options.refreshToken ?? 'Atnr|libation-refresh'),
    DeviceSerialNumber: 'LIBATIONSERIAL',
    DeviceType: 'A10KISP2GWF0E4',
    AmazonAccountId: 'amzn1.account.LIBATION',
    DeviceName: "Jane's Libation",
    StoreAuthenticationCookie: options.encrypted ? { Value: 'c2VjcmV0', IsEncrypted: true } : 'store-cookie',
    Cookies: [{ Key: 'session-id', Value: options.encrypted ? { Value: 'c2VjcmV0', IsEncrypted: true } : '123-456' }],
  };
}
const libationFile = (identity: unknown) => JSON.stringify({ Accounts: [{ AccountId: 'jane@example.com', AccountName: 'Jane', LibraryScan: true, DecryptKey: '', IdentityTokens: identity }] });

describe("Libation's AccountsSettings.json with encrypted tokens", () => {
  it('is refused, naming the Libation setting to change, and nothing of it is imported', () => {
    let error: unknown;
    try {
      importAuthFile(libationFile(libationIdentity({ encrypted: true })), { fileName: 'AccountsSettings.json' });
    } catch (caught) {
      error = caught;
    }
    expect(SagaSyncError.isInstance(error) && error.code).toBe('invalid_input');
    const e = error as SagaSyncError;
    expect(e.message).toMatch(/^AccountsSettings\.json: Libation stored the tokens of account "Jane" encrypted \(ExistingAccessToken, PrivateKey, AdpToken, \.\.\. marked "IsEncrypted"\)/);
    expect(e.details.hint).toMatch(/Settings > Important, untick "Store authentication tokens encrypted" \(TokenStorageMethod: Plaintext\)/);
    expect(e.message + String(e.details.hint)).not.toContain('AQAAANCM');
  });

  it('is refused even when only a cookie is encrypted', () => {
    const identity = { ...libationIdentity({ encrypted: false }), Cookies: [{ Key: 'x-main', Value: { Value: 'c2VjcmV0', IsEncrypted: true } }] };
    expect(() => importAuthFile(libationFile(identity))).toThrow(/encrypted \(Cookies\[0\]\.Value marked "IsEncrypted"\)/);
  });

  it('reads the plaintext form: secrets as {"Value": ...}, cookies and the store cookie as strings or objects', () => {
    const [plain] = importAuthFile(libationFile(libationIdentity({ encrypted: false })));
    expect(plain).toMatchObject({
      locale: 'us',
      accessToken: 'Atna|libation-access',
      refreshToken: 'Atnr|libation-refresh',
      adpToken: '{enc:x}{key:y}',
      devicePrivateKey: privateKey,
      deviceType: 'A10KISP2GWF0E4',
      deviceApp: 'android',
      websiteCookies: { 'session-id': '123-456' },
      storeAuthenticationCookie: 'store-cookie',
    });
    const objects = { ...libationIdentity({ encrypted: false }), StoreAuthenticationCookie: { Value: 'store-2' }, Cookies: [{ Key: 'a', Value: { Value: 'b', IsEncrypted: false } }, { Key: 'c', Value: null }] };
    const [again] = importAuthFile(libationFile(objects));
    expect(again).toMatchObject({ storeAuthenticationCookie: 'store-2', websiteCookies: { a: 'b' } });
  });
});

describe('device registration and refresh, as the reference clients do them', () => {
  it('registers with the `.amazon.<domain>` cookie domain, pre-Amazon username accounts included', async () => {
    fake = await startFake();
    for (const [locale, withUsername] of [['us', false], ['uk', true], ['de', true]] as const) {
      const login = createLoginRequest({ locale, withUsername, endpoints: endpointsOf(fake) });
      const landing = await fetch(login.url, { redirect: 'manual' });
      await registerDevice(login, parseMaplandingUrl(landing.headers.get('location')!), { endpoints: endpointsOf(fake) });
    }
    const domains = fake.state.authRequests.filter((r) => r.route === 'register').map((r) => (r.body.cookies as { domain: string }).domain);
    expect(domains).toEqual(['.amazon.com', '.amazon.co.uk', '.amazon.de']);
  });

  it("refreshes an account imported from Libation with Libation's Android app values, and our own with ours", async () => {
    fake = await startFake();
    // A device Libation registered (its Android app's device type), imported from its plaintext file.
    const { device } = fake.state.auth.register('LIBATIONSERIAL', 'A10KISP2GWF0E4');
    const [libation] = importAuthFile(libationFile(libationIdentity({ encrypted: false, refreshToken: device.refreshToken })));
    await clientFor(fake, { ...libation!, adpToken: device.adpToken, devicePrivateKey: device.privateKeyPem, expiresAt: 0 }).refresh();
    const ours = await signIn(fake);
    await clientFor(fake, ours).refresh();
    const refreshes = fake.state.authRequests.filter((r) => r.route === 'token');
    expect(refreshes.map((r) => [r.body.app_name, r.body.app_version, r.authDomain])).toEqual([
      ['com.audible.application', '2090253826', 'api.amazon.com'],
      ['Audible', '3.56.2', null],
    ]);
    // Credentials stored before `deviceApp` existed are told by their device type.
    await clientFor(fake, { ...libation!, deviceApp: null, expiresAt: 0 }).refresh();
    expect(fake.state.authRequests.at(-1)!.body.app_name).toBe('com.audible.application');
  });
});
