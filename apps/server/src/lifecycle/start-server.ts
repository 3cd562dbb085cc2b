import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInProcessJobRunner, matchService, type ApiServices } from '@sagasync/api';
import { createCredentialSealer } from '@sagasync/storage';
import type pino from 'pino';
import { createApp } from '../http/app.js';
import type { ServerSettings } from '../settings/settings.js';
import { openStores, serverSecret } from '../stores/open-stores.js';

export interface RunningServer {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  /**
   * Stops taking connections, lets requests in flight and started jobs finish (within the
   * settings' grace period), then closes the database. Safe to call twice.
   */
  close(): Promise<void>;
}

/** Opens the store (migrating it), builds the app and listens on HOST:PORT. */
export async function startServer(settings: ServerSettings, options: { log: pino.Logger; clock?: () => Date }): Promise<RunningServer> {
  const { log } = options;
  const stores = await openStores(settings);
  const key = serverSecret(settings);
  if (key.generatedAt) log.warn({ keyFile: key.generatedAt }, 'no SAGASYNC_SECRET: made a key for stored secrets beside the store; back it up with the store');
  const sealer = createCredentialSealer({ secret: key.secret });
  const jobs = createInProcessJobRunner();
  const services = (): ApiServices => ({ match: matchService });
  const app = createApp({ stores, sealer, log, jobs, services, bodyLimit: settings.bodyLimit, ...(options.clock ? { clock: options.clock } : {}) });

  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(settings.port, settings.host, (error?: Error) => (error ? reject(error) : resolve(listening)));
    listening.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log.info({ url, store: stores.label }, 'SagaSync server listening');

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      log.info('shutting down: finishing requests in flight');
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), settings.shutdownGraceMs).unref());
      if ((await Promise.race([stopped.then(() => 'done' as const), grace])) === 'timeout') {
        log.warn('requests still running after the grace period: closing their connections');
        server.closeAllConnections();
      }
      await Promise.race([jobs.drain(), grace]);
      await stores.close();
      log.info('stopped');
    })());
  return { url, close };
}
