import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks `X-Notion-Signature: sha256=<hex>`, an HMAC-SHA256 of the raw body bytes keyed with the
 * subscription's verification token. Compare over the raw body: re-serialised JSON would differ.
 */
export function verifyNotionSignature(body: string | Uint8Array, signatureHeader: string | null | undefined, verificationToken: string): boolean {
  if (!signatureHeader || !verificationToken) return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(signatureHeader.trim());
  if (!match) return false;
  const expected = createHmac('sha256', verificationToken).update(body).digest();
  const given = Buffer.from(match[1]!, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The header value Notion would send for `body`; for tests and local tools. */
export function signNotionPayload(body: string | Uint8Array, verificationToken: string): string {
  return `sha256=${createHmac('sha256', verificationToken).update(body).digest('hex')}`;
}
