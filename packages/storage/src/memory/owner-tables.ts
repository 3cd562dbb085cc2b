import type {
  Conflict,
  CredentialBlob,
  ExpiringRecord,
  Lease,
  Link,
  MatchDecision,
  MirrorRecord,
  Progress,
  ProgressHistoryEntry,
  Series,
  SeriesAlias,
  SourceBaseline,
  SyncRun,
  Title,
  TrackerBook,
} from '@sagasync/core';

/** One owner's records, each table keyed by its natural key (see `keyOf`). */
export interface TableRows {
  titles: Title;
  series: Series;
  progress: Progress;
  history: ProgressHistoryEntry;
  trackerBooks: TrackerBook;
  links: Link;
  conflicts: Conflict;
  decisions: MatchDecision;
  syncRuns: SyncRun;
  settings: { key: string; value: unknown };
  credentials: CredentialBlob;
  mirrorRecords: MirrorRecord;
  baselines: SourceBaseline;
  seriesAliases: SeriesAlias;
  leases: Lease;
  expiring: ExpiringRecord;
}
export type TableName = keyof TableRows;
export type OwnerTables = { [T in TableName]: Map<string, TableRows[T]> };

const TABLE_NAMES: readonly TableName[] = [
  'titles',
  'series',
  'progress',
  'history',
  'trackerBooks',
  'links',
  'conflicts',
  'decisions',
  'syncRuns',
  'settings',
  'credentials',
  'mirrorRecords',
  'baselines',
  'seriesAliases',
  'leases',
  'expiring',
];

export function emptyTables(): OwnerTables {
  return Object.fromEntries(TABLE_NAMES.map((name) => [name, new Map()])) as OwnerTables;
}

/** Composite keys joined by NUL, which no key part contains. A null part (a decision's asin) is empty. */
export function keyOf(...parts: (string | null)[]): string {
  return parts.map((part) => part ?? '').join('\u0000');
}

const REMOVED = Symbol('removed');

/**
 * The writes of one batch, kept aside until every operation has succeeded. Reads see the batch's
 * own earlier writes, so `create` then `update` in one batch works; a failure discards them all.
 */
export class StagedTables {
  private readonly changes = new Map<TableName, Map<string, unknown>>();

  constructor(private readonly tables: OwnerTables) {}

  get<T extends TableName>(table: T, key: string): TableRows[T] | undefined {
    const staged = this.changes.get(table);
    if (staged?.has(key)) {
      const value = staged.get(key);
      return value === REMOVED ? undefined : (value as TableRows[T]);
    }
    return this.tables[table].get(key);
  }

  set<T extends TableName>(table: T, key: string, value: TableRows[T]): void {
    this.tableChanges(table).set(key, value);
  }

  remove(table: TableName, key: string): void {
    this.tableChanges(table).set(key, REMOVED);
  }

  commit(): void {
    for (const [table, staged] of this.changes) {
      const target = this.tables[table] as Map<string, unknown>;
      for (const [key, value] of staged) {
        if (value === REMOVED) target.delete(key);
        else target.set(key, value);
      }
    }
    this.changes.clear();
  }

  private tableChanges(table: TableName): Map<string, unknown> {
    let staged = this.changes.get(table);
    if (!staged) {
      staged = new Map();
      this.changes.set(table, staged);
    }
    return staged;
  }
}
