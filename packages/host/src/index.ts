/**
 * What every SagaSync host shares, whatever carries its requests (the Express server, the Lambda
 * functions): one request handler over `@sagasync/api`, authentication, signed webhooks,
 * idempotency, Notion's webhook, users and tokens, the Audible services and a user's scheduled sync.
 */
export { createRequestHandler, HOST_ROUTES, type HostDeps, type HostRequest, type HostResponse } from './http/handle-request.js';
export { IDEMPOTENCY_CLAIM_MS, IDEMPOTENCY_HEADER, IDEMPOTENCY_KIND, IDEMPOTENCY_TTL_MS, idempotencyKeyOf, REPLAYED_HEADER, requestFingerprint, runIdempotent, type IdempotentAnswer } from './http/idempotency.js';
export { authenticate } from './auth/authenticate.js';
export { hashApiToken, newApiToken, newWebhookSecret } from './auth/tokens.js';
export { verifyWebhook, webhookSecretName } from './webhooks/webhook-signature.js';
export { NOTION_CONNECTION_PATH, NOTION_WEBHOOK_PATH } from './notion/notion-webhook.js';
export { notionConnections, type NotionConnections } from './notion/notion-connection.js';
export { userAdmin, type NewCredentials } from './users/user-admin.js';
export { audibleEndpoints, type AudibleDeps, type SyncLimits } from './audible/audible-deps.js';
export { NOTION_CREDENTIAL, readNotionConnection, saveNotionConnection, createHostNotionServices, type NotionServiceOptions } from './services/notion.js';
export { createUserServices } from './services/user-services.js';
export { SYNC_LEASE, syncDueUser, type UserSyncDeps, type UserSyncOutcome } from './sync/user-sync.js';
export { withLease, type HeldLease, type LeaseOptions } from './sync/lease.js';
export { mirrorAfterSync, type MirrorOutcome } from './sync/notion-after-sync.js';
