import type { Logger, StoragePort } from '@sagasync/core';

/** A lease this instance holds, remembered so a shutdown can give back what a stuck sync still holds. */
export interface HeldLease {
  ownerId: string;
  name: string;
  holder: string;
}

export interface LeaseOptions {
  storage: StoragePort;
  ownerId: string;
  name: string;
  holder: string;
  /** Short, and renewed while the work runs, so an instance that died blocks the user only briefly. */
  ttlMs: number;
  clock: () => Date;
  log: Logger;
  held: Set<HeldLease>;
}

/**
 * Runs `work` holding the owner's lease `name`, renewed every third of its time and released
 * after, whatever happens. `acquired: false` when another instance holds it: that instance is
 * doing the work.
 */
export async function withLease<T>(options: LeaseOptions, work: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }> {
  const { storage, ownerId, name, holder, ttlMs, clock, log } = options;
  const request = () => ({ name, holder, ttlMs, now: clock() });
  const lease = await storage.acquireLease(ownerId, request());
  if (!lease) return { acquired: false };
  const entry: HeldLease = { ownerId, name, holder };
  options.held.add(entry);
  const renewal = setInterval(() => {
    storage.renewLease(ownerId, request()).then(
      (renewed) => {
        // The work goes on: the directory's claim, not the lease, is what keeps a sync from running twice.
        if (!renewed) log.error('the sync lease was lost (this instance stalled longer than the lease)', { ownerId, lease: name });
      },
      (error: unknown) => log.warn('could not renew the sync lease', { ownerId, lease: name, error: error instanceof Error ? error.message : String(error) }),
    );
  }, Math.max(1, Math.floor(ttlMs / 3)));
  renewal.unref();
  try {
    return { acquired: true, value: await work() };
  } finally {
    clearInterval(renewal);
    options.held.delete(entry);
    await storage.releaseLease(ownerId, name, holder).catch(() => false);
  }
}
