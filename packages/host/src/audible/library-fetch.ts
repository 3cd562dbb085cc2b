import type { ApiContext, ApiServices } from '@sagasync/api';
import { SagaSyncError, writeSyncRun, type AudibleAccount } from '@sagasync/core';
import type { AudibleDeps } from './audible-deps.js';
import { openCredentials, saveRefreshedCredentials } from './account-credentials.js';
import { recordFailure, recordSuccess } from './sync-health.js';
import { chooseAccount, readPreferences } from './sync-preferences.js';

const client = () => import('@sagasync/audible-client');

const NOTHING_DONE = { created: 0, updated: 0, unchanged: 0, failed: 0 };

/** The owner's account to sync, or `config_missing` saying how to connect one. */
export async function accountToSync(deps: AudibleDeps, ctx: Pick<ApiContext, 'storage' | 'ownerId'>): Promise<AudibleAccount> {
  const [accounts, preferences] = await Promise.all([deps.directory.listAudibleAccounts(ctx.ownerId), readPreferences(ctx.storage, ctx.ownerId)]);
  const account = chooseAccount(accounts, preferences);
  if (!account) {
    const where = preferences.locale && accounts.length > 0 ? ` on ${preferences.locale}` : '';
    throw new SagaSyncError('config_missing', `no Audible account${where}: sign in with POST /api/audible/auth`, { details: { location: 'audible', reason: 'audible_signed_out' } });
  }
  return account;
}

/**
 * `audibleFetch`, the Audible half of the `audible_sync` job (the job imports what it returns):
 * the owner's account from the directory, its credentials opened with the server's key, the
 * library, series and progress fetched with @sagasync/audible-client and turned into records.
 * Refreshed tokens are sealed and stored again. A failure is logged as a failed sync run and
 * counted for the backoff (see sync-health), unless it is the server shutting down.
 */
export function createAudibleFetch(deps: AudibleDeps): NonNullable<ApiServices['audibleFetch']> {
  return async (ctx) => {
    const { AudibleClient, accountName, buildLibraryRecords, createStorageSeriesCache, fetchAccountSnapshot } = await client();
    const clock = ctx.clock ?? (() => new Date());
    const startedAt = clock();
    let source: string | null = null;
    try {
      let account = await accountToSync(deps, ctx);
      const credentials = await openCredentials(deps.sealer, account);
      source = accountName(credentials);
      const audible = new AudibleClient({
        credentials,
        endpoints: deps.endpoints,
        fetch: abortable(deps.shutdown),
        sleep: (ms) => sleepUnlessAborted(ms, deps.shutdown),
        onCredentialsChanged: async (refreshed) => {
          account = (await saveRefreshedCredentials(deps.directory, deps.sealer, account, refreshed, clock())) ?? account;
        },
      });
      const seriesCache = createStorageSeriesCache({ storage: ctx.storage, ownerId: ctx.ownerId, now: () => clock().getTime() });
      const snapshot = await fetchAccountSnapshot(audible, { seriesCache });
      await seriesCache.flush?.();
      const built = buildLibraryRecords({
        items: snapshot.items,
        rejectedItems: snapshot.rejectedItems,
        catalogues: snapshot.catalogues,
        lastPositions: snapshot.lastPositions,
        finished: snapshot.finished,
        marketplace: snapshot.marketplace,
        sourceAccount: source,
      });
      for (const item of built.skipped) ctx.log?.warn('left out an Audible library item', item);
      await recordSuccess(ctx.storage, ctx.ownerId, clock());
      return { records: built.records, source };
    } catch (error) {
      const failure = deps.shutdown.aborted ? new SagaSyncError('remote_failure', 'the sync was abandoned: the server shut down', { cause: error }) : error;
      if (!deps.shutdown.aborted) {
        const health = await recordFailure(ctx.storage, ctx.ownerId, error, clock(), deps.limits).catch(() => null);
        ctx.log?.warn('Audible sync failed', { status: health?.status, retryAt: health?.retryAt, error: health?.error?.message });
      }
      // The status's "last sync" shows the failure; the import never ran, so nothing else logged it.
      const message = SagaSyncError.isInstance(failure) ? `${failure.code}: ${failure.message}` : 'internal: the sync failed unexpectedly';
      await writeSyncRun(ctx, { kind: 'audible_sync', source, startedAt: startedAt.toISOString(), counts: NOTHING_DONE, error: message });
      throw failure;
    }
  };
}

type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** fetch that also stops when the server shuts down. */
function abortable(shutdown: AbortSignal): FetchLike {
  return (input, init) => {
    if (shutdown.aborted) return Promise.reject(new Error('the server is shutting down'));
    return globalThis.fetch(input, { ...init, signal: init.signal ? AbortSignal.any([init.signal, shutdown]) : shutdown });
  };
}

/** A retry's wait, cut short (and failing) at shutdown, so an abandoned sync does not linger in backoff. */
function sleepUnlessAborted(ms: number, shutdown: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (shutdown.aborted) return reject(new Error('the server is shutting down'));
    const timer = setTimeout(() => {
      shutdown.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(new Error('the server is shutting down'));
    };
    shutdown.addEventListener('abort', stop, { once: true });
  });
}
