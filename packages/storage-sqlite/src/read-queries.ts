import type Database from 'better-sqlite3';
import { PagedQuery } from './paged-query.js';

export interface VersionedRow {
  version: number;
  data: string;
  digest: string | null;
}

export interface DataRow {
  data: string;
  digest: string | null;
}

/** The port's reads, each a statement prepared once per store (lists: on first use). */
export interface ReadQueries {
  title: Database.Statement<[string, string], VersionedRow>;
  titlesIn: Database.Statement<[string, string], VersionedRow>;
  titles: PagedQuery<VersionedRow>;
  titlesInSeries: PagedQuery<VersionedRow>;
  /** A series slice (`getSeriesSlice`): the series among the keys (a JSON array), their members, the members' progress. */
  sliceSeries: Database.Statement<[string, string], VersionedRow>;
  sliceTitles: Database.Statement<[string, string, string], VersionedRow>;
  sliceProgress: Database.Statement<[string, string, string], VersionedRow>;
  titlesByStatus: PagedQuery<VersionedRow>;
  countTitles: Database.Statement<[string], number>;
  countTitlesOwned: Database.Statement<[string, number], number>;
  countByStatus: Database.Statement<[string], { status: string; count: number }>;
  countByStatusOwned: Database.Statement<[string, number], { status: string; count: number }>;
  series: Database.Statement<[string, string], VersionedRow>;
  allSeries: PagedQuery<VersionedRow>;
  seriesByName: PagedQuery<VersionedRow>;
  seriesByNamePrefix: PagedQuery<VersionedRow>;
  progress: Database.Statement<[string, string], VersionedRow>;
  progressIn: Database.Statement<[string, string], VersionedRow>;
  allProgress: PagedQuery<VersionedRow>;
  history: PagedQuery<DataRow>;
  trackerBook: Database.Statement<[string, string, string], DataRow>;
  trackerBooks: PagedQuery<DataRow>;
  links: PagedQuery<DataRow>;
  conflict: Database.Statement<[string, string], VersionedRow>;
  conflicts: PagedQuery<VersionedRow>;
  decisions: PagedQuery<DataRow>;
  syncRuns: PagedQuery<DataRow>;
  setting: Database.Statement<[string, string], string>;
  credential: Database.Statement<[string, string], DataRow>;
  credentialNames: PagedQuery<{ name: string }>;
  settings: PagedQuery<{ key: string; data: string }>;
  mirrorRecord: Database.Statement<[string, string, string], DataRow>;
  mirrorRecords: PagedQuery<DataRow>;
  baselines: Database.Statement<[string, string], DataRow>;
  seriesAlias: Database.Statement<[string, string], DataRow>;
  seriesAliases: PagedQuery<DataRow>;
  sourceBaselines: PagedQuery<DataRow>;
  lease: Database.Statement<[string, string], string>;
  expiring: Database.Statement<[string, string, string], { data: string; expires_ms: number }>;
  expiringOfKind: PagedQuery<{ data: string }>;
}

/**
 * Every read of the port as a statement prepared once per store (lists: on first use). Optional
 * filters use `@x IS NULL OR column = @x`, so one statement serves every combination; list
 * filters that an index serves better (series of a title, status) get statements of their own.
 */
export function prepareQueries(db: Database.Database): ReadQueries {
  const one = <P extends unknown[], R>(sql: string): Database.Statement<P, R> => db.prepare<P, R>(sql);
  /** A statement returning the first column's value instead of a row object. */
  const pluck = <P extends unknown[], R>(sql: string): Database.Statement<P, R> => db.prepare<P, R>(sql).pluck();
  const titleColumns = 't.version, t.data, t.digest';
  return {
    title: one<[string, string], VersionedRow>('SELECT version, data, digest FROM titles WHERE owner_id = ? AND asin = ?'),
    titlesIn: one<[string, string], VersionedRow>('SELECT version, data, digest FROM titles WHERE owner_id = ? AND asin IN (SELECT value FROM json_each(?))'),
    titles: new PagedQuery<VersionedRow>(db, `SELECT ${titleColumns} FROM titles t WHERE t.owner_id = @owner AND (@owned IS NULL OR t.owned = @owned)`, ['t.asin']),
    titlesInSeries: new PagedQuery<VersionedRow>(
      db,
      `SELECT ${titleColumns} FROM titles t WHERE t.owner_id = @owner AND (@owned IS NULL OR t.owned = @owned)
       AND t.asin IN (SELECT asin FROM title_series WHERE owner_id = @owner AND series_key IN (SELECT value FROM json_each(@seriesKeys)))`,
      ['t.asin'],
    ),
    // `titles.status` is the title's copy of its progress status (not_started without progress).
    titlesByStatus: new PagedQuery<VersionedRow>(
      db,
      `SELECT ${titleColumns} FROM titles t
       WHERE t.owner_id = @owner AND t.status = @status AND (@owned IS NULL OR t.owned = @owned)
       AND (@seriesKeys IS NULL OR t.asin IN (SELECT asin FROM title_series WHERE owner_id = @owner AND series_key IN (SELECT value FROM json_each(@seriesKeys))))`,
      ['t.asin'],
    ),
    countTitles: pluck<[string], number>('SELECT count(*) FROM titles WHERE owner_id = ?'),
    countTitlesOwned: pluck<[string, number], number>('SELECT count(*) FROM titles WHERE owner_id = ? AND owned = ?'),
    // Without the owned filter the status index alone answers (no row is read).
    countByStatus: one<[string], { status: string; count: number }>('SELECT status, count(*) AS count FROM titles WHERE owner_id = ? GROUP BY status'),
    countByStatusOwned: one<[string, number], { status: string; count: number }>(
      'SELECT status, count(*) AS count FROM titles WHERE owner_id = ? AND owned = ? GROUP BY status',
    ),
    series: one<[string, string], VersionedRow>('SELECT version, data, digest FROM series WHERE owner_id = ? AND key = ?'),
    allSeries: new PagedQuery<VersionedRow>(db, 'SELECT version, data, digest FROM series WHERE owner_id = @owner', ['key']),
    seriesByName: new PagedQuery<VersionedRow>(
      db,
      'SELECT version, data, digest FROM series WHERE owner_id = @owner AND name_key = @name',
      ['name_key', 'key'],
    ),
    // A prefix as a range on the index: every key that starts with @name sorts below @name || U+10FFFF.
    seriesByNamePrefix: new PagedQuery<VersionedRow>(
      db,
      "SELECT version, data, digest FROM series WHERE owner_id = @owner AND name_key >= @name AND name_key < @name || char(1114111)",
      ['name_key', 'key'],
    ),
    progress: one<[string, string], VersionedRow>('SELECT version, data, digest FROM progress WHERE owner_id = ? AND asin = ?'),
    sliceSeries: one<[string, string], VersionedRow>('SELECT version, data, digest FROM series WHERE owner_id = ? AND key IN (SELECT value FROM json_each(?))'),
    sliceTitles: one<[string, string, string], VersionedRow>(
      `SELECT ${titleColumns} FROM titles t WHERE t.owner_id = ? AND t.asin IN (SELECT asin FROM title_series WHERE owner_id = ? AND series_key IN (SELECT value FROM json_each(?)))`,
    ),
    sliceProgress: one<[string, string, string], VersionedRow>(
      'SELECT version, data, digest FROM progress WHERE owner_id = ? AND asin IN (SELECT asin FROM title_series WHERE owner_id = ? AND series_key IN (SELECT value FROM json_each(?)))',
    ),
    progressIn: one<[string, string], VersionedRow>('SELECT version, data, digest FROM progress WHERE owner_id = ? AND asin IN (SELECT value FROM json_each(?))'),
    allProgress: new PagedQuery<VersionedRow>(db, 'SELECT version, data, digest FROM progress WHERE owner_id = @owner AND (@status IS NULL OR status = @status)', ['asin']),
    history: new PagedQuery<DataRow>(db, 'SELECT data, digest FROM history WHERE owner_id = @owner AND asin = @asin', ['at_ms', 'id']),
    trackerBook: one<[string, string, string], DataRow>('SELECT data, digest FROM tracker_books WHERE owner_id = ? AND source = ? AND tracker_id = ?'),
    trackerBooks: new PagedQuery<DataRow>(db, 'SELECT data, digest FROM tracker_books WHERE owner_id = @owner AND (@source IS NULL OR source = @source)', [
      'source',
      'tracker_id',
    ]),
    links: new PagedQuery<DataRow>(
      db,
      `SELECT data, digest FROM links WHERE owner_id = @owner AND (@asin IS NULL OR asin = @asin) AND (@source IS NULL OR source = @source)
       AND (@trackerId IS NULL OR tracker_id = @trackerId)`,
      ['asin', 'source'],
    ),
    conflict: one<[string, string], VersionedRow>('SELECT version, data, digest FROM conflicts WHERE owner_id = ? AND id = ?'),
    conflicts: new PagedQuery<VersionedRow>(db, 'SELECT version, data, digest FROM conflicts WHERE owner_id = @owner AND (@status IS NULL OR status = @status)', ['id']),
    decisions: new PagedQuery<DataRow>(
      db,
      `SELECT data, digest FROM decisions WHERE owner_id = @owner AND (@source IS NULL OR source = @source)
       AND (@trackerId IS NULL OR tracker_id = @trackerId)`,
      ['source', 'tracker_id', 'asin_key'],
    ),
    syncRuns: new PagedQuery<DataRow>(db, 'SELECT data, digest FROM sync_runs WHERE owner_id = @owner AND (@kind IS NULL OR kind = @kind)', ['started_ms', 'id'], true),
    setting: pluck<[string, string], string>('SELECT data FROM settings WHERE owner_id = ? AND key = ?'),
    credential: one<[string, string], DataRow>('SELECT data, digest FROM credentials WHERE owner_id = ? AND name = ?'),
    credentialNames: new PagedQuery<{ name: string }>(db, 'SELECT name FROM credentials WHERE owner_id = @owner', ['name']),
    settings: new PagedQuery<{ key: string; data: string }>(db, 'SELECT key, data FROM settings WHERE owner_id = @owner', ['key']),
    mirrorRecord: one<[string, string, string], DataRow>('SELECT data, digest FROM mirror_records WHERE owner_id = ? AND mirror_table = ? AND key = ?'),
    mirrorRecords: new PagedQuery<DataRow>(db, 'SELECT data, digest FROM mirror_records WHERE owner_id = @owner AND (@table IS NULL OR mirror_table = @table)', [
      'mirror_table',
      'key',
    ]),
    baselines: one<[string, string], DataRow>('SELECT data, digest FROM baselines WHERE owner_id = ? AND asin = ? ORDER BY source'),
    seriesAlias: one<[string, string], DataRow>('SELECT data, digest FROM series_aliases WHERE owner_id = ? AND alias = ?'),
    sourceBaselines: new PagedQuery<DataRow>(db, 'SELECT data, digest FROM baselines WHERE owner_id = @owner AND source = @source', ['asin']),
    seriesAliases: new PagedQuery<DataRow>(db, 'SELECT data, digest FROM series_aliases WHERE owner_id = @owner AND (@seriesKey IS NULL OR series_key = @seriesKey)', [
      'alias',
    ]),
    lease: pluck<[string, string], string>('SELECT data FROM leases WHERE owner_id = ? AND name = ?'),
    expiring: one<[string, string, string], { data: string; expires_ms: number }>('SELECT data, expires_ms FROM expiring WHERE owner_id = ? AND kind = ? AND key = ?'),
    expiringOfKind: new PagedQuery<{ data: string }>(db, 'SELECT data FROM expiring WHERE owner_id = @owner AND kind = @kind AND expires_ms > @now', ['key']),
  };
}

