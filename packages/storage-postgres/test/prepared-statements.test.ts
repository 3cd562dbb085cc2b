import { describe, expect, it } from 'vitest';
import { createPostgresPool, createPostgresStorage } from '../src/index.js';
import { suiteDatabase } from './database.js';

// createPostgresPool's clients prepare each parameterised statement once per connection.
const db = suiteDatabase();

describe('createPostgresPool', () => {
  it('prepares a statement on its first use and reuses it, with the same answers as before', async () => {
    const pool = createPostgresPool({ connectionString: db.url, max: 1 });
    try {
      const storage = createPostgresStorage({ pool });
      await storage.applyBatch('owner-prepared', [{ op: 'putSetting', key: 'a', value: 1 }, { op: 'putSetting', key: 'b', value: 2 }]);
      expect(await storage.getSetting('owner-prepared', 'a')).toBe(1);
      expect(await storage.getSetting('owner-prepared', 'b')).toBe(2);
      expect(await storage.getSetting('owner-prepared', 'c')).toBeNull();
      const client = await pool.connect();
      try {
        const { rows } = await client.query<{ name: string; statement: string }>('SELECT name, statement FROM pg_prepared_statements');
        const settingReads = rows.filter((row) => row.statement.startsWith('SELECT data FROM settings'));
        // Three reads, one statement prepared on this (the pool's only) connection.
        expect(settingReads).toHaveLength(1);
        expect(settingReads[0]!.name).toMatch(/^sagasync_[0-9a-f]{24}$/);
        // Statements without parameters go as they are.
        expect(rows.some((row) => row.statement === 'SELECT name, statement FROM pg_prepared_statements')).toBe(false);
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  });

  it('still answers plain queries, callbacks and query objects', async () => {
    const pool = createPostgresPool({ connectionString: db.url, max: 1 });
    try {
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      expect((await pool.query('SELECT $1::int + 1 AS two', [1])).rows).toEqual([{ two: 2 }]);
      expect((await pool.query({ text: 'SELECT $1::text AS word', values: ['x'] })).rows).toEqual([{ word: 'x' }]);
      const client = await pool.connect();
      try {
        const viaCallback = await new Promise((resolve, reject) => client.query('SELECT $1::int AS n', [3], (error, result) => (error ? reject(error) : resolve(result.rows))));
        expect(viaCallback).toEqual([{ n: 3 }]);
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  });
});
