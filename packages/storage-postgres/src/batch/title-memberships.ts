import type { PoolClient } from 'pg';

/**
 * Titles' series memberships as rows (`title_series`, for `listTitles({ seriesKeys })`), for a whole
 * statement group of titles in one statement: rows of series a title left go, new ones are added,
 * the rest stay untouched. The deleted and the inserted rows never meet (they differ in series), so
 * one statement can do both. Runs after the titles' own statement, whose row locks serialise two
 * writers of one title until commit.
 */
const WRITE_MEMBERSHIPS = `WITH wanted AS (SELECT u.asin, u.series_key FROM unnest($2::text[], $3::text[]) AS u(asin, series_key)),
  gone AS (
    DELETE FROM title_series AS s WHERE s.owner_id = $1 AND s.asin = ANY($4::text[])
      AND NOT EXISTS (SELECT 1 FROM wanted AS w WHERE w.asin = s.asin AND w.series_key = s.series_key)
  )
  INSERT INTO title_series (owner_id, series_key, asin) SELECT $1::text, w.series_key, w.asin FROM wanted AS w ON CONFLICT DO NOTHING`;
const CLEAR_MEMBERSHIPS = 'DELETE FROM title_series WHERE owner_id = $1 AND asin = ANY($2::text[])';

/** Makes each title's membership rows exactly its `seriesKeys`. */
export async function writeMemberships(db: PoolClient, owner: string, titles: readonly { asin: string; seriesKeys: readonly string[] }[]): Promise<void> {
  if (titles.length === 0) return;
  const asins: string[] = [];
  const seriesKeys: string[] = [];
  for (const title of titles) {
    for (const key of title.seriesKeys) {
      asins.push(title.asin);
      seriesKeys.push(key);
    }
  }
  await db.query(WRITE_MEMBERSHIPS, [owner, asins, seriesKeys, titles.map((title) => title.asin)]);
}

/** Removes deleted titles' membership rows. */
export async function clearMemberships(db: PoolClient, owner: string, asins: readonly string[]): Promise<void> {
  if (asins.length > 0) await db.query(CLEAR_MEMBERSHIPS, [owner, asins]);
}
