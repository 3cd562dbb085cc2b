import { randomUUID } from 'node:crypto';
import { paginateQuery, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { applyInChunks, type BatchOperation, type ListeningStatus } from '@sagasync/core';
import { bareTitle } from '@sagasync/storage/conformance';
import { describe, expect, it } from 'vitest';
import { createDynamoStorage, type ConsumedCapacity } from '../src/index.js';
import { suiteTable } from './table.js';

const table = suiteTable();

const TITLES = 10_000;
const MIRROR_RECORDS = 2_000;
const ITEM_LIMIT = 400 * 1024;
const T0 = '2024-03-01T10:00:00.000Z';
/** Every main-table partition a library owner can have (`O#<owner>#<tag>`; the per-title `SMT` ones are gsi1's only). */
const TAGS = ['T', 'S', 'P', 'H', 'TB', 'LK', 'C', 'DC', 'R', 'G', 'CR', 'MR', 'B', 'SA', 'L', 'X', 'SM', 'SEQ'];

const asinOf = (n: number) => `B${String(n).padStart(9, '0')}`;
const seriesKeyOf = (n: number) => `B0SER${String(Math.floor(n / 5)).padStart(5, '0')}`;
const statusOf = (n: number): ListeningStatus | null => (n % 3 === 0 ? (n % 2 ? 'finished' : 'in_progress') : null);

/** DynamoDB's item size: each attribute's UTF-8 name plus its value (numbers at most 21 bytes; lists and maps 3 bytes plus their elements). */
function sizeOf(value: NativeAttributeValue): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return 21;
  if (typeof value === 'boolean' || value === null) return 1;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, element: NativeAttributeValue) => sum + 1 + sizeOf(element), 0);
  return 3 + Object.entries(value as Record<string, NativeAttributeValue>).reduce((sum, [name, element]) => sum + 1 + Buffer.byteLength(name, 'utf8') + sizeOf(element), 0);
}
const itemSize = (item: Record<string, NativeAttributeValue>) => Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name, 'utf8') + sizeOf(value), 0);

function library(): BatchOperation[] {
  const operations: BatchOperation[] = [];
  for (let n = 1; n <= TITLES; n++) {
    const asin = asinOf(n);
    operations.push({
      op: 'putTitle',
      value: bareTitle(asin, {
        title: `Volume ${n} of a long-running saga with a longish title`,
        authors: ['An Author', 'A Co-Author'],
        narrators: ['A Narrator'],
        runtimeMinutes: 600 + (n % 300),
        owned: n % 7 !== 0,
        series: [{ seriesKey: seriesKeyOf(n), seriesAsin: seriesKeyOf(n), seriesTitle: `Saga ${Math.floor(n / 5)}`, sequence: String((n % 5) + 1), position: { kind: 'number', value: (n % 5) + 1 } }],
      }),
    });
    const status = statusOf(n);
    if (status) {
      operations.push({
        op: 'putProgress',
        value: { asin, status, percentComplete: status === 'finished' ? 100 : 40, isFinished: status === 'finished', startedAt: T0, finishedAt: null, lastPositionMs: 1000, finishCount: 0, updatedAt: T0 },
      });
    }
  }
  for (let n = 1; n <= MIRROR_RECORDS; n++) {
    const hashes = Object.fromEntries(['Title', 'Authors', 'Series', 'Status', 'Progress', 'Owned'].map((property) => [property, `${property}-${n}`.padEnd(16, '0')]));
    operations.push({ op: 'putMirrorRecord', value: { table: n % 4 ? 'books' : 'series', key: asinOf(n), pageId: randomUUID(), origin: 'created', synthetic: false, hashes, updatedAt: T0 } });
  }
  return operations;
}

describe('a library of 10,000 titles', () => {
  it('is stored in items that stay far below 400 KB each, and counts and lists right', async () => {
    const owner = `owner-${randomUUID()}`;
    const used: ConsumedCapacity[] = [];
    const store = createDynamoStorage({ documentClient: table.documentClient, tableName: table.tableName, onConsumedCapacity: (capacity) => used.push(capacity) });
    const units = (since: number, field: 'readUnits' | 'writeUnits') => used.slice(since).reduce((sum, c) => sum + c[field], 0);

    const started = Date.now();
    const batches = await applyInChunks(store, owner, library().map((operation) => [operation]));
    const writeSeconds = (Date.now() - started) / 1000;
    expect(batches).toBe(Math.ceil((TITLES + Math.floor(TITLES / 3) + MIRROR_RECORDS) / 100));
    const writeUnits = units(0, 'writeUnits');

    // Every item of every partition of the owner, read with a Query per partition.
    const sizes = new Map<string, { count: number; largest: number }>();
    for (const tag of TAGS) {
      const pages = paginateQuery(
        { client: table.documentClient },
        { TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `O#${owner}#${tag}` }, ConsistentRead: true },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          const entry = sizes.get(tag) ?? { count: 0, largest: 0 };
          sizes.set(tag, { count: entry.count + 1, largest: Math.max(entry.largest, itemSize(item)) });
        }
      }
    }
    expect(sizes.get('T')?.count).toBe(TITLES);
    expect(sizes.get('SM')?.count).toBe(TITLES);
    expect(sizes.get('MR')?.count).toBe(MIRROR_RECORDS);
    for (const [tag, { largest }] of sizes) expect(largest, `largest item in ${tag}`).toBeLessThan(ITEM_LIMIT);
    // Nothing grows with the library: the largest item is a few hundred bytes.
    expect(Math.max(...[...sizes.values()].map((s) => s.largest))).toBeLessThan(2_000);

    const expected = { owned: 0, byStatus: { not_started: 0, in_progress: 0, finished: 0 } };
    for (let n = 1; n <= TITLES; n++) {
      if (n % 7 !== 0) expected.owned++;
      expected.byStatus[statusOf(n) ?? 'not_started']++;
    }
    let mark = used.length;
    expect(await store.countTitles(owner)).toBe(TITLES);
    const countUnits = units(mark, 'readUnits');
    expect(await store.countTitles(owner, { owned: false })).toBe(TITLES - expected.owned);
    mark = used.length;
    expect(await store.countTitlesByStatus(owner)).toEqual(expected.byStatus);
    const byStatusUnits = units(mark, 'readUnits');
    const listed = (await store.listTitles(owner)).items;
    expect(listed.map((title) => title.asin)).toEqual(Array.from({ length: TITLES }, (_, i) => asinOf(i + 1)));
    expect((await store.listMirrorRecords(owner)).items).toHaveLength(MIRROR_RECORDS);
    expect((await store.listMirrorRecords(owner, { table: 'series' })).items).toHaveLength(MIRROR_RECORDS / 4);
    expect((await store.listTitles(owner, { status: 'finished', limit: 3 })).items.map((title) => title.asin)).toEqual([asinOf(3), asinOf(9), asinOf(15)]);
    expect((await store.listTitles(owner, { status: 'not_started', owned: false, limit: 2 })).items.map((title) => title.asin)).toEqual([asinOf(7), asinOf(14)]);

    // A series report: the titles of three series.
    mark = used.length;
    const report = await store.listTitles(owner, { seriesKeys: [seriesKeyOf(500), seriesKeyOf(5000), seriesKeyOf(9995)] });
    const reportUnits = units(mark, 'readUnits');
    expect(report.items.map((title) => title.asin)).toEqual([500, 501, 502, 503, 504, 5000, 5001, 5002, 5003, 5004, 9995, 9996, 9997, 9998, 9999].map(asinOf));

    console.info(
      `10,000 titles, 3,333 progress rows and 2,000 mirror records: ${batches} batches in ${writeSeconds.toFixed(1)} s, ${writeUnits} write units ` +
        `(${(writeUnits / (TITLES + 3_333 + MIRROR_RECORDS)).toFixed(2)} per record); countTitles ${countUnits} read units, countTitlesByStatus ${byStatusUnits}, ` +
        `a 3-series report ${reportUnits}; largest item ${Math.max(...[...sizes.values()].map((s) => s.largest))} bytes`,
    );
  }, 240_000);
});
