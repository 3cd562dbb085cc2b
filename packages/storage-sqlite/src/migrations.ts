import { directoryTablesMigration } from './directory/schema.js';

/**
 * Schema steps, applied in order at open; `PRAGMA user_version` records how many have run. Never
 * edit a released step: append a new one.
 *
 * Records are stored as key and filter columns plus the record as JSON in `data` (without owner
 * and version, which are columns) and its `digest`. Timestamps that order lists are kept as epoch milliseconds,
 * because ISO strings with different precision or offsets do not sort as text.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE titles (
    owner_id TEXT NOT NULL,
    asin TEXT NOT NULL,
    owned INTEGER NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (owner_id, asin)
  );
  CREATE INDEX titles_by_owned ON titles (owner_id, owned, asin);

  CREATE TABLE series (
    owner_id TEXT NOT NULL,
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (owner_id, key)
  );

  CREATE TABLE progress (
    owner_id TEXT NOT NULL,
    asin TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (owner_id, asin)
  );

  CREATE TABLE history (
    owner_id TEXT NOT NULL,
    asin TEXT NOT NULL,
    id TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (owner_id, asin, id)
  );
  CREATE INDEX history_in_order ON history (owner_id, asin, at_ms, id);

  CREATE TABLE tracker_books (
    owner_id TEXT NOT NULL,
    source TEXT NOT NULL,
    tracker_id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (owner_id, source, tracker_id)
  );

  CREATE TABLE links (
    owner_id TEXT NOT NULL,
    asin TEXT NOT NULL,
    source TEXT NOT NULL,
    tracker_id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (owner_id, asin, source)
  );
  CREATE INDEX links_by_tracker_book ON links (owner_id, source, tracker_id);

  CREATE TABLE conflicts (
    owner_id TEXT NOT NULL,
    id TEXT NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (owner_id, id)
  );

  -- asin_key is the asin, or '' for "none of these" (a NULL would not be unique in a key).
  CREATE TABLE decisions (
    owner_id TEXT NOT NULL,
    source TEXT NOT NULL,
    tracker_id TEXT NOT NULL,
    asin_key TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (owner_id, source, tracker_id, asin_key)
  );

  CREATE TABLE sync_runs (
    owner_id TEXT NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    started_ms INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (owner_id, id)
  );
  CREATE INDEX sync_runs_newest ON sync_runs (owner_id, started_ms, id);

  CREATE TABLE settings (
    owner_id TEXT NOT NULL,
    key TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (owner_id, key)
  );

  CREATE TABLE credentials (
    owner_id TEXT NOT NULL,
    name TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (owner_id, name)
  );
  `,
  // 2: each record's digest (see row-digest.ts). Rows written before have none and are validated on read.
  ['titles', 'series', 'progress', 'history', 'tracker_books', 'links', 'conflicts', 'decisions', 'sync_runs', 'credentials']
    .map((table) => `ALTER TABLE ${table} ADD COLUMN digest TEXT;`)
    .join('\n'),
  // 3: indexed reads (titles of a series, by status, series by name) and the records kept beside the
  // library. `sagasync_name_key` is `normaliseSeriesTitle`, registered on every connection.
  `
  CREATE TABLE title_series (
    owner_id TEXT NOT NULL,
    series_key TEXT NOT NULL,
    asin TEXT NOT NULL,
    PRIMARY KEY (owner_id, series_key, asin)
  );
  CREATE INDEX title_series_by_title ON title_series (owner_id, asin);
  INSERT OR IGNORE INTO title_series (owner_id, series_key, asin)
    SELECT t.owner_id, json_extract(m.value, '$.seriesKey'), t.asin FROM titles t, json_each(t.data, '$.series') m;

  ALTER TABLE progress ADD COLUMN status TEXT NOT NULL DEFAULT 'not_started';
  UPDATE progress SET status = json_extract(data, '$.status');
  CREATE INDEX progress_by_status ON progress (owner_id, status, asin);

  -- A title's listening status, copied from its progress row on every write of either, so counts
  -- and lists by status are one index range (a title without progress is not_started).
  ALTER TABLE titles ADD COLUMN status TEXT NOT NULL DEFAULT 'not_started';
  UPDATE titles SET status = coalesce((SELECT p.status FROM progress p WHERE p.owner_id = titles.owner_id AND p.asin = titles.asin), 'not_started');
  CREATE INDEX titles_by_status ON titles (owner_id, status, asin);

  ALTER TABLE series ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
  UPDATE series SET name_key = sagasync_name_key(json_extract(data, '$.title'));
  CREATE INDEX series_by_name ON series (owner_id, name_key, key);

  CREATE TABLE mirror_records (
    owner_id TEXT NOT NULL,
    mirror_table TEXT NOT NULL,
    key TEXT NOT NULL,
    data TEXT NOT NULL,
    digest TEXT,
    PRIMARY KEY (owner_id, mirror_table, key)
  );

  CREATE TABLE baselines (
    owner_id TEXT NOT NULL,
    asin TEXT NOT NULL,
    source TEXT NOT NULL,
    data TEXT NOT NULL,
    digest TEXT,
    PRIMARY KEY (owner_id, asin, source)
  );

  CREATE TABLE series_aliases (
    owner_id TEXT NOT NULL,
    alias TEXT NOT NULL,
    series_key TEXT NOT NULL,
    data TEXT NOT NULL,
    digest TEXT,
    PRIMARY KEY (owner_id, alias)
  );
  CREATE INDEX series_aliases_by_series ON series_aliases (owner_id, series_key, alias);

  CREATE TABLE leases (
    owner_id TEXT NOT NULL,
    name TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (owner_id, name)
  );

  CREATE TABLE expiring (
    owner_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    expires_ms INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (owner_id, kind, key)
  );
  CREATE INDEX expiring_by_expiry ON expiring (owner_id, expires_ms);
  `,
  // 4: the directory port's tables (users, tokens, accounts, sign-ins, schedules); see directory/schema.ts.
  // The store's one user to begin with is `local`, the owner of the CLI's library, so a server
  // started on the CLI's file finds its library owned by a user it can give a token to.
  `${directoryTablesMigration}
  INSERT INTO users (id, name, created_at) VALUES ('local', 'local', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
  `,
];

/** The schema version this adapter writes: the number of steps. */
export const SCHEMA_VERSION = migrations.length;

/**
 * The tables of the first step: a SQLite file holding all of them at a schema version above 0 is
 * a SagaSync store from before the application id was set.
 */
export const V1_TABLES: readonly string[] = ['titles', 'series', 'progress', 'history', 'tracker_books', 'links', 'conflicts', 'decisions', 'sync_runs', 'settings', 'credentials'];
