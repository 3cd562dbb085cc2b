import { scrypt } from 'node:crypto';
import { SagaSyncError } from '@sagasync/core';

/** AES-256 needs 32 bytes of key. */
export const KEY_BYTES = 32;

/**
 * scrypt cost for passphrases: N = 2^15, r = 8 (32 MiB, ~0.1 s), OWASP's floor for scrypt. The
 * parameters are part of the `v1` blob format; changing them means a new format version.
 */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

/** Derives a 32-byte key from a passphrase and a salt (stored in each blob) with scrypt. */
export function deriveKeyFromPassphrase(passphrase: string, salt: Uint8Array): Promise<Buffer> {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    return Promise.reject(new SagaSyncError('invalid_input', 'the credential passphrase must not be empty', { details: { location: 'key.passphrase' } }));
  }
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, KEY_BYTES, SCRYPT, (error, key) => {
      if (error) reject(new SagaSyncError('internal', `could not derive the credential key: ${error.message}`, { cause: error }));
      else resolve(key);
    });
  });
}

/**
 * Decodes a raw 32-byte secret (the app's `SAGASYNC_SECRET`), given as 64 hex characters or as
 * base64 / base64url. The message never repeats the secret.
 */
export function keyFromSecret(secret: string): Buffer {
  const text = typeof secret === 'string' ? secret.trim() : '';
  const key = /^[0-9a-fA-F]{64}$/.test(text)
    ? Buffer.from(text, 'hex')
    : /^[A-Za-z0-9+/_-]{43}={0,1}$/.test(text)
    ? Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
    : null;
  if (!key || key.length !== KEY_BYTES) {
    throw new SagaSyncError(
      'invalid_input',
      'the secret key must be 32 random bytes, written as 64 hex characters or as base64 (e.g. `openssl rand -base64 32`)',
      {
        details: { location: 'key.secret' },
      },
    );
  }
  return key;
}
