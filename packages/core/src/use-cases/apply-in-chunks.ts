import { SagaSyncError } from '../errors/sagasync-error.js';
import type { BatchOperation, StoragePort } from '../ports/storage.port.js';

/**
 * Writes a change set within the store's batch limit. `groups` are the units that must land
 * together (a progress row and its history entries); they are packed in order into as few batches
 * as fit, and `last` (the sync-run row) goes in the final batch, so a run is logged only once all
 * its records are written. A crash between batches leaves whole groups written; the caller's rerun
 * plans again from what is stored and writes only the rest, so it ends where one run would have.
 * Returns the number of batches written.
 */
export async function applyInChunks(
  storage: StoragePort,
  ownerId: string,
  groups: Iterable<readonly BatchOperation[]>,
  last: readonly BatchOperation[] = [],
  onProgress?: (written: number, total: number) => void,
): Promise<number> {
  const limit = storage.limits.maxOperationsPerBatch;
  const batches = packGroups(groups, last, limit);
  let total = 0;
  for (const batch of batches) total += batch.length;
  let written = 0;
  onProgress?.(0, total);
  for (const batch of batches) {
    await storage.applyBatch(ownerId, batch);
    written += batch.length;
    onProgress?.(written, total);
  }
  return batches.length;
}

/**
 * The batches `applyInChunks` writes, in order; pure, for tests and previews. `groups` may be a
 * generator: each group is read once and dropped, so a change set of 100,000 records is never
 * held as 100,000 little arrays.
 */
export function packGroups(groups: Iterable<readonly BatchOperation[]>, last: readonly BatchOperation[], limit: number): BatchOperation[][] {
  const batches: BatchOperation[][] = [];
  let current: BatchOperation[] = [];
  const add = (group: readonly BatchOperation[]) => {
    if (group.length > limit) {
      throw new SagaSyncError('internal', `a group of ${group.length} operations that must be written together exceeds the store's batch limit of ${limit}`);
    }
    if (group.length === 0) return;
    if (current.length + group.length > limit) {
      batches.push(current);
      current = [];
    }
    for (const operation of group) current.push(operation);
  };
  for (const group of groups) add(group);
  add(last);
  if (current.length > 0) batches.push(current);
  return batches;
}
