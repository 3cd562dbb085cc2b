import { createRouter, errorResponse, openApiDocument, respond, routes, type AnyRoute, type ApiContext, type ApiServices, type JobRunner, type RouteResult } from '@sagasync/api';
import { SagaSyncError, silentLogger, type DirectoryPort, type Logger, type StoragePort, type User } from '@sagasync/core';
import type { CredentialSealer } from '@sagasync/storage';
import { authenticate } from '../auth/authenticate.js';
import { notionConnections } from '../notion/notion-connection.js';
import { describeNotionWebhook, NOTION_CONNECTION_PATH, NOTION_WEBHOOK_PATH, receiveNotionWebhook, registerNotionWebhook, removeNotionWebhook } from '../notion/notion-webhook.js';
import { verifyWebhook } from '../webhooks/webhook-signature.js';
import { IDEMPOTENCY_HEADER, idempotencyKeyOf, REPLAYED_HEADER, requestFingerprint, runIdempotent } from './idempotency.js';

/** A request as every host sees it: the Express server, an API Gateway event. */
export interface HostRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  /** The path with its query string, as sent (an Idempotency-Key's fingerprint covers it). */
  url: string;
  query: Record<string, string | string[] | undefined>;
  /** Header names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** The body's bytes: signatures are over what was sent, not a re-serialised body. */
  rawBody: Buffer | undefined;
  /** `https://host` the caller reached, for URLs the answer hands out (a Notion webhook URL). */
  origin: string;
}

export interface HostResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface HostDeps {
  storage: StoragePort;
  directory: DirectoryPort;
  /** Seals and opens webhook secrets and credentials (SAGASYNC_SECRET). */
  sealer: CredentialSealer;
  jobs: JobRunner;
  /** The services of a user's requests (Audible, Notion, matching). */
  services: (user: User) => ApiServices;
  clock?: () => Date;
  /** Whether the store answers, for `GET /ready`. */
  ready?: () => Promise<void>;
  /** Bodies over this many bytes are refused (413); the host's transport may refuse earlier. */
  bodyLimitBytes?: number;
}

/** What the handler serves beside the routes of `@sagasync/api`'s table (a test walks them all). */
export const HOST_ROUTES = [
  'GET /health',
  'GET /ready',
  'GET /api/openapi.json',
  `POST ${NOTION_WEBHOOK_PATH}/:connection`,
  `GET ${NOTION_CONNECTION_PATH}`,
  `POST ${NOTION_CONNECTION_PATH}`,
  `DELETE ${NOTION_CONNECTION_PATH}`,
] as const;

const JSON_TYPE = /^application\/(json|[^;\s]+\+json)\s*(;|$)/i;

const json = (status: number, body: unknown, headers: Record<string, string> = {}): HostResponse => ({ status, headers, body });
const fromResult = (result: RouteResult<unknown>, headers: Record<string, string> = {}): HostResponse => json(result.status, result.body, headers);
const fromError = (error: unknown, headers: Record<string, string> = {}): HostResponse => fromResult(errorResponse(error), headers);
const methodNotAllowed = (method: string, path: string, allowed: readonly string[]): HostResponse => {
  const allow = [...new Set(allowed)].join(', ');
  return json(405, { error: { code: 'method_not_allowed', message: `${method} is not allowed on ${path}; use ${allow}` } }, { allow });
};

function header(headers: HostRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The JSON body of a request; other content types have none, as with Express's JSON parser. */
function parseBody(request: HostRequest): unknown {
  const raw = request.rawBody;
  if (!raw || raw.length === 0 || !JSON_TYPE.test(header(request.headers, 'content-type') ?? '')) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new SagaSyncError('invalid_input', 'the body is not valid JSON', { details: { location: 'body' } });
  }
}

/**
 * SagaSync's HTTP surface as one function from a request to a response, whatever carries it:
 * health and readiness, the OpenAPI document, every route of `@sagasync/api` authenticated as
 * the route says (a bearer token; for webhooks also a Standard Webhooks signature) and answered
 * with the token owner's store, `Idempotency-Key` on a user's POSTs, and Notion's webhook, which
 * finds its owner from the URL. The Express server and the Lambda HTTP handler only translate.
 */
export function createRequestHandler(deps: HostDeps): (request: HostRequest, log?: Logger) => Promise<HostResponse> {
  const clock = deps.clock ?? (() => new Date());
  const router = createRouter(routes);
  const connections = notionConnections(deps.storage, deps.sealer);

  function contextFor(user: User, log: Logger): ApiContext {
    return { storage: deps.storage, ownerId: user.id, clock, log, jobs: deps.jobs, services: deps.services(user) };
  }

  /** The caller, and for a webhook the release of its `webhook-id` (see `verifyWebhook`). */
  async function authorise(route: AnyRoute, request: HostRequest, now: Date): Promise<{ user: User; release?: () => Promise<void> }> {
    if (route.auth === 'none') throw new SagaSyncError('internal', `route ${route.id} has no owner to act for`);
    // Notion signs with its own scheme and names no SagaSync user: its deliveries go to the
    // connection's URL (`/webhook/notion/<connection>`), which finds the owner.
    if (route.id === 'notionWebhook') {
      throw new SagaSyncError('auth_failed', `Notion webhooks go to your connection's URL, ${NOTION_WEBHOOK_PATH}/<connection>; make one with POST ${NOTION_CONNECTION_PATH}`, {
        details: { location: 'path' },
      });
    }
    const { user, webhookSecret } = await authenticate(deps.directory, header(request.headers, 'authorization'), now);
    if (route.auth === 'webhook') {
      const { release } = await verifyWebhook({ storage: deps.storage, sealer: deps.sealer, user, sealedSecret: webhookSecret, rawBody: request.rawBody ?? Buffer.alloc(0), headers: request.headers, now });
      return { user, release };
    }
    return { user };
  }

  async function notion(request: HostRequest, log: Logger, now: Date): Promise<HostResponse | null> {
    if (request.path.startsWith(`${NOTION_WEBHOOK_PATH}/`)) {
      const segment = request.path.slice(NOTION_WEBHOOK_PATH.length + 1);
      if (segment === '' || segment.includes('/')) return null;
      if (request.method !== 'POST') return methodNotAllowed(request.method, NOTION_WEBHOOK_PATH, ['POST']);
      const result = await receiveNotionWebhook(
        { connections, directory: deps.directory, storage: deps.storage, contextFor: (user) => contextFor(user, log) },
        { segment: decodeURIComponent(segment), headers: request.headers, rawBody: request.rawBody, body: parseBody(request) ?? null, now },
      );
      return fromResult(result);
    }
    if (request.path !== NOTION_CONNECTION_PATH && request.path !== `${NOTION_CONNECTION_PATH}/`) return null;
    const owner = async () => (await authenticate(deps.directory, header(request.headers, 'authorization'), now)).user;
    switch (request.method) {
      case 'GET':
        return fromResult(await describeNotionWebhook(connections, await owner()));
      case 'POST':
        return fromResult(await registerNotionWebhook(connections, await owner(), now, request.origin));
      case 'DELETE':
        return fromResult(await removeNotionWebhook(connections, await owner()));
      default:
        return methodNotAllowed(request.method, request.path, ['GET', 'POST', 'DELETE']);
    }
  }

  async function api(request: HostRequest, log: Logger, now: Date): Promise<HostResponse> {
    const matched = router.match(request.method, request.path);
    if (!matched.found) {
      if (matched.allowed.length > 0) return methodNotAllowed(request.method, request.path, matched.allowed);
      throw new SagaSyncError('not_found', `no route ${request.method} ${request.path}`);
    }
    const { route, params } = matched.found;
    const { user, release } = await authorise(route, request, now);
    const respondWith = (body: unknown) => respond(route, contextFor(user, log), { params, query: request.query, body });
    // Webhooks have their own replay guard (webhook-id); a delivery that was not applied gives
    // its id back, so the sender's retry of it is taken rather than refused as a replay.
    if (release) {
      try {
        const result = await respondWith(parseBody(request) ?? {});
        if (result.status >= 400) await releaseQuietly(release, log);
        return fromResult(result);
      } catch (error) {
        await releaseQuietly(release, log);
        throw error;
      }
    }
    const body = parseBody(request) ?? {};
    const run = () => respondWith(body);
    // Writes a client may retry: an Idempotency-Key makes the retry return the first answer.
    const key = route.method === 'POST' && route.auth === 'user' ? idempotencyKeyOf(header(request.headers, IDEMPOTENCY_HEADER)) : null;
    if (!key) return fromResult(await run());
    const result = await runIdempotent({
      storage: deps.storage,
      ownerId: user.id,
      key,
      fingerprint: requestFingerprint(request.method, request.url, request.rawBody),
      clock,
      run,
      onStoreFailure: (error) => log.error('could not store an idempotency record', { error: error instanceof Error ? error.message : String(error) }),
    });
    return fromResult(result, result.replayed ? { [REPLAYED_HEADER]: 'true' } : {});
  }

  return async (request, log = silentLogger) => {
    const method = request.method.toUpperCase();
    const req = { ...request, method };
    try {
      if (deps.bodyLimitBytes !== undefined && (req.rawBody?.length ?? 0) > deps.bodyLimitBytes) {
        return json(413, { error: { code: 'invalid_input', message: `the body is larger than ${deps.bodyLimitBytes} bytes; send a large library in pages or as a job`, location: 'body' } });
      }
      if (req.path === '/health' && method === 'GET') return json(200, { status: 'ok' });
      if (req.path === '/ready' && method === 'GET') {
        try {
          await (deps.ready ?? (async () => void (await deps.storage.getSetting('sagasync-ready-check', 'ping'))))();
          return json(200, { status: 'ready' });
        } catch {
          return json(503, { error: { code: 'storage_failure', message: 'the database does not answer' } });
        }
      }
      if (req.path === '/api/openapi.json' && method === 'GET') return json(200, openApiDocument());
      const now = clock();
      return (await notion(req, log, now)) ?? (await api(req, log, now));
    } catch (error) {
      if (!SagaSyncError.isInstance(error)) log.error('request failed', { error: error instanceof Error ? error.message : String(error) });
      return fromError(error);
    }
  };
}

/** Gives a webhook's id back; failing to (the store is down) leaves it to expire, and is logged. */
async function releaseQuietly(release: () => Promise<void>, log: Logger): Promise<void> {
  try {
    await release();
  } catch (error) {
    log.error('could not release a webhook id', { error: error instanceof Error ? error.message : String(error) });
  }
}
