import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SagaSyncError, type StoragePort } from '@sagasync/core';
import { parseOwnerId } from '../batch/parse-operations.js';
import { associatedData, formatBlob, IV_BYTES, parseBlob, type KeyDerivation } from './blob-format.js';
import { deriveKeyFromPassphrase, keyFromSecret } from './keys.js';

export { deriveKeyFromPassphrase, keyFromSecret } from './keys.js';

/** A passphrase (stretched with scrypt, salt in each blob) or a raw 32-byte secret such as `SAGASYNC_SECRET`. */
export type CredentialKey = { passphrase: string } | { secret: string };

export interface CredentialVaultOptions {
  storage: StoragePort;
  ownerId: string;
  key: CredentialKey;
  /** Clock for `updatedAt`; tests pin it. */
  now?: () => Date;
}

/** Secrets (Audible tokens, a Notion token) encrypted before they reach the store. */
export interface CredentialVault {
  put(name: string, secret: unknown): Promise<void>;
  /** The decrypted secret, or null when there is none under `name`. */
  get(name: string): Promise<unknown>;
  delete(name: string): Promise<void>;
  list(): Promise<string[]>;
}

const SALT_BYTES = 16;

/** Seals and opens credential blobs under one key, with no store: the vault's cipher, and `store copy --reencrypt`'s. */
export interface CredentialSealer {
  /** The blob for `secret` under `name` (the name is bound in, so a blob moved to another name fails to open). */
  seal(name: string, secret: unknown): Promise<string>;
  /** The secret in a blob; `auth_failed` for a wrong key, another kind of key, or an altered blob. */
  open(name: string, blob: string): Promise<unknown>;
}

/**
 * Encrypts with AES-256-GCM: a blob reads `v1.<kdf>.<salt>.<iv>.<tag>.<ciphertext>`. A wrong key,
 * a tampered blob or a blob moved to another name all fail with `auth_failed`.
 */
export function createCredentialSealer(key: CredentialKey): CredentialSealer {
  const kdf: KeyDerivation = 'passphrase' in key ? 'scrypt' : 'raw';
  const rawKey = 'secret' in key ? keyFromSecret(key.secret) : null;
  // scrypt is slow on purpose; derive once per salt. New blobs of this sealer share one salt.
  const derived = new Map<string, Promise<Buffer>>();
  const writeSalt = kdf === 'scrypt' ? randomBytes(SALT_BYTES) : Buffer.alloc(0);

  function keyFor(salt: Buffer): Promise<Buffer> {
    if (rawKey) return Promise.resolve(rawKey);
    const id = salt.toString('base64url');
    let pending = derived.get(id);
    if (!pending) {
      pending = deriveKeyFromPassphrase((key as { passphrase: string }).passphrase, salt);
      derived.set(id, pending);
    }
    return pending;
  }

  return {
    async seal(name, secret) {
      checkName(name);
      const plaintext = JSON.stringify(secret);
      if (plaintext === undefined) {
        throw new SagaSyncError('invalid_input', `credential "${name}" must be a JSON value`, { details: { location: name } });
      }
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', await keyFor(writeSalt), iv);
      cipher.setAAD(associatedData(kdf, writeSalt, name));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return formatBlob({ kdf, salt: writeSalt, iv, tag: cipher.getAuthTag(), ciphertext });
    },

    async open(name, text) {
      checkName(name);
      const blob = parseBlob(text, name);
      if (blob.kdf !== kdf) {
        const savedWith = blob.kdf === 'scrypt' ? 'a passphrase' : 'a secret key';
        const given = kdf === 'scrypt' ? 'a passphrase' : 'a secret key';
        throw new SagaSyncError('auth_failed', `cannot decrypt credential "${name}": it was saved with ${savedWith}, but ${given} was given`, {
          details: { location: name },
        });
      }
      const decipher = createDecipheriv('aes-256-gcm', await keyFor(blob.salt), blob.iv);
      decipher.setAAD(associatedData(blob.kdf, blob.salt, name));
      decipher.setAuthTag(blob.tag);
      let plaintext: string;
      try {
        plaintext = Buffer.concat([decipher.update(blob.ciphertext), decipher.final()]).toString('utf8');
      } catch {
        // GCM cannot tell a wrong key from an altered blob; say both, and never echo contents.
        throw new SagaSyncError(
          'auth_failed',
          `cannot decrypt credential "${name}": the passphrase or secret key differs from the one it was saved with, or the stored blob was altered`,
          { details: { location: name, hint: 'use the key the credential was saved with, or save the credential again' } },
        );
      }
      return JSON.parse(plaintext) as unknown;
    },
  };
}

/** Secrets kept in the store, sealed with `createCredentialSealer` before they reach it. */
export function createCredentialVault(options: CredentialVaultOptions): CredentialVault {
  const { storage } = options;
  const ownerId = parseOwnerId(options.ownerId);
  const now = options.now ?? (() => new Date());
  const sealer = createCredentialSealer(options.key);

  return {
    async put(name, secret) {
      const blob = await sealer.seal(name, secret);
      await storage.applyBatch(ownerId, [{ op: 'putCredential', value: { name, ciphertext: blob, updatedAt: now().toISOString() } }]);
    },

    async get(name) {
      checkName(name);
      const stored = await storage.getCredential(ownerId, name);
      return stored ? sealer.open(name, stored.ciphertext) : null;
    },

    async delete(name) {
      checkName(name);
      await storage.applyBatch(ownerId, [{ op: 'deleteCredential', name }]);
    },

    async list() {
      return storage.listCredentialNames(ownerId).then((page) => page.items);
    },
  };
}

function checkName(name: string): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new SagaSyncError('invalid_input', 'a credential name must be a non-empty string', { details: { location: 'name' } });
  }
}
