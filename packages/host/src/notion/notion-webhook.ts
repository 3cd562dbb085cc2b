import { notionWebhookRoute, respond, type ApiContext, type RouteResult } from '@sagasync/api';
import { SagaSyncError, type DirectoryPort, type StoragePort, type User } from '@sagasync/core';
import type { NotionConnections } from './notion-connection.js';

/** Where Notion posts; the segment names the connection (see `notion-connection.ts`). */
export const NOTION_WEBHOOK_PATH = '/webhook/notion';
/** Where a user makes, reads and removes their connection, with their API token. */
export const NOTION_CONNECTION_PATH = '/api/notion/webhook';

/** Notion retries a delivery that failed; an event id is remembered this long so it is applied once. */
const EVENT_TTL_MS = 24 * 60 * 60_000;
const EVENT_KIND = 'notion-event';

export interface NotionWebhookDeps {
  connections: NotionConnections;
  directory: DirectoryPort;
  storage: StoragePort;
  /** The api context of a request made for `user` (the same the dispatcher builds). */
  contextFor: (user: User) => ApiContext;
}

export interface NotionDelivery {
  /** The URL's last segment. */
  segment: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body's bytes, which the signature is over. */
  rawBody: Buffer | undefined;
  /** The parsed body. */
  body: unknown;
  now: Date;
}

// One answer for every way a URL can be wrong, so the answer says nothing about which users exist.
const unknownUrl = () =>
  new SagaSyncError('auth_failed', `this Notion webhook URL is not registered (or was replaced); make one with POST ${NOTION_CONNECTION_PATH}`, { details: { location: 'path' } });

const header = (headers: NotionDelivery['headers'], name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * A delivery of Notion's webhook: the handshake's verification token is kept; an event must be
 * signed with it (`X-Notion-Signature`, HMAC-SHA256 of the raw body), is applied once per event id
 * across instances, and goes to the api's `notionWebhook` route as the connection's owner (which
 * answers `config_missing` when that user has no Notion connected).
 */
export async function receiveNotionWebhook(deps: NotionWebhookDeps, delivery: NotionDelivery): Promise<RouteResult<unknown>> {
  const { connections } = deps;
  const { now } = delivery;
  const found = await connections.find(delivery.segment);
  const user = found ? await deps.directory.getUser(found.ownerId) : null;
  // A removed user's library records (this setting among them) stay in the store: check the user too.
  if (!found || !user) throw unknownUrl();
  const body = delivery.body as Record<string, unknown> | null;

  // Notion's first POST to a new subscription: `{"verification_token": "..."}`, unsigned.
  if (body && typeof body === 'object' && 'verification_token' in body && body.type === undefined) {
    const token = body.verification_token;
    if (typeof token !== 'string' || token.length === 0 || token.length > 500) {
      throw new SagaSyncError('invalid_input', 'verification_token must be a string of 1 to 500 characters', { details: { location: 'body.verification_token' } });
    }
    if (found.record.verifiedAt) {
      throw new SagaSyncError('already_exists', `this Notion connection is verified already; to subscribe again, make a new URL with POST ${NOTION_CONNECTION_PATH}`, {
        details: { location: 'body.verification_token' },
      });
    }
    if (!(await connections.saveVerificationToken(found.ownerId, found.record, token, now))) throw unknownUrl();
    return { status: 200, body: { received: 'verification_token' } };
  }

  const token = await connections.verificationToken(found.ownerId);
  if (!token) throw new SagaSyncError('auth_failed', 'no verification token has been received for this Notion connection yet', { details: { location: 'body' } });
  // Loaded when a delivery comes: a server that never mirrors to Notion never loads the mirror.
  const { verifyNotionSignature } = await import('@sagasync/notion-mirror');
  if (!verifyNotionSignature(delivery.rawBody ?? Buffer.alloc(0), header(delivery.headers, 'x-notion-signature'), token)) {
    throw new SagaSyncError('auth_failed', 'the X-Notion-Signature header does not match the body', { details: { location: 'headers.x-notion-signature' } });
  }
  if (!found.record.verifiedAt) await connections.markVerified(found.ownerId, found.record, now);

  const id = body?.id;
  if (typeof id !== 'string' || id.length === 0 || id.length > 500) {
    throw new SagaSyncError('invalid_input', 'a Notion event needs its id', { details: { location: 'body.id' } });
  }
  const { stored } = await deps.storage.putExpiring(
    found.ownerId,
    { kind: EVENT_KIND, key: id, value: null, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + EVENT_TTL_MS).toISOString() },
    { ifAbsent: true, now },
  );
  if (!stored) return { status: 200, body: { ignored: 'duplicate', id } };

  const answer = await respond(notionWebhookRoute, deps.contextFor(user), { body });
  // Not applied: forget the id, so Notion's retry (or one after the user connects Notion) applies it.
  if (answer.status >= 400) await deps.storage.applyBatch(found.ownerId, [{ op: 'deleteExpiring', kind: EVENT_KIND, key: id }]);
  return answer;
}

/** `POST /api/notion/webhook`: a new connection; its URL is shown this once. */
export async function registerNotionWebhook(connections: NotionConnections, user: User, now: Date, origin: string): Promise<RouteResult<unknown>> {
  const { segment, record } = await connections.register(user.id, now);
  const path = `${NOTION_WEBHOOK_PATH}/${segment}`;
  return {
    status: 201,
    body: {
      url: `${origin}${path}`,
      path,
      createdAt: record.createdAt,
      next: `add ${path} on this server's public URL as the webhook URL of your Notion integration; then GET ${NOTION_CONNECTION_PATH} shows the verification token Notion sent, to paste into Notion`,
    },
  };
}

/** `GET /api/notion/webhook`: the connection's state and, once Notion sent it, the token to paste into Notion. */
export async function describeNotionWebhook(connections: NotionConnections, user: User): Promise<RouteResult<unknown>> {
  const record = await connections.read(user.id);
  if (!record) throw new SagaSyncError('not_found', `no Notion webhook connection; make one with POST ${NOTION_CONNECTION_PATH}`, { details: { location: 'notion' } });
  return {
    status: 200,
    body: { createdAt: record.createdAt, tokenReceivedAt: record.tokenReceivedAt, verifiedAt: record.verifiedAt, verificationToken: await connections.verificationToken(user.id) },
  };
}

/** `DELETE /api/notion/webhook`: the URL and its token stop working. */
export async function removeNotionWebhook(connections: NotionConnections, user: User): Promise<RouteResult<unknown>> {
  return { status: 200, body: { removed: await connections.remove(user.id) } };
}
