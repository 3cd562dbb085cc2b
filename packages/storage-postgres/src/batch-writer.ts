import { normaliseSeriesTitle, VersionConflictError, type BatchOperation } from '@sagasync/core';
import { instantMs } from '@sagasync/storage';
import type { PoolClient } from 'pg';

type Value = string | number | boolean | null | readonly string[];

/** Batch values carry no owner or version (they are columns), so the record's JSON is the value's. */
const json = (value: unknown): string => JSON.stringify(value);

/**
 * Writes for a table with optimistic versions, as conditional statements: under READ COMMITTED a
 * second writer of the same row waits for the first to commit, then re-checks its condition
 * against the committed version, so a stale `expectedVersion` fails instead of overwriting.
 * `keys` are the primary key columns (owner first), `columns` the others written on each put.
 */
class VersionedTable {
  private readonly upsert: string;
  private readonly insertNew: string;
  private readonly updateAt: string;
  private readonly selectVersion: string;
  private readonly deleteAny: string;
  private readonly deleteAt: string;

  constructor(private readonly entity: string, table: string, keys: readonly string[], columns: readonly string[]) {
    const all = [...keys, ...columns];
    const where = keys.map((key, i) => `${key} = $${i + 1}`).join(' AND ');
    const values = all.map((column, i) => (column === 'data' ? `$${i + 1}::jsonb` : `$${i + 1}`)).join(', ');
    this.upsert = `INSERT INTO ${table} (${all.join(', ')}, version) VALUES (${values}, 1)
      ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}, version = ${table}.version + 1`;
    this.insertNew = `INSERT INTO ${table} (${all.join(', ')}, version) VALUES (${values}, 1) ON CONFLICT DO NOTHING`;
    const sets = columns.map((c, i) => `${c} = $${keys.length + i + 1}${c === 'data' ? '::jsonb' : ''}`).join(', ');
    this.updateAt = `UPDATE ${table} SET ${sets}, version = version + 1 WHERE ${where} AND version = $${all.length + 1}`;
    this.selectVersion = `SELECT version FROM ${table} WHERE ${where}`;
    this.deleteAny = `DELETE FROM ${table} WHERE ${where}`;
    this.deleteAt = `DELETE FROM ${table} WHERE ${where} AND version = $${keys.length + 1}`;
  }

  /** `label` names the record in a conflict message (the key without the owner). */
  async put(db: PoolClient, keys: readonly Value[], columns: readonly Value[], expectedVersion: number | null | undefined, label: string): Promise<void> {
    if (expectedVersion === undefined) {
      await db.query(this.upsert, [...keys, ...columns]);
    } else if (expectedVersion === null) {
      if ((await db.query(this.insertNew, [...keys, ...columns])).rowCount === 0) throw await this.conflict(db, keys, null, label);
    } else if ((await db.query(this.updateAt, [...keys, ...columns, expectedVersion])).rowCount === 0) {
      throw await this.conflict(db, keys, expectedVersion, label);
    }
  }

  async remove(db: PoolClient, keys: readonly Value[], expectedVersion: number | undefined, label: string): Promise<void> {
    if (expectedVersion === undefined) await db.query(this.deleteAny, [...keys]);
    else if ((await db.query(this.deleteAt, [...keys, expectedVersion])).rowCount === 0) throw await this.conflict(db, keys, expectedVersion, label);
  }

  private async conflict(db: PoolClient, keys: readonly Value[], expected: number | null, label: string): Promise<VersionConflictError> {
    const { rows } = await db.query<{ version: number }>(this.selectVersion, [...keys]);
    return new VersionConflictError(this.entity, label, expected, rows[0]?.version ?? null);
  }
}

/** Writes for a table without versions: a put replaces, `insertOnce` keeps the first. */
class PlainTable {
  private readonly upsert: string;
  private readonly insertIgnore: string;
  private readonly deleteAny: string;

  constructor(table: string, keys: readonly string[], columns: readonly string[]) {
    const all = [...keys, ...columns];
    const values = all.map((column, i) => (column === 'data' ? `$${i + 1}::jsonb` : `$${i + 1}`)).join(', ');
    this.upsert = `INSERT INTO ${table} (${all.join(', ')}) VALUES (${values})
      ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}`;
    this.insertIgnore = `INSERT INTO ${table} (${all.join(', ')}) VALUES (${values}) ON CONFLICT DO NOTHING`;
    this.deleteAny = `DELETE FROM ${table} WHERE ${keys.map((key, i) => `${key} = $${i + 1}`).join(' AND ')}`;
  }

  async put(db: PoolClient, keys: readonly Value[], columns: readonly Value[]): Promise<void> {
    await db.query(this.upsert, [...keys, ...columns]);
  }

  async insertOnce(db: PoolClient, keys: readonly Value[], columns: readonly Value[]): Promise<void> {
    await db.query(this.insertIgnore, [...keys, ...columns]);
  }

  async remove(db: PoolClient, keys: readonly Value[]): Promise<void> {
    await db.query(this.deleteAny, [...keys]);
  }
}

const titles = new VersionedTable('title', 'titles', ['owner_id', 'asin'], ['owned', 'data']);
const series = new VersionedTable('series', 'series', ['owner_id', 'key'], ['name_key', 'data']);
const progress = new VersionedTable('progress', 'progress', ['owner_id', 'asin'], ['status', 'data']);
const conflicts = new VersionedTable('conflict', 'conflicts', ['owner_id', 'id'], ['status', 'data']);
const history = new PlainTable('history', ['owner_id', 'asin', 'id'], ['at_ms', 'data']);
const trackerBooks = new PlainTable('tracker_books', ['owner_id', 'source', 'tracker_id'], ['data']);
const links = new PlainTable('links', ['owner_id', 'asin', 'source'], ['tracker_id', 'data']);
const decisions = new PlainTable('decisions', ['owner_id', 'source', 'tracker_id', 'asin_key'], ['data']);
const syncRuns = new PlainTable('sync_runs', ['owner_id', 'id'], ['kind', 'started_ms', 'data']);
const settings = new PlainTable('settings', ['owner_id', 'key'], ['data']);
const credentials = new PlainTable('credentials', ['owner_id', 'name'], ['data']);
const mirrorRecords = new PlainTable('mirror_records', ['owner_id', 'mirror_table', 'key'], ['data']);
const baselines = new PlainTable('baselines', ['owner_id', 'asin', 'source'], ['data']);
const seriesAliases = new PlainTable('series_aliases', ['owner_id', 'alias'], ['series_key', 'data']);
const expiring = new PlainTable('expiring', ['owner_id', 'kind', 'key'], ['expires_ms', 'data']);

/**
 * A title's series memberships as rows, in one statement: the rows of series it left go, the new
 * ones are added, the rest stay untouched. Runs after the title's own write, whose row lock
 * serialises two writers of one title until commit.
 */
const WRITE_MEMBERSHIPS = `WITH gone AS (
    DELETE FROM title_series WHERE owner_id = $1 AND asin = $2 AND NOT (series_key = ANY($3::text[]))
  )
  INSERT INTO title_series (owner_id, series_key, asin) SELECT $1, key, $2 FROM unnest($3::text[]) AS key ON CONFLICT DO NOTHING`;
const CLEAR_MEMBERSHIPS = 'DELETE FROM title_series WHERE owner_id = $1 AND asin = $2';

/** Applies one validated operation inside the caller's transaction; a throw rolls the whole batch back. */
export async function applyOperation(db: PoolClient, owner: string, operation: BatchOperation): Promise<void> {
  switch (operation.op) {
    case 'putTitle': {
      const value = operation.value;
      await titles.put(db, [owner, value.asin], [value.owned, json(value)], operation.expectedVersion, value.asin);
      const keys = [...new Set(value.series.map((membership) => membership.seriesKey))];
      await db.query(WRITE_MEMBERSHIPS, [owner, value.asin, keys]);
      return;
    }
    case 'deleteTitle':
      await titles.remove(db, [owner, operation.asin], operation.expectedVersion, operation.asin);
      await db.query(CLEAR_MEMBERSHIPS, [owner, operation.asin]);
      return;
    case 'putSeries': {
      const value = operation.value;
      return series.put(db, [owner, value.key], [normaliseSeriesTitle(value.title), json(value)], operation.expectedVersion, value.key);
    }
    case 'deleteSeries':
      return series.remove(db, [owner, operation.key], operation.expectedVersion, operation.key);
    case 'putProgress':
      return progress.put(db, [owner, operation.value.asin], [operation.value.status, json(operation.value)], operation.expectedVersion, operation.value.asin);
    case 'appendHistory': {
      const value = operation.value;
      return history.insertOnce(db, [owner, value.asin, value.id], [instantMs(value.at), json(value)]);
    }
    case 'putTrackerBook':
      return trackerBooks.put(db, [owner, operation.value.source, operation.value.trackerId], [json(operation.value)]);
    case 'deleteTrackerBook':
      return trackerBooks.remove(db, [owner, operation.source, operation.trackerId]);
    case 'putLink': {
      const value = operation.value;
      return links.put(db, [owner, value.asin, value.source], [value.trackerId, json(value)]);
    }
    case 'deleteLink':
      return links.remove(db, [owner, operation.asin, operation.source]);
    case 'putConflict': {
      const value = operation.value;
      return conflicts.put(db, [owner, value.id], [value.status, json(value)], operation.expectedVersion, value.id);
    }
    case 'deleteConflict':
      return conflicts.remove(db, [owner, operation.id], undefined, operation.id);
    case 'putDecision': {
      const value = operation.value;
      return decisions.put(db, [owner, value.source, value.trackerId, value.asin ?? ''], [json(value)]);
    }
    case 'deleteDecision':
      return decisions.remove(db, [owner, operation.source, operation.trackerId, operation.asin ?? '']);
    case 'putSyncRun': {
      const value = operation.value;
      return syncRuns.put(db, [owner, value.id], [value.kind, instantMs(value.startedAt), json(value)]);
    }
    case 'putSetting':
      return settings.put(db, [owner, operation.key], [json(operation.value)]);
    case 'deleteSetting':
      return settings.remove(db, [owner, operation.key]);
    case 'putCredential':
      return credentials.put(db, [owner, operation.value.name], [json(operation.value)]);
    case 'deleteCredential':
      return credentials.remove(db, [owner, operation.name]);
    case 'putMirrorRecord':
      return mirrorRecords.put(db, [owner, operation.value.table, operation.value.key], [json(operation.value)]);
    case 'deleteMirrorRecord':
      return mirrorRecords.remove(db, [owner, operation.table, operation.key]);
    case 'putBaseline':
      return baselines.put(db, [owner, operation.value.asin, operation.value.source], [json(operation.value)]);
    case 'deleteBaseline':
      return baselines.remove(db, [owner, operation.asin, operation.source]);
    case 'putSeriesAlias':
      return seriesAliases.put(db, [owner, operation.value.alias], [operation.value.seriesKey, json(operation.value)]);
    case 'deleteSeriesAlias':
      return seriesAliases.remove(db, [owner, operation.alias]);
    case 'putExpiring':
      return expiring.put(db, [owner, operation.value.kind, operation.value.key], [instantMs(operation.value.expiresAt), json(operation.value)]);
    case 'deleteExpiring':
      return expiring.remove(db, [owner, operation.kind, operation.key]);
  }
}

/** The lease and expiring-record writes the port makes outside batches. */
export const sideWrites = {
  putLease: `INSERT INTO leases (owner_id, name, data) VALUES ($1, $2, $3::jsonb) ON CONFLICT (owner_id, name) DO UPDATE SET data = excluded.data`,
  deleteLease: 'DELETE FROM leases WHERE owner_id = $1 AND name = $2',
  putExpiring: `INSERT INTO expiring (owner_id, kind, key, expires_ms, data) VALUES ($1, $2, $3, $4, $5::jsonb)
    ON CONFLICT (owner_id, kind, key) DO UPDATE SET expires_ms = excluded.expires_ms, data = excluded.data`,
  purgeExpired: 'DELETE FROM expiring WHERE owner_id = $1 AND expires_ms <= $2',
} as const;
