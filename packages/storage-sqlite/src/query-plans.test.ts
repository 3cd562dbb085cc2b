import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStorage } from './sqlite-storage.js';

/**
 * The reads a request or a listening event makes are index searches, never scans of an owner's
 * rows: on 100,000 titles a scan is the difference between a millisecond and a second.
 */
describe('query plans', () => {
  let dir: string;
  let db: Database.Database;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sagasync-plans-'));
    const path = join(dir, 'store.db');
    await openSqliteStorage({ path }).close();
    db = new Database(path);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const plan = (sql: string) =>
    db
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all()
      .map((row) => (row as { detail: string }).detail)
      .join(' | ');

  const cases: [string, string, RegExp][] = [
    ['titles of some series', "SELECT asin FROM title_series WHERE owner_id = 'o' AND series_key IN ('a', 'b')", /SEARCH title_series USING (COVERING )?INDEX sqlite_autoindex_title_series_1/],
    ["a title's memberships", "SELECT series_key FROM title_series INDEXED BY title_series_by_title WHERE owner_id = 'o' AND asin = 'x'", /SEARCH title_series USING (COVERING )?INDEX title_series_by_title/],
    ['counts by status', "SELECT status, count(*) FROM titles WHERE owner_id = 'o' GROUP BY status", /SEARCH titles USING COVERING INDEX titles_by_status/],
    ['titles by status', "SELECT data FROM titles WHERE owner_id = 'o' AND status = 'finished' AND asin > 'B' ORDER BY asin", /SEARCH titles USING INDEX titles_by_status/],
    ['series by name', "SELECT data FROM series WHERE owner_id = 'o' AND name_key = 'dune' ORDER BY name_key, key", /SEARCH series USING INDEX series_by_name/],
    ['progress by status', "SELECT data FROM progress WHERE owner_id = 'o' AND status = 'finished' ORDER BY asin", /SEARCH progress USING INDEX progress_by_status/],
  ];
  for (const [name, sql, expected] of cases) {
    it(name, () => {
      const detail = plan(sql);
      expect(detail).toMatch(expected);
      expect(detail).not.toMatch(/USE TEMP B-TREE/);
    });
  }
});
