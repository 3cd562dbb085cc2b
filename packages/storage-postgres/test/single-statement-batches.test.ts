import { VersionConflictError, type BatchOperation, type HistoryData, type ProgressData, type StoragePort } from '@sagasync/core';
import { bareTitle } from '@sagasync/storage/conformance';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { singleStatementOf } from '../src/batch/single-statement.js';
import { planStatementGroups } from '../src/batch/statement-groups.js';
import { toWrite } from '../src/batch/writes.js';
import { createPostgresStorage } from '../src/index.js';
import { suiteDatabase } from './database.js';

// Small batches whose groups write different tables go as one statement (batch/single-statement.ts):
// what a listening event writes. They must apply, conflict and race exactly as the grouped
// transaction does.
const db = suiteDatabase();
let owners = 0;
const newOwner = () => `owner-single-${++owners}-${Date.now()}`;

const AT = '2024-03-01T10:00:00.000Z';
const ASIN = 'B000000001';
const progress = (percent: number): ProgressData => ({
  asin: ASIN,
  status: percent >= 100 ? 'finished' : 'in_progress',
  percentComplete: percent,
  isFinished: percent >= 100,
  startedAt: AT,
  finishedAt: percent >= 100 ? AT : null,
  lastPositionMs: null,
  finishCount: percent >= 100 ? 1 : 0,
  updatedAt: AT,
});
const entry = (id: string, toPercent: number): HistoryData => ({
  asin: ASIN,
  id,
  at: AT,
  source: 'webhook',
  event: 'progressed',
  fromStatus: 'in_progress',
  toStatus: 'in_progress',
  fromPercent: 10,
  toPercent,
  note: null,
});
/** What `applyListeningEvent` writes for one event. */
const listeningEvent = (percent: number, expectedVersion: number | null, id: string): BatchOperation[] => [
  { op: 'putProgress', value: progress(percent), expectedVersion },
  { op: 'appendHistory', value: entry(id, percent) },
  { op: 'putBaseline', value: { asin: ASIN, source: 'file', value: { percentComplete: 10 }, observedAt: AT } },
  { op: 'deleteExpiring', kind: 'series-status', key: 'saga-a' },
];

/** A pool of its own whose statements are counted. */
function countingPool() {
  const pool = new pg.Pool({ connectionString: db.url, max: 1 });
  const counter = { statements: 0 };
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      counter.statements++;
      return query(...args);
    };
  });
  return { pool, counter };
}

describe('singleStatementOf', () => {
  const groupsOf = (operations: BatchOperation[]) => planStatementGroups(operations.map(toWrite));

  it("makes a listening event's batch one statement, each group's arrays numbered after the last", () => {
    const single = singleStatementOf('owner-1', groupsOf(listeningEvent(50, 1, 'h1')));
    expect(single).not.toBeNull();
    const { sql, params } = single!;
    expect(sql.match(/^\s*g\d AS \(/gm)?.length ?? 0).toBe(3);
    expect(sql.startsWith('WITH g0 AS (UPDATE progress')).toBe(true);
    // owner; progress: asin, status, data, expected version; history: asin, id, at, data; baselines:
    // asin, source, data; expiring: kind, key; then the progress group's write count.
    expect(params).toHaveLength(1 + 4 + 4 + 3 + 2 + 1);
    expect(params[0]).toBe('owner-1');
    expect(sql).toContain('(SELECT count(*) FROM g0) = $6::bigint');
    expect(sql).toContain('sagasync_batch_conflict()');
    const highest = Math.max(...[...sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
    expect(highest).toBe(params.length);
  });

  it('leaves titles, and two groups on one table, to the grouped transaction', () => {
    expect(singleStatementOf('o', groupsOf([{ op: 'putTitle', value: bareTitle(ASIN) }]))).toBeNull();
    const twoExpiringGroups: BatchOperation[] = [
      { op: 'putExpiring', value: { kind: 'k', key: 'a', value: null, createdAt: AT, expiresAt: '2030-01-01T00:00:00.000Z' } },
      { op: 'deleteExpiring', kind: 'k', key: 'b' },
    ];
    expect(singleStatementOf('o', groupsOf(twoExpiringGroups))).toBeNull();
    expect(singleStatementOf('o', [])).toBeNull();
  });

  it('checks nothing when no write is conditional', () => {
    const single = singleStatementOf('o', groupsOf([{ op: 'putSetting', key: 'a', value: 1 }]));
    expect(single!.sql).toMatch(/SELECT 0$/);
  });
});

describe('batches applied as one statement', () => {
  let counted: ReturnType<typeof countingPool>;
  let storage: StoragePort;
  beforeAll(async () => {
    counted = countingPool();
    storage = createPostgresStorage({ pool: counted.pool });
    // The first call of an owner on a connection sets the session's owner: a statement of its own.
    await storage.getSetting('warm-up', 'x');
  });
  afterAll(async () => {
    await counted.pool.end();
  });

  it("sends a listening event's writes as one statement, and applies all of them", async () => {
    const owner = newOwner();
    await storage.getSetting(owner, 'session');
    await storage.applyBatch(owner, listeningEvent(10, null, 'h0'));
    await storage.applyBatch(owner, [{ op: 'putExpiring', value: { kind: 'series-status', key: 'saga-a', value: 'cached', createdAt: AT, expiresAt: '2099-01-01T00:00:00.000Z' } }]);
    const before = counted.counter.statements;
    await storage.applyBatch(owner, listeningEvent(50, 1, 'h1'));
    expect(counted.counter.statements - before).toBe(1);
    expect(await storage.getProgress(owner, ASIN)).toMatchObject({ percentComplete: 50, version: 2 });
    expect((await storage.listHistory(owner, ASIN)).items.map((h) => h.id).sort()).toEqual(['h0', 'h1']);
    expect(await storage.listBaselines(owner, ASIN)).toHaveLength(1);
    expect(await storage.getExpiring(owner, 'series-status', 'saga-a', new Date(AT))).toBeNull();
  });

  it('writes nothing of a batch whose expected version is stale, and names the conflict as the grouped path does', async () => {
    const owner = newOwner();
    await storage.applyBatch(owner, listeningEvent(10, null, 'h0'));
    await storage.applyBatch(owner, [{ op: 'putExpiring', value: { kind: 'series-status', key: 'saga-a', value: 'cached', createdAt: AT, expiresAt: '2099-01-01T00:00:00.000Z' } }]);
    const error = await storage.applyBatch(owner, listeningEvent(70, 4, 'h-stale')).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(VersionConflictError);
    expect((error as VersionConflictError).details).toEqual({ entity: 'progress', key: ASIN, expected: 4, actual: 1 });
    expect(await storage.getProgress(owner, ASIN)).toMatchObject({ percentComplete: 10, version: 1 });
    expect((await storage.listHistory(owner, ASIN)).items.map((h) => h.id)).toEqual(['h0']);
    expect(await storage.getExpiring(owner, 'series-status', 'saga-a', new Date(AT))).toMatchObject({ value: 'cached' });
    // The connection is still usable after the statement raised.
    await storage.applyBatch(owner, listeningEvent(70, 1, 'h2'));
    expect(await storage.getProgress(owner, ASIN)).toMatchObject({ percentComplete: 70, version: 2 });
  });

  it('lets exactly one of many concurrent writers at one version win, on a pool of many connections', async () => {
    const owner = newOwner();
    const shared = createPostgresStorage({ pool: db.pool });
    await shared.applyBatch(owner, listeningEvent(10, null, 'h0'));
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        shared.applyBatch(owner, listeningEvent(20 + i, 1, `racer-${i}`)).then(
          () => 'applied',
          (error: unknown) => (error instanceof VersionConflictError ? 'conflict' : String(error)),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'conflict')).toHaveLength(7);
    const winner = outcomes.indexOf('applied');
    expect(await shared.getProgress(owner, ASIN)).toMatchObject({ percentComplete: 20 + winner, version: 2 });
    expect((await shared.listHistory(owner, ASIN)).items.map((h) => h.id).sort()).toEqual(['h0', `racer-${winner}`]);
  });
});
