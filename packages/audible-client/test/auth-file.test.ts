import { createCipheriv, generateKeyPairSync, pbkdf2Sync, randomBytes } from 'node:crypto';
import { SagaSyncError } from '@sagasync/core';
import { createCredentialVault, createMemoryStorage } from '@sagasync/storage';
import { describe, expect, it } from 'vitest';
import { createAudibleAccounts, importAuthFile, summarizeAccount, type SecretStore } from '../src/index.js';

const privateKey = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

/** What audible-cli writes for `audible quickstart` (mkb79 `Authenticator.to_dict()`), values invented. */
const plainAuth = {
  website_cookies: { 'session-id': '123-456', 'x-main': 'abc' },
  adp_token: '{enc:AAAA}{key:BBBB}{iv:CCCC}{name:QURQVG9rZW4=}{serial:Mg==}',
  access_token: 'Atna|test-access',
  refresh_token: 'Atnr|test-refresh',
  device_private_key: privateKey,
  store_authentication_cookie: { cookie: 'store-cookie' },
  device_info: { device_name: "Jane's Audible for iPhone", device_serial_number: 'ABCDEF0123456789ABCDEF0123456789', device_type: 'A2CZJZGLK2JJVM' },
  customer_info: { account_pool: 'Amazon', user_id: 'amzn1.account.TESTUSER', home_region: 'EU', name: 'Jane Doe', given_name: 'Jane' },
  expires: 1_790_000_000.123,
  locale_code: 'de',
  with_username: false,
  activation_bytes: null,
};

/**
 * Encrypts the way mkb79's AESCipher does (the reference's description, written independently of
 * the decryptor): salt block `$` + uint16 BE iterations + `$` + 12 random bytes; key =
 * PBKDF2-HMAC-SHA256(password, the 12 bytes, iterations, 32 bytes); AES-256-CBC, PKCS#7.
 */
function aesCipherEncrypt(plaintext: string, password: string, iterations = 1000): { salt: Buffer; iv: Buffer; ciphertext: Buffer } {
  const random = randomBytes(12);
  const header = Buffer.alloc(4);
  header.write('$', 0, 'ascii');
  header.writeUInt16BE(iterations, 1);
  header.write('$', 3, 'ascii');
  const key = pbkdf2Sync(password, random, iterations, 32, 'sha256');
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return { salt: Buffer.concat([header, random]), iv, ciphertext: Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]) };
}

describe('importing an audible-cli auth file', () => {
  it('reads the plain JSON form', () => {
    const [credentials] = importAuthFile(JSON.stringify(plainAuth, null, 4));
    expect(credentials).toMatchObject({
      locale: 'de',
      accessToken: 'Atna|test-access',
      refreshToken: 'Atnr|test-refresh',
      adpToken: plainAuth.adp_token,
      devicePrivateKey: privateKey,
      deviceSerial: 'ABCDEF0123456789ABCDEF0123456789',
      customerId: 'amzn1.account.TESTUSER',
      customerName: 'Jane Doe',
      expiresAt: 1_790_000_000_123,
      storeAuthenticationCookie: 'store-cookie',
    });
    expect(summarizeAccount(credentials!)).toEqual({
      name: 'audible:de:amzn1.account.TESTUSER',
      locale: 'de',
      customerId: 'amzn1.account.TESTUSER',
      customerName: 'Jane Doe',
      deviceName: "Jane's Audible for iPhone",
      signed: true,
      accessTokenExpiresAt: new Date(1_790_000_000_123).toISOString(),
    });
  });

  it('decrypts the password-encrypted JSON form', () => {
    const { salt, iv, ciphertext } = aesCipherEncrypt(JSON.stringify(plainAuth), 'correct horse', 1500);
    const file = JSON.stringify({ salt: salt.toString('base64'), iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64'), info: 'base64-encoded AES-CBC-256 of JSON object' });
    const [credentials] = importAuthFile(file, { password: 'correct horse' });
    expect(credentials!.refreshToken).toBe('Atnr|test-refresh');
    expect(credentials!.devicePrivateKey).toBe(privateKey);
  });

  it('decrypts the bytes form (salt, iv, ciphertext)', () => {
    const { salt, iv, ciphertext } = aesCipherEncrypt(JSON.stringify(plainAuth), 'pw');
    const [credentials] = importAuthFile(Buffer.concat([salt, iv, ciphertext]), { password: 'pw' });
    expect(credentials!.accessToken).toBe('Atna|test-access');
  });

  it('asks for the password, and says when it is wrong, without echoing the file', () => {
    const { salt, iv, ciphertext } = aesCipherEncrypt(JSON.stringify(plainAuth), 'right');
    const file = JSON.stringify({ salt: salt.toString('base64'), iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64') });
    expect(() => importAuthFile(file, { fileName: 'audible.json' })).toThrow(/audible.json: this audible-cli auth file is encrypted/);
    let error: unknown;
    try {
      importAuthFile(file, { password: 'wrong', fileName: 'audible.json' });
    } catch (e) {
      error = e;
    }
    expect(SagaSyncError.isInstance(error) && error.code).toBe('invalid_input');
    expect((error as Error).message).toMatch(/wrong password/);
    expect((error as Error).message).not.toContain(ciphertext.toString('base64').slice(0, 12));
  });

  it('requires a known marketplace and rejects other JSON', () => {
    expect(() => importAuthFile(JSON.stringify({ ...plainAuth, locale_code: 'xx' }))).toThrow(/unknown marketplace/);
    const [fallback] = importAuthFile(JSON.stringify({ ...plainAuth, locale_code: undefined }), { defaultLocale: 'uk' });
    expect(fallback!.locale).toBe('uk');
    expect(() => importAuthFile('{"hello": 1}')).toThrow(/not an audible-cli or Libation auth file/);
  });
});

describe("importing Libation's AccountsSettings.json", () => {
  it('reads every signed-in account with its locale', () => {
    const identity = (locale: string, id: string) => ({
      LocaleName: locale,
      ExistingAccessToken: { TokenValue: `Atna|${id}`, Expires: '2026-12-01T10:00:00.0000000Z' },
      PrivateKey: { Value: privateKey },
      AdpToken: { Value: '{enc:x}{key:y}' },
      RefreshToken: { Value: `Atnr|${id}` },
      Cookies: [{ Key: 'session-id', Value: 'v' }],
      DeviceSerialNumber: 'SERIAL',
      DeviceType: 'A10KISP2GWF0E4',
      AmazonAccountId: `amzn1.account.${id}`,
      DeviceName: 'Libation',
    });
    const file = {
      Accounts: [
        { AccountId: 'a@example.com', AccountName: 'Main', LibraryScan: true, IdentityTokens: identity('us', 'ONE') },
        { AccountId: 'b@example.com', AccountName: 'Old', IdentityTokens: identity('pre-amazon - uk', 'TWO') },
        { AccountId: 'c@example.com', AccountName: 'Never signed in', IdentityTokens: null },
      ],
    };
    const accounts = importAuthFile(JSON.stringify(file));
    expect(accounts.map((a) => [a.locale, a.withUsername, a.customerId, a.expiresAt])).toEqual([
      ['us', false, 'amzn1.account.ONE', Date.parse('2026-12-01T10:00:00Z')],
      ['uk', true, 'amzn1.account.TWO', Date.parse('2026-12-01T10:00:00Z')],
    ]);
    expect(accounts[0]!.websiteCookies).toEqual({ 'session-id': 'v' });
  });
});

describe('accounts over a secret store', () => {
  function mapStore(): SecretStore & { map: Map<string, unknown> } {
    const map = new Map<string, unknown>();
    return {
      map,
      get: async (n) => map.get(n) ?? null,
      put: async (n, v) => void map.set(n, v),
      delete: async (n) => void map.delete(n),
      list: async () => [...map.keys()],
    };
  }

  it('keeps several accounts and marketplaces, resolves one, and lists no secrets', async () => {
    const store = mapStore();
    store.map.set('notion', 'not audible');
    const accounts = createAudibleAccounts(store);
    const [de] = importAuthFile(JSON.stringify(plainAuth));
    const us = { ...de!, locale: 'us' as const };
    expect(await accounts.save(de!)).toBe('audible:de:amzn1.account.TESTUSER');
    await accounts.save(us);
    const listed = await accounts.list();
    expect(listed.map((a) => a.name)).toEqual(['audible:de:amzn1.account.TESTUSER', 'audible:us:amzn1.account.TESTUSER']);
    expect(JSON.stringify(listed)).not.toMatch(/Atn[ar]\||PRIVATE KEY|enc:/);
    expect((await accounts.resolve({ locale: 'us' })).credentials.locale).toBe('us');
    await expect(accounts.resolve()).rejects.toThrow(/Several Audible accounts/);
    await expect(accounts.resolve({ locale: 'fr' })).rejects.toThrow(/No Audible account on fr/);
    await accounts.remove('audible:de:amzn1.account.TESTUSER');
    expect((await accounts.resolve()).name).toBe('audible:us:amzn1.account.TESTUSER');
  });

  it("works over @sagasync/storage's encrypted credential vault: the store holds only ciphertext", async () => {
    const storage = createMemoryStorage();
    const accounts = createAudibleAccounts(createCredentialVault({ storage, ownerId: 'local', key: { secret: 'ab'.repeat(32) } }));
    const [credentials] = importAuthFile(JSON.stringify(plainAuth));
    const name = await accounts.save(credentials!);
    expect(await accounts.load(name)).toEqual(credentials);
    const blob = await storage.getCredential('local', name);
    expect(blob?.ciphertext).toBeTruthy();
    expect(blob!.ciphertext).not.toContain('Atnr|');
    expect(blob!.ciphertext).not.toContain('PRIVATE KEY');
    await storage.close();
  });
});
