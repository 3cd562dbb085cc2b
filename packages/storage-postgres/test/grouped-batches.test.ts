import { retryOnConflict, VersionConflictError, type BatchOperation, type HistoryData, type StoragePort, type TitleData } from '@sagasync/core';
import { bareTitle } from '@sagasync/storage/conformance';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPostgresStorage } from '../src/index.js';
import { suiteDatabase } from './database.js';

// What the grouped batch writer (src/batch) relies on: several writes of one record in one batch,
// conflicts inside long runs, and few statements per batch.
const db = suiteDatabase();
let owners = 0;
const newOwner = () => `owner-grouped-${++owners}-${Date.now()}`;
const store = (): StoragePort => createPostgresStorage({ pool: db.pool });

const AT = '2024-03-01T10:00:00.000Z';
const asinOf = (n: number) => `B${String(n).padStart(9, '0')}`;
const inSeries = (asin: string, ...keys: string[]): TitleData =>
  bareTitle(asin, { series: keys.map((seriesKey, i) => ({ seriesKey, seriesAsin: null, seriesTitle: seriesKey, sequence: String(i + 1), position: { kind: 'number', value: i + 1 } })) });
const history = (asin: string, id: string, note: string): HistoryData => ({
  asin,
  id,
  at: AT,
  source: 'import',
  event: 'progressed',
  fromStatus: 'not_started',
  toStatus: 'in_progress',
  fromPercent: 0,
  toPercent: 10,
  note,
});
const progress = (asin: string): BatchOperation => ({
  op: 'putProgress',
  value: { asin, status: 'in_progress', percentComplete: 10, isFinished: false, startedAt: AT, finishedAt: null, lastPositionMs: 1000, finishCount: 0, updatedAt: AT },
  expectedVersion: null,
});

async function seriesMembers(owner: string, key: string): Promise<string[]> {
  return (await store().listTitles(owner, { seriesKeys: [key] })).items.map((title) => title.asin);
}

/** Membership rows as stored, read as the superuser (the rows no port read shows directly). */
async function membershipRows(owner: string): Promise<string[]> {
  const { rows } = await db.adminPool.query<{ asin: string; series_key: string }>('SELECT asin, series_key FROM title_series WHERE owner_id = $1 ORDER BY 1, 2', [owner]);
  return rows.map((row) => `${row.asin} ${row.series_key}`);
}

async function failure(promise: Promise<unknown>): Promise<VersionConflictError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(VersionConflictError);
  return error as VersionConflictError;
}

describe('batches written as grouped statements', () => {
  it('the same title put twice in one batch ends at version 2 with the second value and its series', async () => {
    const owner = newOwner();
    await store().applyBatch(owner, [
      { op: 'putTitle', value: inSeries(asinOf(1), 'saga-a', 'saga-b') },
      { op: 'putTitle', value: inSeries(asinOf(2), 'saga-a') },
      { op: 'putTitle', value: { ...inSeries(asinOf(1), 'saga-b', 'saga-c'), title: 'Second' } },
    ]);
    expect(await store().getTitle(owner, asinOf(1))).toMatchObject({ title: 'Second', version: 2 });
    expect(await membershipRows(owner)).toEqual([`${asinOf(1)} saga-b`, `${asinOf(1)} saga-c`, `${asinOf(2)} saga-a`]);
  });

  it('a put then a delete of one title leaves neither the title nor its memberships; a delete then a put leaves version 1', async () => {
    const owner = newOwner();
    await store().applyBatch(owner, [{ op: 'putTitle', value: inSeries(asinOf(2), 'saga-a') }]);
    await store().applyBatch(owner, [
      { op: 'putTitle', value: inSeries(asinOf(1), 'saga-a'), expectedVersion: null },
      { op: 'deleteTitle', asin: asinOf(2), expectedVersion: 1 },
      { op: 'deleteTitle', asin: asinOf(1), expectedVersion: 1 },
      { op: 'putTitle', value: inSeries(asinOf(2), 'saga-b'), expectedVersion: null },
    ]);
    expect(await store().getTitle(owner, asinOf(1))).toBeNull();
    expect(await store().getTitle(owner, asinOf(2))).toMatchObject({ version: 1 });
    expect(await seriesMembers(owner, 'saga-a')).toEqual([]);
    expect(await membershipRows(owner)).toEqual([`${asinOf(2)} saga-b`]);
  });

  it('a create-only put of an existing title inside a long run fails the whole batch with its conflict, writing nothing', async () => {
    const owner = newOwner();
    await store().applyBatch(owner, [{ op: 'putTitle', value: inSeries(asinOf(250), 'saga-old') }]);
    const before = await membershipRows(owner);
    const operations: BatchOperation[] = [{ op: 'putSetting', key: 'before', value: 1 }];
    for (let n = 1; n <= 500; n++) operations.push({ op: 'putTitle', value: inSeries(asinOf(n), 'saga-new'), expectedVersion: null });
    operations.push({ op: 'appendHistory', value: history(asinOf(1), 'h-1', 'after') });

    const error = await failure(store().applyBatch(owner, operations));
    expect(error.details).toEqual({ entity: 'title', key: asinOf(250), expected: null, actual: 1 });
    expect(await store().countTitles(owner)).toBe(1);
    expect(await store().getTitle(owner, asinOf(250))).toMatchObject({ series: [{ seriesKey: 'saga-old' }], version: 1 });
    expect(await membershipRows(owner)).toEqual(before);
    expect(await store().getSetting(owner, 'before')).toBeNull();
    expect((await store().listHistory(owner, asinOf(1))).items).toEqual([]);
  });

  it('conditional updates and deletes in one run apply at their versions, and a stale one names what it found', async () => {
    const owner = newOwner();
    await store().applyBatch(owner, [1, 2, 3, 4].map((n) => ({ op: 'putTitle', value: inSeries(asinOf(n), 'saga-a') })));
    await store().applyBatch(owner, [{ op: 'putTitle', value: inSeries(asinOf(3), 'saga-a') }]);
    await store().applyBatch(owner, [
      { op: 'putTitle', value: inSeries(asinOf(1), 'saga-b'), expectedVersion: 1 },
      { op: 'putTitle', value: inSeries(asinOf(3), 'saga-b'), expectedVersion: 2 },
      { op: 'deleteTitle', asin: asinOf(2), expectedVersion: 1 },
    ]);
    expect((await store().getTitles(owner, [asinOf(1), asinOf(3)])).map((title) => title.version).sort()).toEqual([2, 3]);
    expect(await seriesMembers(owner, 'saga-b')).toEqual([asinOf(1), asinOf(3)]);
    expect(await seriesMembers(owner, 'saga-a')).toEqual([asinOf(4)]);

    const error = await failure(
      store().applyBatch(owner, [
        { op: 'putTitle', value: inSeries(asinOf(1), 'saga-c'), expectedVersion: 2 },
        { op: 'putTitle', value: inSeries(asinOf(4), 'saga-c'), expectedVersion: 7 },
      ]),
    );
    expect(error.details).toEqual({ entity: 'title', key: asinOf(4), expected: 7, actual: 1 });
    expect(await seriesMembers(owner, 'saga-c')).toEqual([]);
    const deleted = await failure(store().applyBatch(owner, [{ op: 'deleteSeries', key: 'saga-x', expectedVersion: 1 }]));
    expect(deleted.details).toEqual({ entity: 'series', key: 'saga-x', expected: 1, actual: null });
  });

  it('history appended twice in one batch keeps the first entry, beside the progress and baselines of an import', async () => {
    const owner = newOwner();
    const operations: BatchOperation[] = [];
    for (const n of [1, 2, 3]) {
      operations.push(progress(asinOf(n)));
      operations.push({ op: 'appendHistory', value: history(asinOf(n), 'same', 'first') });
      operations.push({ op: 'putBaseline', value: { asin: asinOf(n), source: 'file', value: { percentComplete: 10 }, observedAt: AT } });
      operations.push({ op: 'appendHistory', value: history(asinOf(n), 'same', 'retry') });
    }
    await store().applyBatch(owner, operations);
    await store().applyBatch(owner, [{ op: 'appendHistory', value: history(asinOf(1), 'same', 'next batch') }]);
    for (const n of [1, 2, 3]) {
      expect((await store().listHistory(owner, asinOf(n))).items.map((entry) => entry.note)).toEqual(['first']);
      expect(await store().listBaselines(owner, asinOf(n))).toHaveLength(1);
      expect(await store().getProgress(owner, asinOf(n))).toMatchObject({ version: 1 });
    }
  });

  it('reports the conflict of the first failing operation, though its statement runs after a later one', async () => {
    const owner = newOwner();
    await store().applyBatch(owner, [
      { op: 'putTitle', value: inSeries(asinOf(9)) },
      { op: 'putSeries', value: { key: 'saga-a', asin: null, title: 'Saga A', catalogueComplete: false, createdAt: AT, updatedAt: AT } },
    ]);
    // The titles' group (operations 0 and 2) runs before the series' (operation 1).
    const error = await failure(
      store().applyBatch(owner, [
        { op: 'putTitle', value: inSeries(asinOf(1)), expectedVersion: null },
        { op: 'putSeries', value: { key: 'saga-a', asin: null, title: 'Saga A', catalogueComplete: false, createdAt: AT, updatedAt: AT }, expectedVersion: null },
        { op: 'putTitle', value: inSeries(asinOf(9)), expectedVersion: null },
      ]),
    );
    expect(error.details).toEqual({ entity: 'series', key: 'saga-a', expected: null, actual: 1 });
    expect(await store().getTitle(owner, asinOf(1))).toBeNull();
  });

  it('sends a few statements for a thousand operations', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    let statements = 0;
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        statements++;
        return query(...args);
      };
    });
    try {
      const owner = newOwner();
      const operations: BatchOperation[] = [];
      for (let n = 1; operations.length < 996; n++) {
        operations.push({ op: 'putTitle', value: inSeries(asinOf(n), `saga-${n % 7}`), expectedVersion: null });
        operations.push(progress(asinOf(n)));
        operations.push({ op: 'appendHistory', value: history(asinOf(n), 'h', 'import') });
        operations.push({ op: 'putBaseline', value: { asin: asinOf(n), source: 'file', value: { percentComplete: 10 }, observedAt: AT } });
      }
      operations.push({ op: 'deleteExpiring', kind: 'series-status', key: 'saga-1' }, { op: 'putSetting', key: 'last', value: true });
      const storage = createPostgresStorage({ pool });
      await storage.applyBatch(owner, operations);
      // BEGIN, the owner, titles and their memberships, progress, history, baselines, the expiring delete, the setting, COMMIT.
      expect(statements).toBe(10);
      expect(await storage.countTitles(owner)).toBe(249);
      expect(await seriesMembers(owner, 'saga-3')).toHaveLength(36);
    } finally {
      await pool.end();
    }
  });

  it('concurrent batches of conditional updates of the same titles lose no update', async () => {
    const owner = newOwner();
    const asins = Array.from({ length: 20 }, (_, i) => asinOf(i + 1));
    await store().applyBatch(owner, asins.map((asin) => ({ op: 'putTitle', value: bareTitle(asin) })));
    const writers = ['A', 'B', 'C', 'D'];
    await Promise.all(
      writers.map((author) =>
        retryOnConflict(async () => {
          const current = await store().getTitles(owner, asins);
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
          await store().applyBatch(
            owner,
            current.map(({ ownerId: _owner, version, ...data }) => ({ op: 'putTitle', value: { ...data, authors: [...data.authors, author] }, expectedVersion: version })),
          );
        }, 1000),
      ),
    );
    for (const title of await store().getTitles(owner, asins)) {
      expect([...title.authors].sort()).toEqual(writers);
      expect(title.version).toBe(1 + writers.length);
    }
  });
});
