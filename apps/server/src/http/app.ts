import type { IncomingMessage } from 'node:http';
import { createRouter, errorResponse, openApiDocument, respond, routes, type AnyRoute, type ApiContext, type ApiServices, type JobRunner } from '@sagasync/api';
import { SagaSyncError, type User } from '@sagasync/core';
import type { CredentialSealer } from '@sagasync/storage';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type pino from 'pino';
import { pinoHttp } from 'pino-http';
import type { Stores } from '../stores/open-stores.js';
import { authenticate } from './authenticate.js';
import { useCaseLogger } from './logger.js';
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

/**
 * The Express app: an adapter of `@sagasync/api` and nothing more. Each request is matched to a
 * route of the API's table, authenticated as the route says (a bearer token; for webhooks also a
 * Standard Webhooks signature), and answered by the route's handler with the token owner's store.
 */
export function createApp(deps: AppDeps): express.Express {
  const { stores, log } = deps;
  const clock = deps.clock ?? (() => new Date());
  const router = createRouter(routes);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  app.use(pinoHttp({ logger: log, customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info') }));
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
      const ctx: ApiContext = { storage: stores.storage, ownerId: user.id, clock, log: useCaseLogger(req.log ?? log), jobs: deps.jobs, services: deps.services(user) };
      const answer = await respond(route, ctx, { params, query: req.query, body: req.body ?? {} });
      res.status(answer.status).json(answer.body);
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

  async function authorise(route: AnyRoute, req: Request, now: Date): Promise<User> {
    if (route.auth === 'none') throw new SagaSyncError('internal', `route ${route.id} has no owner to act for`);
    // Notion signs with its own scheme and names no SagaSync user: the Notion webhook route of
    // `extraRoutes` answers it before this dispatcher.
    if (route.id === 'notionWebhook') throw new SagaSyncError('config_missing', 'Notion webhooks are not set up on this server');
    const user = await authenticate(stores.directory, req.get('authorization'), now);
    if (route.auth === 'webhook') {
      await verifyWebhook({ directory: stores.directory, storage: stores.storage, sealer: deps.sealer, user, rawBody: (req as RawBodyRequest).rawBody ?? Buffer.alloc(0), headers: req.headers, now });
    }
    return user;
  }

  return app;
}
