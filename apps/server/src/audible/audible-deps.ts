import type { AudibleEndpoints } from '@sagasync/audible-client';
import type { DirectoryPort } from '@sagasync/core';
import type { CredentialSealer } from '@sagasync/storage';
import type { ServerSettings, SyncSettings } from '../settings/settings.js';

/** What the server's Audible services share: the directory, the server's key, the hosts and limits. */
export interface AudibleDeps {
  directory: DirectoryPort;
  /** Seals account credentials and pending sign-ins with the server's key (SAGASYNC_SECRET). */
  sealer: CredentialSealer;
  /** Other Audible / Amazon hosts (a proxy, fake-audible in tests); the marketplace's own otherwise. */
  endpoints: Partial<AudibleEndpoints>;
  limits: Pick<SyncSettings, 'intervalMs' | 'minIntervalMs' | 'dailyCap' | 'backoffMs' | 'backoffMaxMs'>;
  signInTtlMs: number;
  /**
   * Aborted when the server shuts down past its grace period: Audible calls in flight stop, and
   * the failure they end with is not held against the user (no backoff).
   */
  shutdown: AbortSignal;
}

export function audibleEndpoints(settings: Pick<ServerSettings, 'audibleApiUrl' | 'amazonApiUrl'>): Partial<AudibleEndpoints> {
  return {
    ...(settings.audibleApiUrl ? { apiUrl: settings.audibleApiUrl } : {}),
    ...(settings.amazonApiUrl ? { amazonUrl: settings.amazonApiUrl } : {}),
  };
}
