/**
 * @sagasync/storage: the storage port for adapter authors (declared in @sagasync/core, where the
 * use cases are written against it), the in-memory reference adapter and the credential vault.
 * The conformance suite lives at `@sagasync/storage/conformance`, so importing this entry never
 * pulls in vitest.
 */
export type {
  BatchOperation,
  BatchResult,
  ConflictData,
  CredentialData,
  DecisionData,
  ExpectedVersion,
  HistoryData,
  LinkData,
  ProgressData,
  SeriesData,
  StorageFactory,
  StoragePort,
  SyncRunData,
  TitleData,
  TitleFilter,
  TrackerBookData,
} from '@sagasync/core';
export { createMemoryStorage } from './memory/memory-storage.js';
export { parseOperation, parseOperations, parseOwnerId } from './batch/parse-operations.js';
export { compareKeys, compareText, instantMs } from './batch/ordering.js';
export {
  createCredentialVault,
  deriveKeyFromPassphrase,
  keyFromSecret,
  type CredentialKey,
  type CredentialVault,
  type CredentialVaultOptions,
} from './credentials/vault.js';
