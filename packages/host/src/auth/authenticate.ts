import { SagaSyncError, type DirectoryPort, type TokenOwner } from '@sagasync/core';
import { hashApiToken } from './tokens.js';

/** A token's last use is recorded at most this often: a write per request would cost more than the request. */
const TOUCH_EVERY_MS = 60_000;

/**
 * The user an `Authorization: Bearer <token>` header names, or `auth_failed` (401). Tokens are
 * looked up by their SHA-256, so the token itself is never stored or compared as text; an expired
 * token is refused like an unknown one, without saying which. The answer carries the user's sealed
 * webhook secret, so a signed webhook needs no second lookup.
 */
export async function authenticate(directory: DirectoryPort, header: string | undefined, now: Date): Promise<TokenOwner> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) {
    throw new SagaSyncError('auth_failed', header ? 'the Authorization header must be "Bearer <token>"' : 'this route needs an API token: send "Authorization: Bearer <token>"', {
      details: { location: 'headers.authorization' },
    });
  }
  const found = await directory.findUserByTokenHash(hashApiToken(match[1]!));
  if (!found || (found.token.expiresAt !== null && Date.parse(found.token.expiresAt) <= now.getTime())) {
    throw new SagaSyncError('auth_failed', 'the API token is not valid (unknown, revoked or expired)', { details: { location: 'headers.authorization' } });
  }
  const last = found.token.lastUsedAt ? Date.parse(found.token.lastUsedAt) : Number.NEGATIVE_INFINITY;
  if (now.getTime() - last >= TOUCH_EVERY_MS) await directory.touchApiToken(found.token.id, now);
  return found;
}
