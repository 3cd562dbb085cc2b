import { describe } from 'vitest';
import { describeBatches } from './batches.js';
import { describeChunks } from './chunks.js';
import { describeConcurrency } from './concurrency.js';
import { describeExpiring } from './expiring.js';
import { describeIndexedReads } from './indexed-reads.js';
import { describeIsolation } from './isolation.js';
import { describeLargeBatch } from './large-batch.js';
import { describeLeases } from './leases.js';
import { describePagination } from './pagination.js';
import { describeQueries } from './queries.js';
import { describeRawRows } from './raw-rows.js';
import { describeRoundTrips } from './round-trips.js';
import { describeSideRecords } from './side-records.js';
import { describeTransfer } from './transfer.js';
import { createSuiteContext, type StorageConformanceOptions } from './suite-context.js';
import { describeVersions } from './versions.js';

export type { RawRowsHook, StorageCapabilities, StorageConformanceOptions } from './suite-context.js';
/** The smallest valid title, and an owner with every kind of record, for tests beside the suite. */
export { bareTitle, everyKindOfRecord } from './fixtures.js';

/**
 * The storage conformance suite: registers vitest tests that hold an adapter to every guarantee
 * of the storage port. Call it at the top level of a test file; each test gets a fresh store from
 * `create` and random owner ids, so it also runs against a shared backend.
 *
 * ```ts
 * runStorageConformance({ name: 'memory', create: async () => createMemoryStorage() });
 * ```
 */
export function runStorageConformance(options: StorageConformanceOptions): void {
  describe(`storage conformance: ${options.name}`, () => {
    const ctx = createSuiteContext(options);
    describeRoundTrips(ctx);
    describeVersions(ctx);
    describeBatches(ctx);
    describeConcurrency(ctx);
    describeIsolation(ctx);
    describeQueries(ctx);
    describeIndexedReads(ctx);
    describePagination(ctx);
    describeSideRecords(ctx);
    describeLeases(ctx);
    describeExpiring(ctx);
    describeChunks(ctx);
    describeRawRows(ctx);
    describeTransfer(ctx);
    describeLargeBatch(ctx);
  });
}
export { runDirectoryConformance, type DirectoryConformanceOptions } from '../directory-conformance/index.js';
