import type Database from 'better-sqlite3';

interface VersionedRow {
  version: number;
  data: string;
  digest: string | null;
}

interface DataRow {
  data: string;
  digest: string | null;
}

/** The port's reads, each a statement prepared once per store. */
export interface ReadQueries {
  title: Database.Statement<[string, string], VersionedRow>;
  titlesIn: Database.Statement<[string, string], VersionedRow>;
  titles: Database.Statement<[string], VersionedRow>;
  titlesOwned: Database.Statement<[string, number], VersionedRow>;
  countTitles: Database.Statement<[string], number>;
  countTitlesOwned: Database.Statement<[string, number], number>;
  series: Database.Statement<[string, string], VersionedRow>;
  allSeries: Database.Statement<[string], VersionedRow>;
  progress: Database.Statement<[string, string], VersionedRow>;
  allProgress: Database.Statement<[string], VersionedRow>;
  history: Database.Statement<[string, string], DataRow>;
  trackerBook: Database.Statement<[string, string, string], DataRow>;
  trackerBooks: Database.Statement<{ owner: string; source: string | null }, DataRow>;
  links: Database.Statement<{ owner: string; asin: string | null; source: string | null; trackerId: string | null }, DataRow>;
  conflict: Database.Statement<[string, string], VersionedRow>;
  conflicts: Database.Statement<{ owner: string; status: string | null }, VersionedRow>;
  decisions: Database.Statement<{ owner: string; source: string | null; trackerId: string | null }, DataRow>;
  syncRuns: Database.Statement<{ owner: string; kind: string | null; limit: number }, DataRow>;
  setting: Database.Statement<[string, string], string>;
  credential: Database.Statement<[string, string], DataRow>;
  credentialNames: Database.Statement<[string], string>;
}

/**
 * Every read of the port as a statement prepared once per store. Optional filters use
 * `@x IS NULL OR column = @x`, so one statement serves every combination.
 */
export function prepareQueries(db: Database.Database): ReadQueries {
  return {
    title: db.prepare<[string, string], VersionedRow>('SELECT version, data, digest FROM titles WHERE owner_id = ? AND asin = ?'),
    titlesIn: db.prepare<[string, string], VersionedRow>('SELECT version, data, digest FROM titles WHERE owner_id = ? AND asin IN (SELECT value FROM json_each(?))'),
    titles: db.prepare<[string], VersionedRow>('SELECT version, data, digest FROM titles WHERE owner_id = ? ORDER BY asin'),
    titlesOwned: db.prepare<[string, number], VersionedRow>('SELECT version, data, digest FROM titles WHERE owner_id = ? AND owned = ? ORDER BY asin'),
    countTitles: db.prepare<[string], number>('SELECT count(*) FROM titles WHERE owner_id = ?').pluck(),
    countTitlesOwned: db.prepare<[string, number], number>('SELECT count(*) FROM titles WHERE owner_id = ? AND owned = ?').pluck(),
    series: db.prepare<[string, string], VersionedRow>('SELECT version, data, digest FROM series WHERE owner_id = ? AND key = ?'),
    allSeries: db.prepare<[string], VersionedRow>('SELECT version, data, digest FROM series WHERE owner_id = ? ORDER BY key'),
    progress: db.prepare<[string, string], VersionedRow>('SELECT version, data, digest FROM progress WHERE owner_id = ? AND asin = ?'),
    allProgress: db.prepare<[string], VersionedRow>('SELECT version, data, digest FROM progress WHERE owner_id = ? ORDER BY asin'),
    history: db.prepare<[string, string], DataRow>('SELECT data, digest FROM history WHERE owner_id = ? AND asin = ? ORDER BY at_ms, id'),
    trackerBook: db.prepare<[string, string, string], DataRow>('SELECT data, digest FROM tracker_books WHERE owner_id = ? AND source = ? AND tracker_id = ?'),
    trackerBooks: db.prepare<{ owner: string; source: string | null }, DataRow>(
      'SELECT data, digest FROM tracker_books WHERE owner_id = @owner AND (@source IS NULL OR source = @source) ORDER BY source, tracker_id',
    ),
    links: db.prepare<{ owner: string; asin: string | null; source: string | null; trackerId: string | null }, DataRow>(
      `SELECT data, digest FROM links WHERE owner_id = @owner AND (@asin IS NULL OR asin = @asin) AND (@source IS NULL OR source = @source)
     AND (@trackerId IS NULL OR tracker_id = @trackerId) ORDER BY asin, source`,
    ),
    conflict: db.prepare<[string, string], VersionedRow>('SELECT version, data, digest FROM conflicts WHERE owner_id = ? AND id = ?'),
    conflicts: db.prepare<{ owner: string; status: string | null }, VersionedRow>(
      'SELECT version, data, digest FROM conflicts WHERE owner_id = @owner AND (@status IS NULL OR status = @status) ORDER BY id',
    ),
    decisions: db.prepare<{ owner: string; source: string | null; trackerId: string | null }, DataRow>(
      `SELECT data, digest FROM decisions WHERE owner_id = @owner AND (@source IS NULL OR source = @source)
     AND (@trackerId IS NULL OR tracker_id = @trackerId) ORDER BY source, tracker_id, asin_key`,
    ),
    syncRuns: db.prepare<{ owner: string; kind: string | null; limit: number }, DataRow>(
      'SELECT data, digest FROM sync_runs WHERE owner_id = @owner AND (@kind IS NULL OR kind = @kind) ORDER BY started_ms DESC, id DESC LIMIT @limit',
    ),
    setting: db.prepare<[string, string], string>('SELECT data FROM settings WHERE owner_id = ? AND key = ?').pluck(),
    credential: db.prepare<[string, string], DataRow>('SELECT data, digest FROM credentials WHERE owner_id = ? AND name = ?'),
    credentialNames: db.prepare<[string], string>('SELECT name FROM credentials WHERE owner_id = ? ORDER BY name').pluck(),
  };
}
