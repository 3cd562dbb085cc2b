import { VersionConflictError, type BatchOperation } from '@sagasync/core';
import { keyOf, type StagedTables } from './owner-tables.js';

/** Applies one validated operation to the staged tables; throws to fail the whole batch. */
export function applyOperation(tables: StagedTables, ownerId: string, operation: BatchOperation): void {
  switch (operation.op) {
    case 'putTitle': {
      const key = operation.value.asin;
      const version = nextVersion('title', key, tables.get('titles', key)?.version, operation.expectedVersion);
      tables.set('titles', key, { ...operation.value, ownerId, version });
      return;
    }
    case 'deleteTitle':
      checkDelete('title', operation.asin, tables.get('titles', operation.asin)?.version, operation.expectedVersion);
      tables.remove('titles', operation.asin);
      return;
    case 'putSeries': {
      const key = operation.value.key;
      const version = nextVersion('series', key, tables.get('series', key)?.version, operation.expectedVersion);
      tables.set('series', key, { ...operation.value, ownerId, version });
      return;
    }
    case 'deleteSeries':
      checkDelete('series', operation.key, tables.get('series', operation.key)?.version, operation.expectedVersion);
      tables.remove('series', operation.key);
      return;
    case 'putProgress': {
      const key = operation.value.asin;
      const version = nextVersion('progress', key, tables.get('progress', key)?.version, operation.expectedVersion);
      tables.set('progress', key, { ...operation.value, ownerId, version });
      return;
    }
    case 'appendHistory': {
      const key = keyOf(operation.value.asin, operation.value.id);
      // Idempotent retries: the first entry with an id wins.
      if (!tables.get('history', key)) tables.set('history', key, { ...operation.value, ownerId });
      return;
    }
    case 'putTrackerBook':
      tables.set('trackerBooks', keyOf(operation.value.source, operation.value.trackerId), { ...operation.value, ownerId });
      return;
    case 'deleteTrackerBook':
      tables.remove('trackerBooks', keyOf(operation.source, operation.trackerId));
      return;
    case 'putLink':
      tables.set('links', keyOf(operation.value.asin, operation.value.source), { ...operation.value, ownerId });
      return;
    case 'deleteLink':
      tables.remove('links', keyOf(operation.asin, operation.source));
      return;
    case 'putConflict': {
      const key = operation.value.id;
      const version = nextVersion('conflict', key, tables.get('conflicts', key)?.version, operation.expectedVersion);
      tables.set('conflicts', key, { ...operation.value, ownerId, version });
      return;
    }
    case 'deleteConflict':
      tables.remove('conflicts', operation.id);
      return;
    case 'putDecision':
      tables.set('decisions', keyOf(operation.value.source, operation.value.trackerId, operation.value.asin), { ...operation.value, ownerId });
      return;
    case 'deleteDecision':
      tables.remove('decisions', keyOf(operation.source, operation.trackerId, operation.asin));
      return;
    case 'putSyncRun':
      tables.set('syncRuns', operation.value.id, { ...operation.value, ownerId });
      return;
    case 'putSetting':
      tables.set('settings', operation.key, { key: operation.key, value: operation.value });
      return;
    case 'deleteSetting':
      tables.remove('settings', operation.key);
      return;
    case 'putCredential':
      tables.set('credentials', operation.value.name, { ...operation.value, ownerId });
      return;
    case 'deleteCredential':
      tables.remove('credentials', operation.name);
      return;
    case 'putMirrorRecord':
      tables.set('mirrorRecords', keyOf(operation.value.table, operation.value.key), { ...operation.value, ownerId });
      return;
    case 'deleteMirrorRecord':
      tables.remove('mirrorRecords', keyOf(operation.table, operation.key));
      return;
    case 'putBaseline':
      tables.set('baselines', keyOf(operation.value.asin, operation.value.source), { ...operation.value, ownerId });
      return;
    case 'deleteBaseline':
      tables.remove('baselines', keyOf(operation.asin, operation.source));
      return;
    case 'putSeriesAlias':
      tables.set('seriesAliases', operation.value.alias, { ...operation.value, ownerId });
      return;
    case 'deleteSeriesAlias':
      tables.remove('seriesAliases', operation.alias);
      return;
    case 'putExpiring':
      tables.set('expiring', keyOf(operation.value.kind, operation.value.key), { ...operation.value, ownerId });
      return;
    case 'deleteExpiring':
      tables.remove('expiring', keyOf(operation.kind, operation.key));
      return;
  }
}

/** The version a put writes, after checking the writer's expectation against the stored one. */
function nextVersion(entity: string, key: string, current: number | undefined, expected: number | null | undefined): number {
  if (expected === null && current !== undefined) throw new VersionConflictError(entity, key, null, current);
  if (typeof expected === 'number' && current !== expected) throw new VersionConflictError(entity, key, expected, current ?? null);
  return (current ?? 0) + 1;
}

function checkDelete(entity: string, key: string, current: number | undefined, expected: number | undefined): void {
  if (expected !== undefined && current !== expected) throw new VersionConflictError(entity, key, expected, current ?? null);
}
