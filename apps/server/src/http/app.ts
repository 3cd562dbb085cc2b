import type { IncomingMessage } from 'node:http';
import { createRouter, errorResponse, openApiDocument, respond, routes, type AnyRoute, type ApiContext, type ApiServices, type JobRunner, type RouteResult } from '@sagasync/api';
import { SagaSyncError, type User } from '@sagasync/core';
import type { CredentialSealer } from '@sagasync/storage';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type pino from 'pino';
import { pinoHttp } from 'pino-http';
import type { Stores } from '../stores/open-stores.js';
import { authenticate } from './authenticate.js';
import { IDEMPOTENCY_HEADER, idempotencyKeyOf, REPLAYED_HEADER, requestFingerprint, runIdempotent } from './idempotency.js';
import { useCaseLogger } from './logger.js';
import { notionConnections } from './notion-connection.js';
import { describeNotionWebhook, NOTION_CONNECTION_PATH, NOTION_WEBHOOK_PATH, receiveNotionWebhook, registerNotionWebhook, removeNotionWebhook } from './notion-webhook.js';
import { verifyWebhook } from './webhook-signature.js';

export interface AppDeps {
  stores: Stores;
  /** Seals and opens webhook secrets and credentials (SAGASYNC_SECRET). */
  sealer: CredentialSealer;
  log: pino.Logger;
  jobs: JobRunner;
  /** The services of each user's requests (Audible, Notion, matching), built per request. */
  services: (user: User) => ApiServices;
  bodyLimit: string;
  clock?: () => Date;
  /** Extra routes the server adds before the API's (the cron route, sign-in), each with its own auth. */
  extraRoutes?: (app: express.Express) => void;
}

type RawBodyRequest = IncomingMessage & { rawBody?: Buffer };

function sendError(res: Response, error: unknown, headers: Record<string, string> = {}): void {
  const { status, body } = errorResponse(error);
  res.status(status).set(headers).json(body);
}

/** The part of a Notion webhook URL that is a capability, hidden from request logs. */
const NOTION_SEGMENT = new RegExp(`^(${NOTION_WEBHOOK_PATH}/)[^/?]+`);
const redactPath = (url: unknown) => (typeof url === 'string' ? url.replace(NOTION_SEGMENT, '$1[redacted]') : url);

/**
 * The Express app: an adapter of `@sagasync/api` and nothing more. Each request is matched to a
 * route of the API's table, authenticated as the route says (a bearer token; for webhooks also a
 * Standard Webhooks signature), and answered by the route's handler with the token owner's store.
 * Beside it: health, readiness, the OpenAPI document, `Idempotency-Key` on POSTs (idempotency.ts)
 * and Notion's webhook, which finds its owner from the URL (notion-webhook.ts).
 */
export function createApp(deps: AppDeps): express.Express {
  const { stores, log } = deps;
  const clock = deps.clock ?? (() => new Date());
  const router = createRouter(routes);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  app.use(
    pinoHttp({
      logger: log,
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      // pino-http hands this the standard serialisation of the request.
      serializers: {
        req: (req: { url?: string; params?: Record<string, unknown> }) => ({
          ...req,
          url: redactPath(req.url),
          ...(req.params?.connection ? { params: { ...req.params, connection: '[redacted]' } } : {}),
        }),
      },
    }),
  );
  app.use(
    express.json({
      limit: deps.bodyLimit,
      type: ['application/json', 'application/*+json'],
      // Webhook signatures are over the bytes sent, not over a re-serialised body.
      verify: (req, _res, buf) => void ((req as RawBodyRequest).rawBody = buf),
    }),
  );

  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/ready', async (_req, res) => {
    try {
      await stores.ping();
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ error: { code: 'storage_failure', message: 'the database does not answer' } });
    }
  });
  app.get('/api/openapi.json', (_req, res) => void res.json(openApiDocument()));
  deps.extraRoutes?.(app);

  // Notion's webhook: Notion sends no bearer token, so the URL names the user's connection
  // (notion-connection.ts); the user makes, reads and removes it with their token.
  const connections = notionConnections(stores.storage, deps.sealer);
  const answer =
    (handler: (req: Request, now: Date) => Promise<RouteResult<unknown>>) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        const result = await handler(req, clock());
        res.status(result.status).json(result.body);
      } catch (error) {
        if (!SagaSyncError.isInstance(error)) req.log?.error({ err: error }, 'request failed');
        sendError(res, error);
      }
    };
  const owner = async (req: Request, now: Date) => (await authenticate(stores.directory, req.get('authorization'), now)).user;
  app.post(
    `${NOTION_WEBHOOK_PATH}/:connection`,
    answer((req, now) =>
      receiveNotionWebhook(
        { connections, directory: stores.directory, storage: stores.storage, contextFor: (user) => contextFor(req, user) },
        { segment: String(req.params.connection), headers: req.headers, rawBody: (req as RawBodyRequest).rawBody, body: req.body ?? null, now },
      ),
    ),
  );
  app
    .route(NOTION_CONNECTION_PATH)
    .get(answer(async (req, now) => describeNotionWebhook(connections, await owner(req, now))))
    .post(answer(async (req, now) => registerNotionWebhook(connections, await owner(req, now), now, `${req.protocol}://${req.get('host') ?? 'localhost'}`)))
    .delete(answer(async (req, now) => removeNotionWebhook(connections, await owner(req, now))))
    .all((req, res) => void res.status(405).set('Allow', 'GET, POST, DELETE').json({ error: { code: 'method_not_allowed', message: `${req.method} is not allowed on ${req.path}; use GET, POST, DELETE` } }));

  app.use(async (req: Request, res: Response, next: NextFunction) => {
    let matched: ReturnType<typeof router.match>;
    try {
      matched = router.match(req.method, req.path);
    } catch (error) {
      return sendError(res, error);
    }
    if (!matched.found) {
      if (matched.allowed.length > 0) {
        const allow = [...new Set(matched.allowed)].join(', ');
        return void res
          .status(405)
          .set('Allow', allow)
          .json({ error: { code: 'method_not_allowed', message: `${req.method} is not allowed on ${req.path}; use ${allow}` } });
      }
      return next();
    }
    const { route, params } = matched.found;
    try {
      const now = clock();
      const user = await authorise(route, req, now);
      const run = () => respond(route, contextFor(req, user), { params, query: req.query, body: req.body ?? {} });
      // Writes a client may retry: an Idempotency-Key makes the retry return the first answer.
      // Webhooks have their own replay guard (webhook-id).
      const key = route.method === 'POST' && route.auth === 'user' ? idempotencyKeyOf(req.get(IDEMPOTENCY_HEADER)) : null;
      const result = key
        ? await runIdempotent({
            storage: stores.storage,
            ownerId: user.id,
            key,
            fingerprint: requestFingerprint(req.method, req.originalUrl, (req as RawBodyRequest).rawBody),
            clock,
            run,
            onStoreFailure: (error) => req.log?.error({ err: error }, 'could not store an idempotency record'),
          })
        : { ...(await run()), replayed: false };
      if (result.replayed) res.set(REPLAYED_HEADER, 'true');
      res.status(result.status).json(result.body);
    } catch (error) {
      if (!SagaSyncError.isInstance(error)) req.log?.error({ err: error }, 'request failed');
      sendError(res, error);
    }
  });

  app.use((req: Request, res: Response) => sendError(res, new SagaSyncError('not_found', `no route ${req.method} ${req.path}`)));
  // Body parser failures: bad JSON, a body over the limit.
  app.use((error: { type?: string; status?: number }, req: Request, res: Response, _next: NextFunction) => {
    if (error.type === 'entity.too.large') {
      return res.status(413).json({ error: { code: 'invalid_input', message: `the body is larger than ${deps.bodyLimit}; send a large library in pages or as a job`, location: 'body' } });
    }
    if (error.type === 'entity.parse.failed') return res.status(400).json({ error: { code: 'invalid_input', message: 'the body is not valid JSON', location: 'body' } });
    if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
      return res.status(error.status).json({ error: { code: 'invalid_input', message: 'the request could not be read', location: 'body' } });
    }
    req.log?.error({ err: error }, 'request failed');
    return sendError(res, error);
  });

  function contextFor(req: Request, user: User): ApiContext {
    return { storage: stores.storage, ownerId: user.id, clock, log: useCaseLogger(req.log ?? log), jobs: deps.jobs, services: deps.services(user) };
  }

  async function authorise(route: AnyRoute, req: Request, now: Date): Promise<User> {
    if (route.auth === 'none') throw new SagaSyncError('internal', `route ${route.id} has no owner to act for`);
    // Notion signs with its own scheme and names no SagaSync user: its deliveries go to the
    // connection's URL (`/webhook/notion/<connection>`, above), which finds the owner.
    if (route.id === 'notionWebhook') {
      throw new SagaSyncError('auth_failed', `Notion webhooks go to your connection's URL, ${NOTION_WEBHOOK_PATH}/<connection>; make one with POST ${NOTION_CONNECTION_PATH}`, {
        details: { location: 'path' },
      });
    }
    const { user, webhookSecret } = await authenticate(stores.directory, req.get('authorization'), now);
    if (route.auth === 'webhook') {
      await verifyWebhook({ storage: stores.storage, sealer: deps.sealer, user, sealedSecret: webhookSecret, rawBody: (req as RawBodyRequest).rawBody ?? Buffer.alloc(0), headers: req.headers, now });
    }
    return user;
  }

  return app;
}
