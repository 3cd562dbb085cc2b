import { SagaSyncError, type DirectoryPort, type StoragePort, type User } from '@sagasync/core';
import type { CredentialSealer } from '@sagasync/storage';
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
 */
export async function verifyWebhook(options: {
  directory: DirectoryPort;
  storage: StoragePort;
  sealer: CredentialSealer;
  user: User;
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  now: Date;
}): Promise<void> {
  const { user, now } = options;
  const sealed = await options.directory.getWebhookSecret(user.id);
  if (!sealed) throw new SagaSyncError('auth_failed', 'this user has no webhook secret; make one with `sagasync-server user webhook-secret <name>`');
  const secret = String(await options.sealer.open(webhookSecretName(user.id), sealed));
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
    new Webhook(secret).verify(options.rawBody, { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature }, { jsonParse: false });
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
}
