/** The PostgreSQL type of a written column; its array (`text[]`, ...) carries a statement's rows. */
export type SqlType = 'text' | 'boolean' | 'bigint' | 'jsonb';

export interface Column {
  name: string;
  type: SqlType;
}

/** A library table as batches write it. Every table leads its primary key with `owner_id`, left out here: a batch has one owner. */
export interface Table {
  name: string;
  /** The primary key's columns after `owner_id`, all text. */
  keys: readonly string[];
  /** The other columns a put writes (not `version`). */
  columns: readonly Column[];
  /** Set for tables with optimistic versions: the entity a `VersionConflictError` names. */
  entity?: string;
}

const text = (name: string): Column => ({ name, type: 'text' });
const data: Column = { name: 'data', type: 'jsonb' };

export const tables = {
  titles: { name: 'titles', keys: ['asin'], columns: [{ name: 'owned', type: 'boolean' }, data], entity: 'title' },
  series: { name: 'series', keys: ['key'], columns: [text('name_key'), data], entity: 'series' },
  progress: { name: 'progress', keys: ['asin'], columns: [text('status'), data], entity: 'progress' },
  conflicts: { name: 'conflicts', keys: ['id'], columns: [text('status'), data], entity: 'conflict' },
  history: { name: 'history', keys: ['asin', 'id'], columns: [{ name: 'at_ms', type: 'bigint' }, data] },
  trackerBooks: { name: 'tracker_books', keys: ['source', 'tracker_id'], columns: [data] },
  links: { name: 'links', keys: ['asin', 'source'], columns: [text('tracker_id'), data] },
  decisions: { name: 'decisions', keys: ['source', 'tracker_id', 'asin_key'], columns: [data] },
  syncRuns: { name: 'sync_runs', keys: ['id'], columns: [text('kind'), { name: 'started_ms', type: 'bigint' }, data] },
  settings: { name: 'settings', keys: ['key'], columns: [data] },
  credentials: { name: 'credentials', keys: ['name'], columns: [data] },
  mirrorRecords: { name: 'mirror_records', keys: ['mirror_table', 'key'], columns: [data] },
  baselines: { name: 'baselines', keys: ['asin', 'source'], columns: [data] },
  seriesAliases: { name: 'series_aliases', keys: ['alias'], columns: [text('series_key'), data] },
  expiring: { name: 'expiring', keys: ['kind', 'key'], columns: [{ name: 'expires_ms', type: 'bigint' }, data] },
} as const satisfies Record<string, Table>;
