import { createHash, timingSafeEqual } from 'node:crypto';
import { errorResponse } from '@sagasync/api';
import { SagaSyncError } from '@sagasync/core';
import type express from 'express';
import type { Scheduler } from './scheduler.js';

export const CRON_PATH = '/api/cron/audible-sync';

/** Compared as SHA-256 digests, in constant time: neither the length nor a prefix of the secret leaks. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The secret a caller sent: `X-Cron-Secret: <secret>` or `Authorization: Bearer <secret>`. */
function sentSecret(req: express.Request): string | null {
  const header = req.get('x-cron-secret');
  if (header) return header.trim();
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return bearer ? bearer[1]! : null;
}

/**
 * `GET /api/cron/audible-sync`, for an external cron (the auto-tracking design's Vercel cron): one
 * pass of the scheduler, the same code the in-process loop runs, answered with what it did. Not
 * a user's route: it is guarded by SAGASYNC_CRON_SECRET, and without that setting it is off (404,
 * saying so). Mounted through `createApp`'s `extraRoutes`, before the API's bearer-token routes.
 */
export function mountCronRoute(app: express.Express, options: { cronSecret: string | null; scheduler: Scheduler }): void {
  app.get(CRON_PATH, async (req, res) => {
    const fail = (error: SagaSyncError) => {
      const { status, body } = errorResponse(error);
      res.status(status).json(body);
    };
    if (!options.cronSecret) {
      return fail(new SagaSyncError('not_found', `${CRON_PATH} is off on this server: set SAGASYNC_CRON_SECRET to let an external cron call it (the built-in scheduler runs either way)`));
    }
    const given = sentSecret(req);
    if (!given) {
      return fail(new SagaSyncError('auth_failed', 'the cron route needs the cron secret: send "X-Cron-Secret: <secret>" or "Authorization: Bearer <secret>"', { details: { location: 'headers.x-cron-secret' } }));
    }
    if (!sameSecret(given, options.cronSecret)) {
      return fail(new SagaSyncError('auth_failed', 'the cron secret does not match SAGASYNC_CRON_SECRET', { details: { location: 'headers.x-cron-secret' } }));
    }
    try {
      res.json(await options.scheduler.runOnce());
    } catch (error) {
      req.log?.error({ err: error }, 'cron pass failed');
      const { status, body } = errorResponse(error);
      res.status(status).json(body);
    }
  });
}
