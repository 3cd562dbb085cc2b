import { randomUUID } from 'node:crypto';
import type { StorageFactory, StoragePort } from '@sagasync/core';
import { perTest } from './per-test.js';

/** What an adapter can do beyond the guarantees every adapter gives. */
export interface StorageCapabilities {
  /**
   * Titles written in one batch by the large-batch test.
   * @default 10_000
   */
  largeBatchSize?: number;
  /**
   * Writers racing on one record in the concurrency tests.
   * @default 8
   */
  parallelWriters?: number;
}

export interface StorageConformanceOptions {
  /** Shown in the test names, e.g. `sqlite`. */
  name: string;
  /** A fresh, empty (or at least owner-disjoint) store; called before every test. */
  create: StorageFactory;
  /** Disposes of a store after its test; defaults to `store.close()`. */
  destroy?: (store: StoragePort) => Promise<void>;
  capabilities?: StorageCapabilities;
  /**
   * Reads back every row the adapter stored for an owner, in whatever form it stores them (table
   * rows, items); the suite checks for leftovers and cross-owner data no port read would show.
   * Tests that need it are skipped without it.
   */
  rawRows?: RawRowsHook;
}

export type RawRowsHook = (store: StoragePort, ownerId: string) => Promise<unknown[]>;

export interface SuiteContext {
  /** The current test's store. */
  store(): StoragePort;
  /** A new random owner id, so tests never see each other's records on a shared backend. */
  owner(): string;
  readonly capabilities: Required<StorageCapabilities>;
  readonly rawRows: RawRowsHook | undefined;
}

/** Registers the per-test store lifecycle in the enclosing `describe`. */
export function createSuiteContext(options: StorageConformanceOptions): SuiteContext {
  const store = perTest(options.create, (value) => (options.destroy ? options.destroy(value) : value.close()), 'store');
  return {
    store,
    owner: () => `owner-${randomUUID()}`,
    capabilities: {
      largeBatchSize: options.capabilities?.largeBatchSize ?? 10_000,
      parallelWriters: options.capabilities?.parallelWriters ?? 8,
    },
    rawRows: options.rawRows,
  };
}

export { expectFailure } from './per-test.js';
