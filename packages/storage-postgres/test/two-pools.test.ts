import { retryOnConflict, type StoragePort, type TitleData } from '@sagasync/core';
import { bareTitle } from '@sagasync/storage/conformance';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStorage } from '../src/index.js';
import { suiteDatabase } from './database.js';

const db = suiteDatabase();
const OWNER = 'owner-two-pools';
const ASINS = Array.from({ length: 10 }, (_, i) => `B0TWOPOOL${i}`);

const title = (asin: string): TitleData => bareTitle(asin);

/** Adds `author` to every title, each as a read-modify-write retried on version conflicts, the way use cases write. */
async function addAuthorEverywhere(store: StoragePort, author: string): Promise<void> {
  for (const asin of ASINS) {
    await retryOnConflict(async () => {
      const current = await store.getTitle(OWNER, asin);
      const { ownerId: _owner, version, ...data } = current!;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2));
      await store.applyBatch(OWNER, [{ op: 'putTitle', value: { ...data, authors: [...data.authors, author] }, expectedVersion: version }]);
    }, 1000);
  }
}

// Two pools stand for two server processes: separate connections, no shared memory.
describe('two pools writing the same titles', () => {
  let pools: pg.Pool[] = [];
  beforeAll(() => {
    pools = [new pg.Pool({ connectionString: db.url, max: 4 }), new pg.Pool({ connectionString: db.url, max: 4 })];
  });
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
  });

  it('lose no update: every title ends with the change of every writer', async () => {
    const [first, second] = pools.map((pool) => createPostgresStorage({ pool }));
    await first!.applyBatch(OWNER, ASINS.map((asin) => ({ op: 'putTitle' as const, value: title(asin) })));
    await Promise.all([
      addAuthorEverywhere(first!, 'From pool A'),
      addAuthorEverywhere(second!, 'From pool B'),
      addAuthorEverywhere(first!, 'From pool A, second writer'),
      addAuthorEverywhere(second!, 'From pool B, second writer'),
    ]);
    const stored = await second!.getTitles(OWNER, ASINS);
    expect(stored).toHaveLength(ASINS.length);
    for (const record of stored) {
      expect([...record.authors].sort()).toEqual(['From pool A', 'From pool A, second writer', 'From pool B', 'From pool B, second writer']);
      expect(record.version).toBe(5);
    }
  });
});
