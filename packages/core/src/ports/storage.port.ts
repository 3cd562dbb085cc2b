import type {
  Conflict,
  CredentialBlob,
  Link,
  MatchDecision,
  Progress,
  ProgressHistoryEntry,
  Series,
  SyncKind,
  SyncRun,
  Title,
  TrackerBook,
  TrackerSource,
} from '../model/index.js';

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
  /** One title, or null. */
  getTitle(ownerId: string, asin: string): Promise<Title | null>;
  /** The titles among `asins` that exist, in no particular order. */
  getTitles(ownerId: string, asins: readonly string[]): Promise<Title[]>;
  /** Titles, ordered by ASIN; `owned` filters owned (true) or synthetic (false) volumes. */
  listTitles(ownerId: string, filter?: TitleFilter): Promise<Title[]>;
  countTitles(ownerId: string, filter?: TitleFilter): Promise<number>;

  getSeries(ownerId: string, key: string): Promise<Series | null>;
  /** Series, ordered by key. */
  listSeries(ownerId: string): Promise<Series[]>;

  getProgress(ownerId: string, asin: string): Promise<Progress | null>;
  /** Progress of every title that has any, ordered by ASIN. */
  listProgress(ownerId: string): Promise<Progress[]>;
  /** A title's history, oldest first, ordered by (at, id). */
  listHistory(ownerId: string, asin: string): Promise<ProgressHistoryEntry[]>;

  getTrackerBook(ownerId: string, source: TrackerSource, trackerId: string): Promise<TrackerBook | null>;
  /** Tracker books, ordered by (source, trackerId). */
  listTrackerBooks(ownerId: string, source?: TrackerSource): Promise<TrackerBook[]>;

  /** Links, ordered by (asin, source); filters combine with AND. */
  listLinks(ownerId: string, filter?: { asin?: string; source?: TrackerSource; trackerId?: string }): Promise<Link[]>;

  getConflict(ownerId: string, id: string): Promise<Conflict | null>;
  /** Conflicts ordered by id. */
  listConflicts(ownerId: string, filter?: { status?: Conflict['status'] }): Promise<Conflict[]>;
  /** Remembered decisions, ordered by (source, trackerId, asin). */
  listDecisions(ownerId: string, filter?: { source?: TrackerSource; trackerId?: string }): Promise<MatchDecision[]>;

  /** Runs, newest first (by startedAt, then id). */
  listSyncRuns(ownerId: string, filter?: { kind?: SyncKind; limit?: number }): Promise<SyncRun[]>;

  /** A JSON value stored under `key`, or null. */
  getSetting(ownerId: string, key: string): Promise<unknown>;

  getCredential(ownerId: string, name: string): Promise<CredentialBlob | null>;
  listCredentialNames(ownerId: string): Promise<string[]>;

  /** Applies every operation or none. See `BatchOperation`. */
  applyBatch(ownerId: string, operations: readonly BatchOperation[]): Promise<BatchResult>;

  /** Releases connections, file handles and locks. */
  close(): Promise<void>;
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
  | { op: 'deleteCredential'; name: string };

export interface BatchResult {
  /** Number of operations applied (all of them). */
  applied: number;
}

/** Builds a fresh store; the conformance suite and apps use factories, never globals. */
export type StorageFactory = () => Promise<StoragePort>;
