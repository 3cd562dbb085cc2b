import type { TitleData } from '@sagasync/core';
import { bareTitle } from '@sagasync/storage/conformance';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStorage } from '../src/index.js';
import { appRole, suiteDatabase } from './database.js';

// The second wall: the owner policy, exercised with SQL that "forgets" the owner condition, from a
// session of the application role (not a superuser, no BYPASSRLS), which owns the tables.
const db = suiteDatabase();
const ALICE = 'owner-rls-alice';
const BOB = 'owner-rls-bob';

const title = (asin: string): TitleData => bareTitle(asin);

/** A session as the application role, in a transaction whose `sagasync.owner_id` is `owner`, rolled back at the end. */
async function asOwner<T>(owner: string | null, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query('BEGIN');
    if (owner !== null) await client.query("SELECT set_config('sagasync.owner_id', $1, true)", [owner]);
    return await run(client);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end();
  }
}

describe('row-level security on the library tables', () => {
  beforeAll(async () => {
    const store = createPostgresStorage({ pool: db.pool });
    for (const owner of [ALICE, BOB]) {
      await store.applyBatch(owner, [
        { op: 'putTitle', value: title('B0RLS00001') },
        { op: 'putTitle', value: title('B0RLS00002') },
        { op: 'putSetting', key: 'who', value: owner },
      ]);
    }
  });
  it('the tests really run as a role the policy applies to', async () => {
    const { rows } = await db.pool.query<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean; owns: boolean }>(
      `SELECT r.rolname, r.rolsuper, r.rolbypassrls, pg_get_userbyid(c.relowner) = r.rolname AS owns
         FROM pg_roles r, pg_class c WHERE r.rolname = current_user AND c.oid = 'titles'::regclass`,
    );
    expect(rows).toEqual([{ rolname: appRole(), rolsuper: false, rolbypassrls: false, owns: true }]);
  });

  it('every table with an owner column has the owner policy, forced on its owner; no directory table has one', async () => {
    const { rows } = await db.adminPool.query<{ table: string; owner_keyed: boolean; rls: boolean; forced: boolean; policies: string[] }>(
      `SELECT c.relname AS table,
              EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'owner_id' AND NOT a.attisdropped) AS owner_keyed,
              c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
              coalesce((SELECT array_agg(p.polname::text ORDER BY p.polname) FROM pg_policy p WHERE p.polrelid = c.oid), '{}'::text[]) AS policies
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY c.relname`,
    );
    const ownerKeyed = rows.filter((row) => row.owner_keyed);
    expect(ownerKeyed).toHaveLength(17);
    for (const row of ownerKeyed) expect(row, row.table).toMatchObject({ rls: true, forced: true, policies: ['owner_only'] });
    for (const row of rows.filter((r) => !r.owner_keyed)) expect(row, row.table).toMatchObject({ rls: false, policies: [] });
  });

  it("with the owner set to A, a query that forgets the owner condition sees only A's rows, and none of B's", async () => {
    await asOwner(ALICE, async (client) => {
      const all = await client.query<{ owner_id: string }>('SELECT owner_id FROM titles');
      expect(all.rows.map((row) => row.owner_id)).toEqual([ALICE, ALICE]);
      expect((await client.query('SELECT * FROM titles WHERE owner_id = $1', [BOB])).rowCount).toBe(0);
      expect((await client.query('SELECT * FROM settings WHERE owner_id = $1', [BOB])).rowCount).toBe(0);
      expect((await client.query<{ count: number }>('SELECT count(*)::int AS count FROM title_series, titles')).rows[0]!.count).toBe(0);
    });
  });

  it("with the owner set to A, UPDATE and DELETE of B's rows change nothing", async () => {
    await asOwner(ALICE, async (client) => {
      expect((await client.query("UPDATE titles SET version = version + 100, data = data || '{\"title\":\"stolen\"}' WHERE owner_id = $1", [BOB])).rowCount).toBe(0);
      expect((await client.query('UPDATE settings SET data = $2::jsonb WHERE owner_id = $1', [BOB, '"stolen"'])).rowCount).toBe(0);
      expect((await client.query('DELETE FROM titles WHERE owner_id = $1', [BOB])).rowCount).toBe(0);
      // Without any owner condition at all, only A's own rows are touched.
      expect((await client.query('UPDATE titles SET version = version + 100')).rowCount).toBe(2);
      // And B's rows, read as the superuser inside the same test, are as they were.
    });
    const { rows } = await db.adminPool.query<{ version: number; title: string }>("SELECT version, data ->> 'title' AS title FROM titles WHERE owner_id = $1 ORDER BY asin", [BOB]);
    expect(rows).toEqual([
      { version: 1, title: 'Title B0RLS00001' },
      { version: 1, title: 'Title B0RLS00002' },
    ]);
    expect((await createPostgresStorage({ pool: db.pool }).getSetting(BOB, 'who')) as unknown).toBe(BOB);
  });

  it("with the owner set to A, writing a row for B fails the policy's check", async () => {
    await expect(
      asOwner(ALICE, (client) =>
        client.query("INSERT INTO settings (owner_id, key, data) VALUES ($1, 'planted', '1'::jsonb)", [BOB]),
      ),
    ).rejects.toMatchObject({ code: '42501', message: expect.stringContaining('row-level security policy') });
    // Nor can A's row be moved over to B.
    await expect(asOwner(ALICE, (client) => client.query("UPDATE settings SET owner_id = $1 WHERE key = 'who'", [BOB]))).rejects.toMatchObject({
      code: '42501',
    });
    expect((await db.adminPool.query("SELECT 1 FROM settings WHERE key = 'planted'")).rowCount).toBe(0);
  });

  it('without an owner set, a session sees and writes nothing', async () => {
    await asOwner(null, async (client) => {
      expect((await client.query('SELECT * FROM titles')).rowCount).toBe(0);
      expect((await client.query('DELETE FROM settings')).rowCount).toBe(0);
      await expect(client.query("INSERT INTO settings (owner_id, key, data) VALUES ($1, 'planted', '1'::jsonb)", [ALICE])).rejects.toMatchObject({ code: '42501' });
    });
  });

  it("a connection that served one owner's call serves the next owner's call only that owner's rows", async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      const store = createPostgresStorage({ pool });
      expect((await store.listTitles(ALICE)).items.map((t) => t.ownerId)).toEqual([ALICE, ALICE]);
      expect((await store.listTitles(BOB)).items.map((t) => t.ownerId)).toEqual([BOB, BOB]);
      await store.applyBatch(BOB, [{ op: 'putSetting', key: 'after', value: 1 }]);
      expect(await store.getSetting(ALICE, 'after')).toBeNull();
      expect(await store.getSetting(BOB, 'after')).toBe(1);
    } finally {
      await pool.end();
    }
  });
});
