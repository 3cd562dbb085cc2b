import type Database from 'better-sqlite3';
import type { BatchOperation } from '@sagasync/core';
import { instantMs } from '@sagasync/storage';
import { seriesNameKey } from './open-database.js';
import type { RowDigest } from './row-digest.js';
import { PlainTableWriter, VersionedTableWriter } from './table-writers.js';

/** The digest of each table whose rows are records of a core schema (settings have none). */
export type TableDigests = Record<
  | 'titles'
  | 'series'
  | 'progress'
  | 'history'
  | 'trackerBooks'
  | 'links'
  | 'conflicts'
  | 'decisions'
  | 'syncRuns'
  | 'credentials'
  | 'mirrorRecords'
  | 'baselines'
  | 'seriesAliases',
  RowDigest
>;

/**
 * Applies validated batch operations with statements prepared once per store. The caller runs
 * `apply` inside one IMMEDIATE transaction; a throw rolls the whole batch back. Each record is
 * written as JSON with its digest (see `RowDigest`): operations arrive validated, so the digest
 * vouches for the row on later reads.
 */
export function createBatchWriter(db: Database.Database, digests: TableDigests) {
  const titles = new VersionedTableWriter(db, 'title', 'titles', ['owner_id', 'asin'], ['owned', 'status', 'data', 'digest']);
  const series = new VersionedTableWriter(db, 'series', 'series', ['owner_id', 'key'], ['name_key', 'data', 'digest']);
  const progress = new VersionedTableWriter(db, 'progress', 'progress', ['owner_id', 'asin'], ['status', 'data', 'digest']);
  const conflicts = new VersionedTableWriter(db, 'conflict', 'conflicts', ['owner_id', 'id'], ['status', 'data', 'digest']);
  const history = new PlainTableWriter(db, 'history', ['owner_id', 'asin', 'id'], ['at_ms', 'data', 'digest']);
  const trackerBooks = new PlainTableWriter(db, 'tracker_books', ['owner_id', 'source', 'tracker_id'], ['data', 'digest']);
  const links = new PlainTableWriter(db, 'links', ['owner_id', 'asin', 'source'], ['tracker_id', 'data', 'digest']);
  const decisions = new PlainTableWriter(db, 'decisions', ['owner_id', 'source', 'tracker_id', 'asin_key'], ['data', 'digest']);
  const syncRuns = new PlainTableWriter(db, 'sync_runs', ['owner_id', 'id'], ['kind', 'started_ms', 'data', 'digest']);
  const settings = new PlainTableWriter(db, 'settings', ['owner_id', 'key'], ['data']);
  const credentials = new PlainTableWriter(db, 'credentials', ['owner_id', 'name'], ['data', 'digest']);
  const mirrorRecords = new PlainTableWriter(db, 'mirror_records', ['owner_id', 'mirror_table', 'key'], ['data', 'digest']);
  const baselines = new PlainTableWriter(db, 'baselines', ['owner_id', 'asin', 'source'], ['data', 'digest']);
  const seriesAliases = new PlainTableWriter(db, 'series_aliases', ['owner_id', 'alias'], ['series_key', 'data', 'digest']);
  const expiring = new PlainTableWriter(db, 'expiring', ['owner_id', 'kind', 'key'], ['expires_ms', 'data']);
  // A title's series memberships as rows, rewritten with the title, for "titles of these series".
  const clearMemberships = db.prepare<[string, string]>('DELETE FROM title_series WHERE owner_id = ? AND asin = ?');
  // No ORDER BY: sorting by series_key would make SQLite walk the primary key over every row of the
  // owner instead of the title's index entry (quadratic in a large batch).
  const membershipKeys = db.prepare<[string, string], string>('SELECT series_key FROM title_series INDEXED BY title_series_by_title WHERE owner_id = ? AND asin = ?').pluck();
  const addMembership = db.prepare<[string, string, string]>('INSERT OR IGNORE INTO title_series (owner_id, series_key, asin) VALUES (?, ?, ?)');
  // The title's copy of its progress status (see migration 3): read when the title is written, and
  // set when its progress changes status (a row rewrite, so only when it differs).
  const progressStatus = db.prepare<[string, string], string>('SELECT status FROM progress WHERE owner_id = ? AND asin = ?').pluck();
  const titleStatus = db.prepare<[string, string, string, string]>('UPDATE titles SET status = ? WHERE owner_id = ? AND asin = ? AND status <> ?');
  const json = JSON.stringify;
  /** The `data` and `digest` columns of a record. */
  const record = (digest: RowDigest, value: unknown): [string, string] => {
    const data = json(value);
    return [data, digest.of(data)];
  };

  /**
   * A title's series memberships as rows. A created title has none yet; an updated one is
   * rewritten only when its series changed (most updates change other fields).
   */
  function writeMemberships(owner: string, asin: string, memberships: readonly { seriesKey: string }[], created: boolean): void {
    if (!created) {
      const next = [...new Set(memberships.map((m) => m.seriesKey))].sort();
      const current = membershipKeys.all(owner, asin).sort();
      if (current.length === next.length && current.every((key, i) => key === next[i])) return;
      clearMemberships.run(owner, asin);
    }
    for (const membership of memberships) addMembership.run(owner, membership.seriesKey, asin);
  }

  function apply(owner: string, operation: BatchOperation): void {
    switch (operation.op) {
      case 'putTitle': {
        const value = operation.value;
        const status = progressStatus.get(owner, value.asin) ?? 'not_started';
        titles.put([owner, value.asin], [value.owned ? 1 : 0, status, ...record(digests.titles, value)], operation.expectedVersion, value.asin);
        writeMemberships(owner, value.asin, value.series, operation.expectedVersion === null);
        return;
      }
      case 'deleteTitle':
        titles.remove([owner, operation.asin], operation.expectedVersion, operation.asin);
        clearMemberships.run(owner, operation.asin);
        return;
      case 'putSeries': {
        const value = operation.value;
        return series.put([owner, value.key], [seriesNameKey(value.title), ...record(digests.series, value)], operation.expectedVersion, value.key);
      }
      case 'deleteSeries':
        return series.remove([owner, operation.key], operation.expectedVersion, operation.key);
      case 'putProgress':
        progress.put([owner, operation.value.asin], [operation.value.status, ...record(digests.progress, operation.value)], operation.expectedVersion, operation.value.asin);
        titleStatus.run(operation.value.status, owner, operation.value.asin, operation.value.status);
        return;
      case 'appendHistory': {
        const value = operation.value;
        return history.insertOnce([owner, value.asin, value.id], [instantMs(value.at), ...record(digests.history, value)]);
      }
      case 'putTrackerBook':
        return trackerBooks.put([owner, operation.value.source, operation.value.trackerId], record(digests.trackerBooks, operation.value));
      case 'deleteTrackerBook':
        return trackerBooks.remove([owner, operation.source, operation.trackerId]);
      case 'putLink': {
        const value = operation.value;
        return links.put([owner, value.asin, value.source], [value.trackerId, ...record(digests.links, value)]);
      }
      case 'deleteLink':
        return links.remove([owner, operation.asin, operation.source]);
      case 'putConflict': {
        const value = operation.value;
        return conflicts.put([owner, value.id], [value.status, ...record(digests.conflicts, value)], operation.expectedVersion, value.id);
      }
      case 'deleteConflict':
        return conflicts.remove([owner, operation.id], undefined, operation.id);
      case 'putDecision': {
        const value = operation.value;
        return decisions.put([owner, value.source, value.trackerId, value.asin ?? ''], record(digests.decisions, value));
      }
      case 'deleteDecision':
        return decisions.remove([owner, operation.source, operation.trackerId, operation.asin ?? '']);
      case 'putSyncRun': {
        const value = operation.value;
        return syncRuns.put([owner, value.id], [value.kind, instantMs(value.startedAt), ...record(digests.syncRuns, value)]);
      }
      case 'putSetting':
        return settings.put([owner, operation.key], [json(operation.value)]);
      case 'deleteSetting':
        return settings.remove([owner, operation.key]);
      case 'putCredential':
        return credentials.put([owner, operation.value.name], record(digests.credentials, operation.value));
      case 'deleteCredential':
        return credentials.remove([owner, operation.name]);
      case 'putMirrorRecord':
        return mirrorRecords.put([owner, operation.value.table, operation.value.key], record(digests.mirrorRecords, operation.value));
      case 'deleteMirrorRecord':
        return mirrorRecords.remove([owner, operation.table, operation.key]);
      case 'putBaseline':
        return baselines.put([owner, operation.value.asin, operation.value.source], record(digests.baselines, operation.value));
      case 'deleteBaseline':
        return baselines.remove([owner, operation.asin, operation.source]);
      case 'putSeriesAlias':
        return seriesAliases.put([owner, operation.value.alias], [operation.value.seriesKey, ...record(digests.seriesAliases, operation.value)]);
      case 'deleteSeriesAlias':
        return seriesAliases.remove([owner, operation.alias]);
      case 'putExpiring':
        return expiring.put([owner, operation.value.kind, operation.value.key], [instantMs(operation.value.expiresAt), json(operation.value)]);
      case 'deleteExpiring':
        return expiring.remove([owner, operation.kind, operation.key]);
    }
  }

  return { apply };
}
