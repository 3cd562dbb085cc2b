/**
 * @sagasync/storage: the storage port for adapter authors (declared in @sagasync/core, where the
 * use cases are written against it), the in-memory reference adapter and the credential vault.
 * The conformance suite lives at `@sagasync/storage/conformance`, so importing this entry never
 * pulls in vitest.
 */
export type {
  BatchOperation,
  BaselineData,
  BatchResult,
  ConflictData,
  CredentialData,
  DecisionData,
  ExpectedVersion,
  ExpiringData,
  HistoryData,
  LeaseRequest,
  LinkData,
  MirrorRecordData,
  Page,
  PageRequest,
  ProgressData,
  ProgressQuery,
  SeriesAliasData,
  SeriesData,
  SeriesNameQuery,
  Setting,
  StatusCounts,
  StorageFactory,
  StorageLimits,
  StoragePort,
  SyncRunData,
  TitleData,
  TitleFilter,
  TitleQuery,
  TrackerBookData,
} from '@sagasync/core';
export { createMemoryStorage, memoryRawRows, type MemoryStorageOptions } from './memory/memory-storage.js';
export { parseOperation, parseOperations, parseOwnerId } from './batch/parse-operations.js';
export { compareKeys, compareText, instantMs } from './batch/ordering.js';
export {
  createCredentialSealer,
  createCredentialVault,
  deriveKeyFromPassphrase,
  keyFromSecret,
  type CredentialKey,
  type CredentialSealer,
  type CredentialVault,
  type CredentialVaultOptions,
} from './credentials/vault.js';
export { checkBatchSize } from './batch/limits.js';
export { composeSeriesSlice, sortSlice } from './reads/series-slice.js';
export { decodeCursor, encodeCursor, pageFrom, parsePageRequest, type CursorKey, type ParsedPageRequest } from './paging/cursor.js';
export { checkName, decideAcquire, decideRenew, isLive, parseLeaseRequest, type ParsedLeaseRequest } from './records/lease-rules.js';
export { checkKindAndKey, isUnexpired, parseExpiringData, parseNow } from './records/expiring-rules.js';
export { parseStartedBefore } from './records/sync-run-rules.js';
export type {
  DirectoryFactory,
  DirectoryPort,
  ScheduleLimits,
  SyncClaim,
  SyncClaimReason,
  TokenOwner,
} from '@sagasync/core';
export { createMemoryDirectory } from './directory/memory-directory.js';
export { directoryInput, type AudibleAccountRecord, type ResolvedScheduleLimits } from './directory/parse-input.js';
export { directoryErrors } from './directory/directory-errors.js';
export { decideSetEnabled, decideSyncClaim, isDueForSync, nextAllowedMs, utcDayOf, type ClaimDecision } from './directory/sync-rules.js';
export {
  copyOwner,
  dumpOwner,
  dumpLines,
  planCopy,
  readOwnerSnapshot,
  canonicalJson,
  RECORD_KINDS,
  type CopyOwnerOptions,
  type CopyOwnerResult,
  type CopyPlan,
  type NewerInTarget,
  type OwnerDump,
  type OwnerSnapshot,
  type RecordKind,
} from './transfer/index.js';
