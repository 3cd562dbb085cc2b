import type Database from 'better-sqlite3';
import type { BatchOperation } from '@sagasync/core';
import { instantMs } from '@sagasync/storage';
import { PlainTableWriter, VersionedTableWriter } from './table-writers.js';

/**
 * Applies validated batch operations with statements prepared once per store. The caller runs
 * `apply` inside one IMMEDIATE transaction; a throw rolls the whole batch back.
 */
export function createBatchWriter(db: Database.Database) {
  const titles = new VersionedTableWriter(db, 'title', 'titles', ['owner_id', 'asin'], ['owned', 'data']);
  const series = new VersionedTableWriter(db, 'series', 'series', ['owner_id', 'key'], ['data']);
  const progress = new VersionedTableWriter(db, 'progress', 'progress', ['owner_id', 'asin'], ['data']);
  const conflicts = new VersionedTableWriter(db, 'conflict', 'conflicts', ['owner_id', 'id'], ['status', 'data']);
  const history = new PlainTableWriter(db, 'history', ['owner_id', 'asin', 'id'], ['at_ms', 'data']);
  const trackerBooks = new PlainTableWriter(db, 'tracker_books', ['owner_id', 'source', 'tracker_id'], ['data']);
  const links = new PlainTableWriter(db, 'links', ['owner_id', 'asin', 'source'], ['tracker_id', 'data']);
  const decisions = new PlainTableWriter(db, 'decisions', ['owner_id', 'source', 'tracker_id', 'asin_key'], ['data']);
  const syncRuns = new PlainTableWriter(db, 'sync_runs', ['owner_id', 'id'], ['kind', 'started_ms', 'data']);
  const settings = new PlainTableWriter(db, 'settings', ['owner_id', 'key'], ['data']);
  const credentials = new PlainTableWriter(db, 'credentials', ['owner_id', 'name'], ['data']);
  const json = JSON.stringify;

  function apply(owner: string, operation: BatchOperation): void {
    switch (operation.op) {
      case 'putTitle': {
        const value = operation.value;
        return titles.put([owner, value.asin], [value.owned ? 1 : 0, json(value)], operation.expectedVersion, value.asin);
      }
      case 'deleteTitle':
        return titles.remove([owner, operation.asin], operation.expectedVersion, operation.asin);
      case 'putSeries':
        return series.put([owner, operation.value.key], [json(operation.value)], operation.expectedVersion, operation.value.key);
      case 'deleteSeries':
        return series.remove([owner, operation.key], operation.expectedVersion, operation.key);
      case 'putProgress':
        return progress.put([owner, operation.value.asin], [json(operation.value)], operation.expectedVersion, operation.value.asin);
      case 'appendHistory': {
        const value = operation.value;
        return history.insertOnce([owner, value.asin, value.id], [instantMs(value.at), json(value)]);
      }
      case 'putTrackerBook':
        return trackerBooks.put([owner, operation.value.source, operation.value.trackerId], [json(operation.value)]);
      case 'deleteTrackerBook':
        return trackerBooks.remove([owner, operation.source, operation.trackerId]);
      case 'putLink': {
        const value = operation.value;
        return links.put([owner, value.asin, value.source], [value.trackerId, json(value)]);
      }
      case 'deleteLink':
        return links.remove([owner, operation.asin, operation.source]);
      case 'putConflict': {
        const value = operation.value;
        return conflicts.put([owner, value.id], [value.status, json(value)], operation.expectedVersion, value.id);
      }
      case 'deleteConflict':
        return conflicts.remove([owner, operation.id], undefined, operation.id);
      case 'putDecision': {
        const value = operation.value;
        return decisions.put([owner, value.source, value.trackerId, value.asin ?? ''], [json(value)]);
      }
      case 'deleteDecision':
        return decisions.remove([owner, operation.source, operation.trackerId, operation.asin ?? '']);
      case 'putSyncRun': {
        const value = operation.value;
        return syncRuns.put([owner, value.id], [value.kind, instantMs(value.startedAt), json(value)]);
      }
      case 'putSetting':
        return settings.put([owner, operation.key], [json(operation.value)]);
      case 'deleteSetting':
        return settings.remove([owner, operation.key]);
      case 'putCredential':
        return credentials.put([owner, operation.value.name], [json(operation.value)]);
      case 'deleteCredential':
        return credentials.remove([owner, operation.name]);
    }
  }

  return { apply };
}
