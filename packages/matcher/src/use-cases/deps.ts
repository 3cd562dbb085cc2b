import type { UseCaseContext } from '@sagasync/core';

/**
 * What the store-facing use cases take: core's use-case context (`storage`, `ownerId`, `clock`,
 * `log`). Kept under this name for existing callers; flow options such as a deadline are named
 * options of the use case, not part of the context.
 */
export type MatcherDeps = UseCaseContext;

/** Conflicts are keyed by the tracker book they are about. */
export function conflictIdFor(source: string, trackerId: string): string {
  return `${source}:${trackerId}`;
}
