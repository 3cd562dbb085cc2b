import { runStorageConformance } from '../conformance/index.js';
import { createMemoryStorage, memoryRawRows } from './memory-storage.js';

runStorageConformance({ name: 'memory', create: async () => createMemoryStorage(), rawRows: memoryRawRows });

// The same adapter declaring DynamoDB's limit: the suite's chunked writes and refusals run for real.
runStorageConformance({
  name: 'memory, 100 operations a batch',
  create: async () => createMemoryStorage({ limits: { maxOperationsPerBatch: 100 } }),
  rawRows: memoryRawRows,
  capabilities: { largeBatchSize: 2_000 },
});
