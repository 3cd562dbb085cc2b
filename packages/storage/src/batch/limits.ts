import { SagaSyncError, type StorageLimits } from '@sagasync/core';

/**
 * Refuses a batch over the adapter's limit before anything is written. A use case that meets this
 * should have split its writes with `applyInChunks`.
 */
export function checkBatchSize(operations: readonly unknown[], limits: StorageLimits): void {
  if (Array.isArray(operations) && operations.length > limits.maxOperationsPerBatch) {
    throw new SagaSyncError(
      'invalid_input',
      `a batch of ${operations.length} operations is over this store's limit of ${limits.maxOperationsPerBatch}; split it (see applyInChunks)`,
      { details: { location: 'operations', limit: limits.maxOperationsPerBatch, size: operations.length } },
    );
  }
}
