import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInProcessJobRunner } from '@sagasync/api';
import { createCredentialSealer } from '@sagasync/storage';
import type pino from 'pino';
import { audibleEndpoints, createUserServices } from '@sagasync/host';
import { createApp } from '../http/app.js';
import { useCaseLogger } from '../http/logger.js';
import { mountCronRoute } from '../scheduler/cron-route.js';
import { createScheduler } from '../scheduler/scheduler.js';
import type { ServerSettings } from '../settings/settings.js';
import { openStores, serverSecret } from '../stores/open-stores.js';

export interface RunningServer {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  /**
   * Stops the scheduler and taking connections, lets requests in flight, started jobs and
   * running syncs finish (within the settings' grace period; past it, Audible calls still running
   * are abandoned and their leases given back), then closes the database. Safe to call twice.
   */
  close(): Promise<void>;
}

/** How long abandoned work gets to unwind after its Audible calls are aborted. */
const UNWIND_MS = 2_000;

/** Opens the store (migrating it), builds the app, listens on HOST:PORT and starts the scheduler. */
export async function startServer(settings: ServerSettings, options: { log: pino.Logger; clock?: () => Date }): Promise<RunningServer> {
  const { log } = options;
  const clock = options.clock ?? (() => new Date());
  const stores = await openStores(settings);
  const key = serverSecret(settings);
  if (key.generatedAt) log.warn({ keyFile: key.generatedAt }, 'no SAGASYNC_SECRET: made a key for stored secrets beside the store; back it up with the store');
  const sealer = createCredentialSealer({ secret: key.secret });
  const jobs = createInProcessJobRunner();
  // Aborted past the shutdown grace period: whatever still talks to Audible stops.
  const shutdown = new AbortController();
  const services = createUserServices({
    audible: {
      directory: stores.directory,
      sealer,
      endpoints: audibleEndpoints(settings),
      limits: settings.sync,
      signInTtlMs: settings.signInTtlMs,
      shutdown: shutdown.signal,
    },
    notion: { sealer, requestsPerSecond: settings.notionRequestsPerSecond, ...(settings.notionBaseUrl ? { baseUrl: settings.notionBaseUrl } : {}) },
  });
  const scheduler = createScheduler({
    storage: stores.storage,
    directory: stores.directory,
    services,
    clock,
    log: useCaseLogger(log.child({ component: 'scheduler' })),
    settings: settings.sync,
    notionMinIntervalMs: settings.notionMinIntervalMs,
  });
  const app = createApp({
    stores,
    sealer,
    log,
    jobs,
    services,
    bodyLimit: settings.bodyLimit,
    clock,
    extraRoutes: (express) => mountCronRoute(express, { cronSecret: settings.cronSecret, scheduler }),
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(settings.port, settings.host, (error?: Error) => (error ? reject(error) : resolve(listening)));
    listening.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log.info({ url, store: stores.label }, 'SagaSync server listening');
  scheduler.start();

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      log.info('shutting down: finishing requests in flight and running syncs');
      // One deadline for everything that may still finish.
      const grace = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), settings.shutdownGraceMs).unref());
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const [syncsFinished, requests] = await Promise.all([scheduler.stop(grace), Promise.race([stopped.then(() => 'done' as const), grace])]);
      if (requests === 'timeout') {
        log.warn('requests still running after the grace period: closing their connections');
        server.closeAllConnections();
      }
      const jobsFinished = await Promise.race([jobs.drain().then(() => true), grace.then(() => false)]);
      if (!syncsFinished || !jobsFinished) {
        log.warn('syncs or jobs still running after the grace period: abandoning them');
        shutdown.abort();
        await Promise.race([Promise.all([jobs.drain(), scheduler.settle(UNWIND_MS)]), new Promise((resolve) => setTimeout(resolve, UNWIND_MS).unref())]);
      }
      // Leases of abandoned syncs go back now, rather than when they expire, so another instance takes over.
      await scheduler.releaseLeases();
      await stores.close();
      log.info('stopped');
    })());
  return { url, close };
}
