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
];

/** The schema version this adapter writes: the number of steps. */
export const SCHEMA_VERSION = migrations.length;
