import type { StoragePort } from '@sagasync/core';

/** What the store-facing use cases need; apps wire the adapter and the owner. */
export interface MatcherDeps {
  storage: StoragePort;
  ownerId: string;
  /** Defaults to the system clock; tests pass a fixed one. */
  clock?: () => Date;
}

export function nowIso(deps: MatcherDeps): string {
  return (deps.clock?.() ?? new Date()).toISOString();
}

/** Conflicts are keyed by the tracker book they are about. */
export function conflictIdFor(source: string, trackerId: string): string {
  return `${source}:${trackerId}`;
}
