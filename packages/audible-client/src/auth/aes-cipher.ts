import { createDecipheriv, pbkdf2Sync } from 'node:crypto';

const BLOCK = 16;
const SALT_MARKER = 0x24; // '$'

/**
 * Decrypts an auth file written by mkb79's `AESCipher` (audible-cli's password-encrypted form):
 * the 16-byte salt block is `$` + iterations (big-endian uint16) + `$` + 12 random bytes; the key
 * is PBKDF2-HMAC-SHA256(password, those 12 bytes, iterations) of 32 bytes; the data is
 * AES-256-CBC with PKCS#7 padding. Throws on a wrong password (the padding check fails).
 */
export function decryptAesCipher(password: string, salt: Buffer, iv: Buffer, ciphertext: Buffer): string {
  let iterations = 1000;
  let rawSalt = salt;
  // A salt without the header was made with the default iteration count.
  if (salt.length === BLOCK && salt[0] === SALT_MARKER && salt[3] === SALT_MARKER) {
    iterations = salt.readUInt16BE(1);
    rawSalt = salt.subarray(4);
  }
  const key = pbkdf2Sync(password, rawSalt, Math.min(iterations, 65_535), 32, 'sha256');
  const decipher = createDecipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
}

/** The `bytes` form: salt block, IV block, then ciphertext. */
export function decryptAesCipherBytes(password: string, data: Buffer): string {
  return decryptAesCipher(password, data.subarray(0, BLOCK), data.subarray(BLOCK, 2 * BLOCK), data.subarray(2 * BLOCK));
}
