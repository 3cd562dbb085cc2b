import type {
  Conflict,
  CredentialBlob,
  ExpiringRecord,
  Lease,
  Link,
  ListeningStatus,
  MatchDecision,
  MirrorRecord,
  MirrorTableName,
  Progress,
  ProgressHistoryEntry,
  Series,
  SeriesAlias,
  SourceBaseline,
  SyncKind,
  SyncRun,
  Title,
  TrackerBook,
  TrackerSource,
} from '../model/index.js';
import type { Page, PageRequest } from './page.js';

/**
 * The storage port. Core's use cases are written against it; `@sagasync/storage` re-exports it
 * for adapter authors together with an in-memory adapter and the conformance suite every adapter
 * must pass.
 *
 * Guarantees every adapter gives:
 * - every read and write is scoped to one owner; nothing crosses owners;
 * - `applyBatch` applies all its operations or none;
 * - versioned records (titles, series, progress, conflicts) use optimistic concurrency: a write
 *   with an `expectedVersion` that no longer matches fails the whole batch with a
 *   `VersionConflictError`, so concurrent writers never lose an update;
 * - puts are idempotent upserts keyed by their natural key ((owner, ASIN) for titles).
 */
export interface StoragePort {
  /** What this adapter can apply at once; use cases split larger change sets (see `applyInChunks`). */
  readonly limits: StorageLimits;

  /** One title, or null. */
  getTitle(ownerId: string, asin: string): Promise<Title | null>;
  /** The titles among `asins` that exist, in no particular order. */
  getTitles(ownerId: string, asins: readonly string[]): Promise<Title[]>;
  /** Titles ordered by ASIN; the query's filters combine with AND. */
  listTitles(ownerId: string, query?: TitleQuery): Promise<Page<Title>>;
  countTitles(ownerId: string, filter?: TitleFilter): Promise<number>;
  /** How many titles have each listening status (a title without progress is `not_started`). */
  countTitlesByStatus(ownerId: string, filter?: TitleFilter): Promise<StatusCounts>;

  getSeries(ownerId: string, key: string): Promise<Series | null>;
  /** Series, ordered by key. */
  listSeries(ownerId: string, query?: PageRequest): Promise<Page<Series>>;
  /**
   * Series whose title normalises (`normaliseSeriesTitle`) to the same text as `name`, or, with
   * `prefix`, starts with it; ordered by (normalised title, key).
   */
  findSeriesByName(ownerId: string, name: string, query?: SeriesNameQuery): Promise<Page<Series>>;

  getProgress(ownerId: string, asin: string): Promise<Progress | null>;
  /** The progress rows among `asins` that exist, in no particular order (the volumes of a few series at once). */
  getProgresses(ownerId: string, asins: readonly string[]): Promise<Progress[]>;
  /**
   * What a series cascade reads, in one read: the series among `seriesKeys` that exist (by key),
   * every title in any of them (by ASIN, each once), and those titles' progress rows (by ASIN).
   * One statement on PostgreSQL and one read transaction on SQLite, so the three agree.
   */
  getSeriesSlice(ownerId: string, seriesKeys: readonly string[]): Promise<SeriesSlice>;
  /** Progress rows, ordered by ASIN; `status` filters. */
  listProgress(ownerId: string, query?: ProgressQuery): Promise<Page<Progress>>;
  /** A title's history, oldest first, ordered by (at, id). */
  listHistory(ownerId: string, asin: string, query?: PageRequest): Promise<Page<ProgressHistoryEntry>>;

  getTrackerBook(ownerId: string, source: TrackerSource, trackerId: string): Promise<TrackerBook | null>;
  /** Tracker books, ordered by (source, trackerId). */
  listTrackerBooks(ownerId: string, query?: { source?: TrackerSource } & PageRequest): Promise<Page<TrackerBook>>;

  /** Links, ordered by (asin, source); filters combine with AND. */
  listLinks(ownerId: string, query?: { asin?: string; source?: TrackerSource; trackerId?: string } & PageRequest): Promise<Page<Link>>;

  getConflict(ownerId: string, id: string): Promise<Conflict | null>;
  /** Conflicts ordered by id. */
  listConflicts(ownerId: string, query?: { status?: Conflict['status'] } & PageRequest): Promise<Page<Conflict>>;
  /** Remembered decisions, ordered by (source, trackerId, asin). */
  listDecisions(ownerId: string, query?: { source?: TrackerSource; trackerId?: string } & PageRequest): Promise<Page<MatchDecision>>;

  /** Runs, newest first (by startedAt, then id). */
  listSyncRuns(ownerId: string, query?: { kind?: SyncKind } & PageRequest): Promise<Page<SyncRun>>;
  /**
   * Deletes the owner's sync runs that started before `startedBefore` (the sync log's retention);
   * returns how many. Safe to repeat.
   */
  purgeSyncRuns(ownerId: string, startedBefore: Date): Promise<number>;

  /** A JSON value stored under `key`, or null. */
  getSetting(ownerId: string, key: string): Promise<unknown>;
  /** Every setting, ordered by key (an export or a store copy reads them whole). */
  listSettings(ownerId: string, query?: PageRequest): Promise<Page<Setting>>;

  getCredential(ownerId: string, name: string): Promise<CredentialBlob | null>;
  /** Credential names, in order. */
  listCredentialNames(ownerId: string, query?: PageRequest): Promise<Page<string>>;

  /** One mirrored Notion page's record, or null. */
  getMirrorRecord(ownerId: string, table: MirrorTableName, key: string): Promise<MirrorRecord | null>;
  /** Mirror records ordered by (table, key). */
  listMirrorRecords(ownerId: string, query?: { table?: MirrorTableName } & PageRequest): Promise<Page<MirrorRecord>>;

  /** What each source last said about a title's progress, ordered by source. */
  listBaselines(ownerId: string, asin: string): Promise<SourceBaseline[]>;
  /** What one source last said about every title, ordered by ASIN (an import reads its source's whole). */
  listSourceBaselines(ownerId: string, source: string, query?: PageRequest): Promise<Page<SourceBaseline>>;

  /** The series an alias stands for, or null. */
  getSeriesAlias(ownerId: string, alias: string): Promise<SeriesAlias | null>;
  /** Aliases ordered by alias; `seriesKey` gives the aliases of one series. */
  listSeriesAliases(ownerId: string, query?: { seriesKey?: string } & PageRequest): Promise<Page<SeriesAlias>>;

  /**
   * Takes the lease `name` for `holder` when it is free, expired or already the holder's (then it
   * is extended). Returns the lease held, or null when another holder has it.
   */
  acquireLease(ownerId: string, request: LeaseRequest): Promise<Lease | null>;
  /** Extends a lease the holder still has; null when it expired and was taken, or was released. */
  renewLease(ownerId: string, request: LeaseRequest): Promise<Lease | null>;
  /** Releases the holder's lease; false when the holder no longer had it. */
  releaseLease(ownerId: string, name: string, holder: string): Promise<boolean>;
  /** The current lease, expired or not, or null. */
  getLease(ownerId: string, name: string): Promise<Lease | null>;

  /** The record under (kind, key) unless it has expired by `now`. */
  getExpiring(ownerId: string, kind: string, key: string, now: Date): Promise<ExpiringRecord | null>;
  /**
   * Stores a record. With `ifAbsent`, stores it only when no unexpired record has its (kind, key)
   * (first writer wins: idempotency keys, replay nonces); `current` is then the one that stays.
   */
  putExpiring(ownerId: string, record: ExpiringData, options: { ifAbsent?: boolean; now: Date }): Promise<{ stored: boolean; current: ExpiringRecord }>;
  /** The records of one kind not expired by `now`, ordered by key (a cache read whole). */
  listExpiring(ownerId: string, kind: string, now: Date, query?: PageRequest): Promise<Page<ExpiringRecord>>;
  /** Deletes records expired by `now`; returns how many. */
  purgeExpired(ownerId: string, now: Date): Promise<number>;

  /** Applies every operation or none. See `BatchOperation`; at most `limits.maxOperationsPerBatch`. */
  applyBatch(ownerId: string, operations: readonly BatchOperation[]): Promise<BatchResult>;

  /** Releases connections, file handles and locks. */
  close(): Promise<void>;
}

/** One stored setting: a key and its JSON value. */
export interface Setting {
  key: string;
  value: unknown;
}

export interface StorageLimits {
  /** Operations one `applyBatch` applies atomically; `Infinity` when unbounded. DynamoDB: 100. */
  readonly maxOperationsPerBatch: number;
}

export type StatusCounts = Record<ListeningStatus, number>;

/** Some series with their members and the members' progress (`getSeriesSlice`). */
export interface SeriesSlice {
  series: Series[];
  titles: Title[];
  progress: Progress[];
}

export interface TitleQuery extends PageRequest {
  /** Owned (true) or synthetic (false) volumes. */
  owned?: boolean;
  /** Titles with a membership in any of these series. */
  seriesKeys?: readonly string[];
  /** Titles whose progress has this status; a title without progress is `not_started`. */
  status?: ListeningStatus;
}

export interface ProgressQuery extends PageRequest {
  status?: ListeningStatus;
}

export interface SeriesNameQuery extends PageRequest {
  /** Match series whose normalised title starts with the normalised `name`. */
  prefix?: boolean;
}

export interface LeaseRequest {
  name: string;
  holder: string;
  ttlMs: number;
  now: Date;
}

export interface TitleFilter {
  owned?: boolean;
}

/** Record data without the owner (given by the batch) and the version (assigned by the store). */
export type TitleData = Omit<Title, 'ownerId' | 'version'>;
export type SeriesData = Omit<Series, 'ownerId' | 'version'>;
export type ProgressData = Omit<Progress, 'ownerId' | 'version'>;
export type ConflictData = Omit<Conflict, 'ownerId' | 'version'>;
export type HistoryData = Omit<ProgressHistoryEntry, 'ownerId'>;
export type TrackerBookData = Omit<TrackerBook, 'ownerId'>;
export type LinkData = Omit<Link, 'ownerId'>;
export type DecisionData = Omit<MatchDecision, 'ownerId'>;
export type SyncRunData = Omit<SyncRun, 'ownerId'>;
export type CredentialData = Omit<CredentialBlob, 'ownerId'>;
export type MirrorRecordData = Omit<MirrorRecord, 'ownerId'>;
export type BaselineData = Omit<SourceBaseline, 'ownerId'>;
export type SeriesAliasData = Omit<SeriesAlias, 'ownerId'>;
export type ExpiringData = Omit<ExpiringRecord, 'ownerId'>;

/**
 * Optimistic concurrency for versioned puts and deletes:
 * - `undefined`: unconditional (create or overwrite; version becomes current + 1, or 1);
 * - `null`: create only; fails if the record exists;
 * - a number: the version the writer read; fails if the stored version differs (or it is gone).
 */
export type ExpectedVersion = number | null | undefined;

export type BatchOperation =
  | { op: 'putTitle'; value: TitleData; expectedVersion?: number | null }
  | { op: 'deleteTitle'; asin: string; expectedVersion?: number }
  | { op: 'putSeries'; value: SeriesData; expectedVersion?: number | null }
  | { op: 'deleteSeries'; key: string; expectedVersion?: number }
  | { op: 'putProgress'; value: ProgressData; expectedVersion?: number | null }
  /** Append-only; appending an entry whose id exists already is a no-op (idempotent retries). */
  | { op: 'appendHistory'; value: HistoryData }
  | { op: 'putTrackerBook'; value: TrackerBookData }
  | { op: 'deleteTrackerBook'; source: TrackerSource; trackerId: string }
  /** One link per (asin, source): a put replaces the previous one. */
  | { op: 'putLink'; value: LinkData }
  | { op: 'deleteLink'; asin: string; source: TrackerSource }
  | { op: 'putConflict'; value: ConflictData; expectedVersion?: number | null }
  | { op: 'deleteConflict'; id: string }
  /** One decision per (source, trackerId, asin); a put replaces it. */
  | { op: 'putDecision'; value: DecisionData }
  | { op: 'deleteDecision'; source: TrackerSource; trackerId: string; asin: string | null }
  | { op: 'putSyncRun'; value: SyncRunData }
  | { op: 'putSetting'; key: string; value: unknown }
  | { op: 'deleteSetting'; key: string }
  | { op: 'putCredential'; value: CredentialData }
  | { op: 'deleteCredential'; name: string }
  /** One record per (table, key); a put replaces it. */
  | { op: 'putMirrorRecord'; value: MirrorRecordData }
  | { op: 'deleteMirrorRecord'; table: MirrorTableName; key: string }
  /** One baseline per (asin, source); a put replaces it. */
  | { op: 'putBaseline'; value: BaselineData }
  | { op: 'deleteBaseline'; asin: string; source: string }
  | { op: 'putSeriesAlias'; value: SeriesAliasData }
  | { op: 'deleteSeriesAlias'; alias: string }
  /** Unconditional; `putExpiring` on the port has the first-writer-wins form. */
  | { op: 'putExpiring'; value: ExpiringData }
  | { op: 'deleteExpiring'; kind: string; key: string };

export interface BatchResult {
  /** Number of operations applied (all of them). */
  applied: number;
}

/** Builds a fresh store; the conformance suite and apps use factories, never globals. */
export type StorageFactory = () => Promise<StoragePort>;
