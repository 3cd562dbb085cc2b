import { createHash, randomBytes } from 'node:crypto';

/** API tokens read `ssk_` and 43 base64url characters (32 random bytes): recognisable in a leak scan. */
const TOKEN_PREFIX = 'ssk_';

export function newApiToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** What the directory keeps of a token: its hex SHA-256 (the token has 256 bits, so no slow hash is needed). */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A Standard Webhooks signing secret: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
