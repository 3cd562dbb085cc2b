import type { AudibleEndpoints } from '@sagasync/audible-client';
import type { DirectoryPort } from '@sagasync/core';
import type { CredentialSealer } from '@sagasync/storage';

/** The sync limits a host enforces (the server's settings, a Lambda deployment's environment). */
export interface SyncLimits {
  /** How often a user's automatic sync runs. */
  intervalMs: number;
  /** The shortest time between two syncs of one user, whoever starts them. */
  minIntervalMs: number;
  /** Syncs a user may run in a UTC day. */
  dailyCap: number;
  /** The first wait after a failed sync; it doubles up to `backoffMaxMs`. */
  backoffMs: number;
  backoffMaxMs: number;
}

/** What a host's Audible services share: the directory, the server's key, the hosts and limits. */
export interface AudibleDeps {
  directory: DirectoryPort;
  /** Seals account credentials and pending sign-ins with the host's key (SAGASYNC_SECRET). */
  sealer: CredentialSealer;
  /** Other Audible / Amazon hosts (a proxy, fake-audible in tests); the marketplace's own otherwise. */
  endpoints: Partial<AudibleEndpoints>;
  limits: SyncLimits;
  signInTtlMs: number;
  /**
   * Aborted when the host shuts down past its grace period: Audible calls in flight stop, and
   * the failure they end with is not held against the user (no backoff).
   */
  shutdown: AbortSignal;
}

export function audibleEndpoints(settings: { audibleApiUrl?: string | null; amazonApiUrl?: string | null }): Partial<AudibleEndpoints> {
  return {
    ...(settings.audibleApiUrl ? { apiUrl: settings.audibleApiUrl } : {}),
    ...(settings.amazonApiUrl ? { amazonUrl: settings.amazonApiUrl } : {}),
  };
}
