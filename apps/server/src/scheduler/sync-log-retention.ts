import type { DirectoryPort, StoragePort } from '@sagasync/core';

/** Users read per directory page while pruning. */
const PAGE = 100;

/**
 * The sync log's retention: deletes every user's sync runs that started before `before`, through
 * the library port (`purgeSyncRuns`), so it runs as each user, under PostgreSQL's row-level
 * security, on any store. Returns how many runs it deleted, and the users whose purge failed
 * (the caller logs them; the next pass tries them again), so one user's failure stops no other's.
 */
export async function pruneSyncLogs(deps: { storage: StoragePort; directory: DirectoryPort }, before: Date): Promise<{ pruned: number; failed: string[] }> {
  let pruned = 0;
  const failed: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await deps.directory.listUsers({ cursor, limit: PAGE });
    for (const user of page.items) {
      try {
        pruned += await deps.storage.purgeSyncRuns(user.id, before);
      } catch {
        failed.push(user.id);
      }
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { pruned, failed };
}
