import { randomBytes } from 'node:crypto';
import { SagaSyncError, type StoragePort } from '@sagasync/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../memory/memory-storage.js';
import { createCredentialVault, deriveKeyFromPassphrase, keyFromSecret, type CredentialKey } from './vault.js';

const OWNER = 'local';
const SECRET = randomBytes(32).toString('base64');
const TOKENS = { accessToken: 'Atna|plain-access-token-4242', refreshToken: 'Atnr|plain-refresh-token-1717', expiresAt: '2030-01-01T00:00:00.000Z' };

async function failure(action: Promise<unknown>): Promise<SagaSyncError> {
  const error = await action.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(SagaSyncError.isInstance(error)).toBe(true);
  return error as SagaSyncError;
}

async function storedBlob(storage: StoragePort, name: string): Promise<string> {
  return (await storage.getCredential(OWNER, name))!.ciphertext;
}

async function replaceBlob(storage: StoragePort, name: string, blob: string): Promise<void> {
  await storage.applyBatch(OWNER, [{ op: 'putCredential', value: { name, ciphertext: blob, updatedAt: '2024-01-01T00:00:00.000Z' } }]);
}

describe('credential vault', () => {
  let storage: StoragePort;
  beforeEach(() => {
    storage = createMemoryStorage();
  });

  const keys: [string, CredentialKey][] = [
    ['a raw secret', { secret: SECRET }],
    ['a passphrase', { passphrase: 'correct horse battery staple' }],
  ];
  for (const [label, key] of keys) {
    it(`round-trips JSON secrets with ${label}, in the v1 blob format`, async () => {
      const vault = createCredentialVault({ storage, ownerId: OWNER, key, now: () => new Date('2024-05-06T07:08:09.000Z') });
      await vault.put('audible:us:me@example.com', TOKENS);
      await vault.put('notion', 'secret_plain-notion-token');
      expect(await vault.get('audible:us:me@example.com')).toEqual(TOKENS);
      expect(await vault.get('notion')).toBe('secret_plain-notion-token');
      expect(await vault.get('missing')).toBeNull();
      expect((await vault.list()).sort()).toEqual(['audible:us:me@example.com', 'notion']);

      const stored = await storage.getCredential(OWNER, 'notion');
      expect(stored?.updatedAt).toBe('2024-05-06T07:08:09.000Z');
      const parts = stored!.ciphertext.split('.');
      expect(parts).toHaveLength(6);
      expect(parts.slice(0, 2)).toEqual(['v1', 'passphrase' in key ? 'scrypt' : 'raw']);
      expect(parts.slice(2).every((part) => /^[A-Za-z0-9_-]*$/.test(part))).toBe(true);

      // A second vault with the same key (a later process) reads what the first wrote.
      expect(await createCredentialVault({ storage, ownerId: OWNER, key }).get('audible:us:me@example.com')).toEqual(TOKENS);

      await vault.delete('notion');
      expect(await vault.list()).toEqual(['audible:us:me@example.com']);
    });
  }

  it('never stores the plaintext, in clear or in base64', async () => {
    const vault = createCredentialVault({ storage, ownerId: OWNER, key: { secret: SECRET } });
    await vault.put('audible', TOKENS);
    const blob = await storedBlob(storage, 'audible');
    for (const plain of [TOKENS.accessToken, 'plain-refresh-token', JSON.stringify(TOKENS)]) {
      expect(blob).not.toContain(plain);
      expect(blob).not.toContain(Buffer.from(plain).toString('base64url'));
    }
    // Two puts of the same secret differ (fresh IV), so equal secrets are not recognisable.
    await vault.put('audible-2', TOKENS);
    expect((await storedBlob(storage, 'audible-2')).split('.')[5]).not.toBe(blob.split('.')[5]);
  });

  it('fails with auth_failed and a clear message on a wrong key, without echoing the secret', async () => {
    await createCredentialVault({ storage, ownerId: OWNER, key: { passphrase: 'right one' } }).put('notion', TOKENS);
    await createCredentialVault({ storage, ownerId: OWNER, key: { secret: SECRET } }).put('audible', TOKENS);

    const wrongPassphrase = await failure(createCredentialVault({ storage, ownerId: OWNER, key: { passphrase: 'wrong one' } }).get('notion'));
    expect(wrongPassphrase.code).toBe('auth_failed');
    expect(wrongPassphrase.message).toMatch(/cannot decrypt credential "notion": the passphrase or secret key differs/);

    const otherSecret = randomBytes(32).toString('hex');
    const wrongSecret = await failure(createCredentialVault({ storage, ownerId: OWNER, key: { secret: otherSecret } }).get('audible'));
    expect(wrongSecret.code).toBe('auth_failed');

    const wrongKind = await failure(createCredentialVault({ storage, ownerId: OWNER, key: { secret: SECRET } }).get('notion'));
    expect(wrongKind.code).toBe('auth_failed');
    expect(wrongKind.message).toContain('saved with a passphrase, but a secret key was given');

    for (const error of [wrongPassphrase, wrongSecret, wrongKind]) {
      const text = `${error.message} ${JSON.stringify(error.details)}`;
      expect(text).not.toContain('plain-access-token');
      expect(text).not.toContain('right one');
      expect(text).not.toContain(SECRET);
    }
  });

  it('detects tampering with any part of the blob, and a blob moved to another name', async () => {
    const vault = createCredentialVault({ storage, ownerId: OWNER, key: { passphrase: 'tamper test' } });
    await vault.put('audible', TOKENS);
    const parts = (await storedBlob(storage, 'audible')).split('.');
    const flip = (text: string) => (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
    for (const index of [2, 3, 4, 5]) {
      const tampered = parts.map((part, i) => (i === index ? flip(part) : part)).join('.');
      await replaceBlob(storage, 'audible', tampered);
      expect((await failure(vault.get('audible'))).code).toBe('auth_failed');
    }
    await replaceBlob(storage, 'audible', parts.slice(0, 5).join('.'));
    expect((await failure(vault.get('audible'))).message).toContain('is damaged');

    await replaceBlob(storage, 'notion', parts.join('.'));
    expect((await failure(vault.get('notion'))).code).toBe('auth_failed');

    await replaceBlob(storage, 'audible', ['v9', ...parts.slice(1)].join('.'));
    expect((await failure(vault.get('audible'))).code).toBe('unsupported_format');

    await replaceBlob(storage, 'audible', parts.join('.'));
    expect(await vault.get('audible')).toEqual(TOKENS);
  });

  it('rejects values that are not JSON and empty names', async () => {
    const vault = createCredentialVault({ storage, ownerId: OWNER, key: { secret: SECRET } });
    expect((await failure(vault.put('x', undefined))).code).toBe('invalid_input');
    expect((await failure(vault.put('', 'value'))).code).toBe('invalid_input');
    expect(await vault.list()).toEqual([]);
  });
});

describe('credential keys', () => {
  it('keyFromSecret accepts 32 bytes as hex, base64 or base64url', () => {
    const bytes = randomBytes(32);
    for (const text of [bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url'), ` ${bytes.toString('base64')}\n`]) {
      expect(keyFromSecret(text).equals(bytes)).toBe(true);
    }
  });

  it('keyFromSecret rejects other lengths without repeating the secret', () => {
    for (const text of ['too-short', randomBytes(16).toString('hex'), randomBytes(48).toString('base64'), '']) {
      let error: unknown;
      try {
        keyFromSecret(text);
      } catch (caught) {
        error = caught;
      }
      expect(SagaSyncError.isInstance(error) && error.code).toBe('invalid_input');
      if (text) expect((error as Error).message).not.toContain(text);
    }
  });

  it('deriveKeyFromPassphrase is deterministic per salt and differs across salts', async () => {
    const salt = randomBytes(16);
    const first = await deriveKeyFromPassphrase('passphrase', salt);
    expect(first).toHaveLength(32);
    expect((await deriveKeyFromPassphrase('passphrase', salt)).equals(first)).toBe(true);
    expect((await deriveKeyFromPassphrase('passphrase', randomBytes(16))).equals(first)).toBe(false);
    expect((await deriveKeyFromPassphrase('other', salt)).equals(first)).toBe(false);
    await expect(deriveKeyFromPassphrase('', salt)).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
