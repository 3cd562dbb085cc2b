import { normaliseSeriesTitle, type BatchOperation } from '@sagasync/core';
import { instantMs } from '@sagasync/storage';
import { tables, type Table } from './tables.js';

export type Value = string | number | boolean;

/**
 * How a write treats the stored row's version: `any` writes whatever is there (a put of a versioned
 * record makes it version+1, or 1), `new` only creates (expectedVersion null), `at` only changes the
 * row at `expectedVersion`. Unversioned tables are always `any`.
 */
export type Condition = 'any' | 'new' | 'at';

/** One batch operation as the row write it makes. */
export interface Write {
  /** The operation's place in the batch: the first failing one is the one reported. */
  index: number;
  table: Table;
  /** `insertOnce` keeps an existing row (appendHistory's idempotence). */
  action: 'put' | 'insertOnce' | 'delete';
  condition: Condition;
  expectedVersion: number | null;
  /** The key column values, in `table.keys` order (without the owner). */
  keys: readonly string[];
  /** The put's column values, in `table.columns` order; empty for a delete. */
  values: readonly Value[];
  /** The record's key in a conflict message (the key without the owner). */
  label: string;
  /** A title's write: the series keys its membership rows become (none for a delete). */
  seriesKeys?: readonly string[];
}

/** Batch values carry no owner or version (they are columns), so the record's JSON is the value's. */
const json = (value: unknown): string => JSON.stringify(value);

type Shape = Pick<Write, 'table' | 'keys' | 'values' | 'seriesKeys'>;

function put(index: number, shape: Shape, expectedVersion?: number | null): Write {
  const condition = expectedVersion === undefined ? 'any' : expectedVersion === null ? 'new' : 'at';
  return { index, action: 'put', condition, expectedVersion: expectedVersion ?? null, label: shape.keys.join(' '), ...shape };
}

function remove(index: number, table: Table, keys: readonly string[], expectedVersion?: number, seriesKeys?: readonly string[]): Write {
  const condition = expectedVersion === undefined ? 'any' : 'at';
  return { index, table, action: 'delete', condition, expectedVersion: expectedVersion ?? null, keys, values: [], label: keys.join(' '), seriesKeys };
}

/** The row write of one validated operation. */
export function toWrite(operation: BatchOperation, index: number): Write {
  switch (operation.op) {
    case 'putTitle': {
      const value = operation.value;
      const seriesKeys = [...new Set(value.series.map((membership) => membership.seriesKey))];
      return put(index, { table: tables.titles, keys: [value.asin], values: [value.owned, json(value)], seriesKeys }, operation.expectedVersion);
    }
    case 'deleteTitle':
      return remove(index, tables.titles, [operation.asin], operation.expectedVersion, []);
    case 'putSeries': {
      const value = operation.value;
      return put(index, { table: tables.series, keys: [value.key], values: [normaliseSeriesTitle(value.title), json(value)] }, operation.expectedVersion);
    }
    case 'deleteSeries':
      return remove(index, tables.series, [operation.key], operation.expectedVersion);
    case 'putProgress': {
      const value = operation.value;
      return put(index, { table: tables.progress, keys: [value.asin], values: [value.status, json(value)] }, operation.expectedVersion);
    }
    case 'appendHistory': {
      const value = operation.value;
      return { ...put(index, { table: tables.history, keys: [value.asin, value.id], values: [instantMs(value.at), json(value)] }), action: 'insertOnce' };
    }
    case 'putTrackerBook':
      return put(index, { table: tables.trackerBooks, keys: [operation.value.source, operation.value.trackerId], values: [json(operation.value)] });
    case 'deleteTrackerBook':
      return remove(index, tables.trackerBooks, [operation.source, operation.trackerId]);
    case 'putLink': {
      const value = operation.value;
      return put(index, { table: tables.links, keys: [value.asin, value.source], values: [value.trackerId, json(value)] });
    }
    case 'deleteLink':
      return remove(index, tables.links, [operation.asin, operation.source]);
    case 'putConflict': {
      const value = operation.value;
      return put(index, { table: tables.conflicts, keys: [value.id], values: [value.status, json(value)] }, operation.expectedVersion);
    }
    case 'deleteConflict':
      return remove(index, tables.conflicts, [operation.id]);
    case 'putDecision': {
      const value = operation.value;
      return put(index, { table: tables.decisions, keys: [value.source, value.trackerId, value.asin ?? ''], values: [json(value)] });
    }
    case 'deleteDecision':
      return remove(index, tables.decisions, [operation.source, operation.trackerId, operation.asin ?? '']);
    case 'putSyncRun': {
      const value = operation.value;
      return put(index, { table: tables.syncRuns, keys: [value.id], values: [value.kind, instantMs(value.startedAt), json(value)] });
    }
    case 'putSetting':
      return put(index, { table: tables.settings, keys: [operation.key], values: [json(operation.value)] });
    case 'deleteSetting':
      return remove(index, tables.settings, [operation.key]);
    case 'putCredential':
      return put(index, { table: tables.credentials, keys: [operation.value.name], values: [json(operation.value)] });
    case 'deleteCredential':
      return remove(index, tables.credentials, [operation.name]);
    case 'putMirrorRecord':
      return put(index, { table: tables.mirrorRecords, keys: [operation.value.table, operation.value.key], values: [json(operation.value)] });
    case 'deleteMirrorRecord':
      return remove(index, tables.mirrorRecords, [operation.table, operation.key]);
    case 'putBaseline':
      return put(index, { table: tables.baselines, keys: [operation.value.asin, operation.value.source], values: [json(operation.value)] });
    case 'deleteBaseline':
      return remove(index, tables.baselines, [operation.asin, operation.source]);
    case 'putSeriesAlias':
      return put(index, { table: tables.seriesAliases, keys: [operation.value.alias], values: [operation.value.seriesKey, json(operation.value)] });
    case 'deleteSeriesAlias':
      return remove(index, tables.seriesAliases, [operation.alias]);
    case 'putExpiring':
      return put(index, { table: tables.expiring, keys: [operation.value.kind, operation.value.key], values: [instantMs(operation.value.expiresAt), json(operation.value)] });
    case 'deleteExpiring':
      return remove(index, tables.expiring, [operation.kind, operation.key]);
  }
}
