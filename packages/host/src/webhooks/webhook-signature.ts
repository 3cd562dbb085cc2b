import { SagaSyncError, type StoragePort, type User } from '@sagasync/core';
import type { CredentialSealer } from '@sagasync/storage';
import { LRUCache } from 'lru-cache';
import { Webhook } from 'standardwebhooks';

/** How long a `webhook-id` is remembered: past the 5 minutes a timestamp may be off, either way. */
const REPLAY_WINDOW_MS = 10 * 60_000;

/** The name a user's webhook secret is sealed under (the name is bound into the blob). */
export const webhookSecretName = (userId: string) => `webhook-secret:${userId}`;

/**
 * Checks a Standard Webhooks signature (`webhook-id`, `webhook-timestamp`, `webhook-signature`)
 * over the raw body with the user's secret: a bad signature, or a timestamp more than 5 minutes
 * off, is `auth_failed` (401); a `webhook-id` seen before is `already_exists` (409), remembered as
 * an expiring record of the user's store, so a replay is refused on every instance.
 *
 * Returns `release`, which forgets the id: a sender resends a message it saw fail with the same
 * `webhook-id`, so a delivery that was not applied (the route failed) must not make its own
 * retry look like a replay.
 */
export async function verifyWebhook(options: {
  storage: StoragePort;
  sealer: CredentialSealer;
  user: User;
  /** The user's sealed secret as the directory has it now (`TokenOwner.webhookSecret`). */
  sealedSecret: string | null;
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  now: Date;
}): Promise<{ release: () => Promise<void> }> {
  const { user, now, sealedSecret: sealed } = options;
  if (!sealed) throw new SagaSyncError('auth_failed', 'this user has no webhook secret; make one with `sagasync-server user webhook-secret <name>`');
  const header = (name: string) => {
    const value = options.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const id = header('webhook-id');
  const timestamp = header('webhook-timestamp');
  const signature = header('webhook-signature');
  if (!id || !timestamp || !signature) {
    const missing = !id ? 'webhook-id' : !timestamp ? 'webhook-timestamp' : 'webhook-signature';
    throw new SagaSyncError('auth_failed', `the webhook is not signed: the ${missing} header is missing`, { details: { location: `headers.${missing}` } });
  }
  const sentMs = Number(timestamp) * 1000;
  if (!Number.isFinite(sentMs) || Math.abs(now.getTime() - sentMs) > 5 * 60_000) {
    throw new SagaSyncError('auth_failed', 'the webhook timestamp is more than 5 minutes off', { details: { location: 'headers.webhook-timestamp' } });
  }
  try {
    (await verifierFor(options.sealer, user.id, sealed)).verify(options.rawBody, { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature }, { jsonParse: false });
  } catch {
    // Whatever the library found wrong (signature, its own clock check), the sender must sign again.
    throw new SagaSyncError('auth_failed', 'the webhook signature does not match the body', { details: { location: 'headers.webhook-signature' } });
  }
  const { stored } = await options.storage.putExpiring(
    user.id,
    { kind: 'webhook-id', key: id, value: null, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + REPLAY_WINDOW_MS).toISOString() },
    { ifAbsent: true, now },
  );
  if (!stored) throw new SagaSyncError('already_exists', `webhook ${id} was received already`, { details: { location: 'headers.webhook-id' } });
  return { release: async () => void (await options.storage.applyBatch(user.id, [{ op: 'deleteExpiring', kind: 'webhook-id', key: id }])) };
}

/**
 * Opened secrets by their sealed form: opening costs a key derivation and a decryption per request
 * otherwise. Keyed by the ciphertext read on this request, so a rotated or removed secret is never
 * served from here (its new ciphertext misses).
 */
const verifiers = new LRUCache<string, Webhook>({ max: 1_000 });

async function verifierFor(sealer: CredentialSealer, userId: string, sealed: string): Promise<Webhook> {
  const cacheKey = `${userId}\u0000${sealed}`;
  const cached = verifiers.get(cacheKey);
  if (cached) return cached;
  const verifier = new Webhook(String(await sealer.open(webhookSecretName(userId), sealed)));
  verifiers.set(cacheKey, verifier);
  return verifier;
}
