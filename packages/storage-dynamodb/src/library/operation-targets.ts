import type { BatchOperation } from '@sagasync/core';
import { items, keys } from './items.js';
import type { ItemKey } from './keys.js';
import type { Item } from './table-client.js';

export type VersionedEntity = 'title' | 'series' | 'progress' | 'conflict';

/** What one batch operation does to its one item. */
export type Target =
  /** A put (`item` builds it for the version it gets) or, with `item` null, a delete of a versioned record. */
  | { kind: 'versioned'; entity: VersionedEntity; key: ItemKey; label: string; expectedVersion: number | null | undefined; item: ((version: number) => Item) | null }
  /** A put (or, with `item` null, a delete) that replaces whatever is there. */
  | { kind: 'plain'; key: ItemKey; item: Item | null }
  /** A history entry: written only when no entry has its id. */
  | { kind: 'append'; key: ItemKey; item: Item };

/** The item a validated operation writes or deletes. */
export function targetOf(owner: string, operation: BatchOperation): Target {
  switch (operation.op) {
    case 'putTitle': {
      const value = operation.value;
      return versioned('title', keys.title(owner, value.asin), value.asin, operation.expectedVersion, (v) => items.title(owner, value, v));
    }
    case 'deleteTitle':
      return versioned('title', keys.title(owner, operation.asin), operation.asin, operation.expectedVersion, null);
    case 'putSeries': {
      const value = operation.value;
      return versioned('series', keys.series(owner, value.key), value.key, operation.expectedVersion, (v) => items.series(owner, value, v));
    }
    case 'deleteSeries':
      return versioned('series', keys.series(owner, operation.key), operation.key, operation.expectedVersion, null);
    case 'putProgress': {
      const value = operation.value;
      return versioned('progress', keys.progress(owner, value.asin), value.asin, operation.expectedVersion, (v) => items.progress(owner, value, v));
    }
    case 'putConflict': {
      const value = operation.value;
      return versioned('conflict', keys.conflict(owner, value.id), value.id, operation.expectedVersion, (v) => items.conflict(owner, value, v));
    }
    case 'deleteConflict':
      return versioned('conflict', keys.conflict(owner, operation.id), operation.id, undefined, null);
    case 'appendHistory':
      return { kind: 'append', key: keys.history(owner, operation.value.asin, operation.value.id), item: items.history(owner, operation.value) };
    case 'putTrackerBook':
      return put(items.trackerBook(owner, operation.value));
    case 'deleteTrackerBook':
      return remove(keys.trackerBook(owner, operation.source, operation.trackerId));
    case 'putLink':
      return put(items.link(owner, operation.value));
    case 'deleteLink':
      return remove(keys.link(owner, operation.asin, operation.source));
    case 'putDecision':
      return put(items.decision(owner, operation.value));
    case 'deleteDecision':
      return remove(keys.decision(owner, operation.source, operation.trackerId, operation.asin));
    case 'putSyncRun':
      return put(items.syncRun(owner, operation.value));
    case 'putSetting':
      return put(items.setting(owner, operation.key, operation.value));
    case 'deleteSetting':
      return remove(keys.setting(owner, operation.key));
    case 'putCredential':
      return put(items.credential(owner, operation.value));
    case 'deleteCredential':
      return remove(keys.credential(owner, operation.name));
    case 'putMirrorRecord':
      return put(items.mirrorRecord(owner, operation.value));
    case 'deleteMirrorRecord':
      return remove(keys.mirrorRecord(owner, operation.table, operation.key));
    case 'putBaseline':
      return put(items.baseline(owner, operation.value));
    case 'deleteBaseline':
      return remove(keys.baseline(owner, operation.asin, operation.source));
    case 'putSeriesAlias':
      return put(items.seriesAlias(owner, operation.value));
    case 'deleteSeriesAlias':
      return remove(keys.seriesAlias(owner, operation.alias));
    case 'putExpiring':
      return put(items.expiring(owner, operation.value));
    case 'deleteExpiring':
      return remove(keys.expiring(owner, operation.kind, operation.key));
  }
}

function versioned(
  entity: VersionedEntity,
  key: ItemKey,
  label: string,
  expectedVersion: number | null | undefined,
  item: ((version: number) => Item) | null,
): Target {
  return { kind: 'versioned', entity, key, label, expectedVersion, item };
}

function put(item: Item): Target {
  return { kind: 'plain', key: { pk: item.pk as string, sk: item.sk as string }, item };
}

function remove(key: ItemKey): Target {
  return { kind: 'plain', key, item: null };
}
