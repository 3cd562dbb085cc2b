import { SagaSyncError } from '@sagasync/core';

export type KeyDerivation = 'scrypt' | 'raw';

/** The parts of a `v1.<kdf>.<salt>.<iv>.<tag>.<ciphertext>` blob, every part base64url. */
export interface SealedBlob {
  kdf: KeyDerivation;
  /** Empty for `raw` keys, which need no salt. */
  salt: Buffer;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

const VERSION = 'v1';
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

export function formatBlob(blob: SealedBlob): string {
  return [VERSION, blob.kdf, ...[blob.salt, blob.iv, blob.tag, blob.ciphertext].map((part) => part.toString('base64url'))].join('.');
}

/**
 * The header every blob authenticates as GCM additional data, together with the credential's
 * name: changing the kdf, the salt or moving a blob to another name fails decryption.
 */
export function associatedData(kdf: KeyDerivation, salt: Buffer, name: string): Buffer {
  return Buffer.from(`${VERSION}.${kdf}.${salt.toString('base64url')}\n${name}`, 'utf8');
}

export function parseBlob(text: string, name: string): SealedBlob {
  const parts = text.split('.');
  if (parts[0] !== VERSION) {
    throw new SagaSyncError('unsupported_format', `credential "${name}" uses a blob format this version of sagasync cannot read; upgrade sagasync`, {
      details: { location: name },
    });
  }
  const [, kdf, salt, iv, tag, ciphertext] = parts;
  const base64url = /^[A-Za-z0-9_-]*$/;
  const wellFormed =
    parts.length === 6 && (kdf === 'scrypt' || kdf === 'raw') && [salt, iv, tag, ciphertext].every((part) => part !== undefined && base64url.test(part));
  const blob = wellFormed
    ? {
        kdf: kdf as KeyDerivation,
        salt: Buffer.from(salt!, 'base64url'),
        iv: Buffer.from(iv!, 'base64url'),
        tag: Buffer.from(tag!, 'base64url'),
        ciphertext: Buffer.from(ciphertext!, 'base64url'),
      }
    : null;
  if (!blob || blob.iv.length !== IV_BYTES || blob.tag.length !== TAG_BYTES || (blob.kdf === 'scrypt') !== blob.salt.length > 0) {
    throw new SagaSyncError('auth_failed', `credential "${name}" is damaged: its stored blob is not a valid v1 blob`, { details: { location: name } });
  }
  return blob;
}
