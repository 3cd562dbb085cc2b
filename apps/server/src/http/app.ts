import { errorResponse, type ApiServices, type JobRunner } from '@sagasync/api';
import type { User } from '@sagasync/core';
import { createRequestHandler, NOTION_WEBHOOK_PATH, type HostRequest } from '@sagasync/host';
import type { CredentialSealer } from '@sagasync/storage';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type pino from 'pino';
import { pinoHttp } from 'pino-http';
import type { Stores } from '../stores/open-stores.js';
import { useCaseLogger } from './logger.js';

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

/** The part of a Notion webhook URL that is a capability, hidden from request logs. */
const NOTION_SEGMENT = new RegExp(`^(${NOTION_WEBHOOK_PATH}/)[^/?]+`);
const redactPath = (url: unknown) => (typeof url === 'string' ? url.replace(NOTION_SEGMENT, '$1[redacted]') : url);

/**
 * The Express app: an adapter of `@sagasync/host`'s request handler and nothing more. Express adds
 * what a long-running Node server needs around it: security headers (helmet), request logs with
 * secrets redacted (pino-http), the body size limit, and the server's own routes (the cron route).
 */
export function createApp(deps: AppDeps): express.Express {
  const { stores, log } = deps;
  const clock = deps.clock ?? (() => new Date());
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
  // The body's bytes as sent: webhook signatures are over them, and the host parses the JSON.
  app.use(express.raw({ limit: deps.bodyLimit, type: () => true }));

  deps.extraRoutes?.(app);

  // Everything else is the host's one request handler (@sagasync/host), which the Lambda HTTP
  // handler adapts too: health, readiness, OpenAPI, the API's routes, Notion's webhook.
  const handle = createRequestHandler({
    storage: stores.storage,
    directory: stores.directory,
    sealer: deps.sealer,
    jobs: deps.jobs,
    services: deps.services,
    clock,
    ready: () => stores.ping(),
  });
  app.use(async (req: Request, res: Response) => {
    const request: HostRequest = {
      method: req.method,
      path: req.path,
      url: req.originalUrl,
      query: req.query as HostRequest['query'],
      headers: req.headers,
      rawBody: Buffer.isBuffer(req.body) ? req.body : undefined,
      origin: `${req.protocol}://${req.get('host') ?? 'localhost'}`,
    };
    const answer = await handle(request, useCaseLogger(req.log ?? log));
    res.status(answer.status).set(answer.headers).json(answer.body);
  });
  // Body reading failures: a body over the limit, an encoding Express cannot read.
  app.use((error: { type?: string; status?: number }, req: Request, res: Response, _next: NextFunction) => {
    if (error.type === 'entity.too.large') {
      return res.status(413).json({ error: { code: 'invalid_input', message: `the body is larger than ${deps.bodyLimit}; send a large library in pages or as a job`, location: 'body' } });
    }
    if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
      return res.status(error.status).json({ error: { code: 'invalid_input', message: 'the request could not be read', location: 'body' } });
    }
    req.log?.error({ err: error }, 'request failed');
    const { status, body } = errorResponse(error);
    return res.status(status).json(body);
  });

  return app;
}
