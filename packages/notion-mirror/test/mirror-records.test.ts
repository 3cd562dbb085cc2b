import type { BatchOperation, StoragePort } from '@sagasync/core';
import { createMemoryStorage } from '@sagasync/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { pushToNotion } from '../src/apply/push.js';
import { pullFromNotion } from '../src/pull/pull.js';
import { resetNotion } from '../src/reset/reset.js';
import { clearMirror, listRecords, loadMirror, migrateMirrorSettings } from '../src/state/mirror-records.js';
import { SETTINGS_KEYS, type MirrorEntry, type MirrorTable } from '../src/state/settings.js';
import { BATCH_LIMIT, booksByAsin, OWNER, world, type World } from './helpers.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** The store, watched: every batch's size and the largest single operation written. */
function watched(storage: StoragePort, failAtBatch?: number) {
  const seen = { batches: 0, largestBatch: 0, largestOperationBytes: 0 };
  const proxy = new Proxy(storage, {
    get(target, prop, receiver) {
      if (prop === 'applyBatch') {
        return async (ownerId: string, operations: readonly BatchOperation[]) => {
          seen.batches += 1;
          if (seen.batches === failAtBatch) throw new Error('the store went away');
          seen.largestBatch = Math.max(seen.largestBatch, operations.length);
          for (const op of operations) seen.largestOperationBytes = Math.max(seen.largestOperationBytes, JSON.stringify(op).length);
          return target.applyBatch(ownerId, operations);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return { storage: proxy, seen };
}

const entry = (n: number, extra: Partial<MirrorEntry> = {}): MirrorEntry => ({
  pageId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  origin: n % 10 === 0 ? 'adopted' : 'created',
  synthetic: n % 5 === 4,
  hashes: { Title: `t${n}`, ASIN: `a${n}`, Owned: `o${n % 2}` },
  ...extra,
});

/** Old-format settings, as versions before mirror records wrote them. */
async function writeLegacy(storage: StoragePort, books: MirrorTable, series: MirrorTable): Promise<void> {
  await storage.applyBatch(OWNER, [
    { op: 'putSetting', key: SETTINGS_KEYS.books, value: books },
    { op: 'putSetting', key: SETTINGS_KEYS.series, value: series },
  ]);
}

const withoutTime = <T extends { updatedAt: string }>(records: T[]) => records.map(({ updatedAt: _t, ...rest }) => rest);

describe('migrating the whole-table settings into mirror records', () => {
  it('converts 2,030 old entries in batches within the store limit, survives a crash half-way, and deletes the settings last', async () => {
    const base = createMemoryStorage({ limits: { maxOperationsPerBatch: BATCH_LIMIT } });
    const books: MirrorTable = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`B${String(i + 1).padStart(9, '0')}`, entry(i + 1)]));
    const series: MirrorTable = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`S${String(i + 1).padStart(9, '0')}`, entry(5000 + i)]));
    await writeLegacy(base, books, series);
    // A record already in the store is newer than the old settings: it wins.
    const newer = { ...entry(1), pageId: '11111111-1111-4111-8111-111111111111' };
    await base.applyBatch(OWNER, [{ op: 'putMirrorRecord', value: { table: 'books', key: 'B000000001', ...newer, updatedAt: '2026-01-01T00:00:00.000Z' } }]);
    const clock = () => new Date('2026-02-02T02:02:02.000Z');

    const failing = watched(base, 6);
    await expect(migrateMirrorSettings({ storage: failing.storage, ownerId: OWNER, clock })).rejects.toThrow('the store went away');
    // Five whole batches landed (series first, then books); the settings are still there for the rerun.
    expect((await listRecords(base, OWNER, 'series')).length + (await listRecords(base, OWNER, 'books')).length).toBe(1 + 5 * BATCH_LIMIT);
    expect(await base.getSetting(OWNER, SETTINGS_KEYS.books)).not.toBeNull();

    const rerun = watched(base);
    expect(await migrateMirrorSettings({ storage: rerun.storage, ownerId: OWNER, clock })).toBe(2030 - 1 - 5 * BATCH_LIMIT);
    expect(rerun.seen.largestBatch).toBeLessThanOrEqual(BATCH_LIMIT);
    expect(await base.getSetting(OWNER, SETTINGS_KEYS.books)).toBeNull();
    expect(await base.getSetting(OWNER, SETTINGS_KEYS.series)).toBeNull();

    const records = await listRecords(base, OWNER, 'books');
    expect(records).toHaveLength(2000);
    expect((await listRecords(base, OWNER, 'series')).length).toBe(30);
    expect(records.find((r) => r.key === 'B000000001')).toMatchObject({ pageId: newer.pageId, updatedAt: '2026-01-01T00:00:00.000Z' });
    expect(records.find((r) => r.key === 'B000000010')).toEqual({ ownerId: OWNER, table: 'books', key: 'B000000010', ...entry(10), updatedAt: '2026-02-02T02:02:02.000Z' });
    const mirror = await loadMirror(base, OWNER);
    expect(mirror.books.B000001234).toEqual(entry(1234));
    expect(mirror.series.S000000030).toEqual(entry(5029));

    // Once done, nothing is left to migrate.
    const again = watched(base);
    expect(await migrateMirrorSettings({ storage: again.storage, ownerId: OWNER })).toBe(0);
    expect(again.seen.batches).toBe(0);
  });

  it('a push on a store from before mirror records migrates it and finds nothing to write; a dry run reads the old settings without migrating', async () => {
    w = await world(30, 4);
    await pushToNotion(w.deps);
    const before = [...(await listRecords(w.storage, OWNER, 'series')), ...(await listRecords(w.storage, OWNER, 'books'))];
    expect(before).toHaveLength(34);
    // Turn the store back into the old shape: two settings, no records.
    const mirror = await loadMirror(w.storage, OWNER);
    await clearMirror(w.storage, OWNER);
    expect(await listRecords(w.storage, OWNER, 'books')).toEqual([]);
    await writeLegacy(w.storage, mirror.books, mirror.series);

    w.fake.resetStats();
    const dry = await pushToNotion(w.deps, { dryRun: true });
    expect(dry.planned).toMatchObject({ creates: 0, updates: 0 });
    expect(await w.storage.getSetting(OWNER, SETTINGS_KEYS.books)).not.toBeNull();
    expect(await listRecords(w.storage, OWNER, 'books')).toEqual([]);

    w.fake.resetStats();
    const pushed = await pushToNotion(w.deps);
    expect(pushed).toMatchObject({ done: true, writes: 0, books: { unchanged: 30, created: 0, adopted: 0 }, series: { unchanged: 4, created: 0 } });
    expect(w.fake.stats.total).toBe(4);
    expect(await w.storage.getSetting(OWNER, SETTINGS_KEYS.books)).toBeNull();
    expect(await w.storage.getSetting(OWNER, SETTINGS_KEYS.series)).toBeNull();
    const after = [...(await listRecords(w.storage, OWNER, 'series')), ...(await listRecords(w.storage, OWNER, 'books'))];
    expect(withoutTime(after)).toEqual(withoutTime(before));
  });

  it('pull and reset migrate too', async () => {
    w = await world(6, 1);
    await pushToNotion(w.deps);
    const mirror = await loadMirror(w.storage, OWNER);
    await clearMirror(w.storage, OWNER);
    await writeLegacy(w.storage, mirror.books, mirror.series);
    await pullFromNotion(w.deps);
    expect(await w.storage.getSetting(OWNER, SETTINGS_KEYS.books)).toBeNull();
    expect(await listRecords(w.storage, OWNER, 'books')).toHaveLength(6);

    await clearMirror(w.storage, OWNER);
    await writeLegacy(w.storage, mirror.books, mirror.series);
    const reset = await resetNotion(w.deps);
    expect(reset.trashed).toEqual({ books: 6, series: 1 });
    expect(await w.storage.getSetting(OWNER, SETTINGS_KEYS.books)).toBeNull();
    expect(await w.storage.listMirrorRecords(OWNER)).toEqual({ items: [], nextCursor: null });
  });
});

describe('a large mirror', () => {
  it('keeps 2,040 pages as 2,040 records: no stored value grows with the library, no batch over the limit', { timeout: 60_000 }, async () => {
    w = await world(2000, 40, { requestsPerSecond: 5000, burst: 5000 }, { requestsPerSecond: 5000, burst: 5000 });
    const store = watched(w.storage);
    const result = await pushToNotion({ ...w.deps, storage: store.storage });
    expect(result).toMatchObject({ done: true, writes: 2040, books: { created: 2000 }, series: { created: 40 } });
    expect(booksByAsin(w).size).toBe(2000);

    expect((await listRecords(w.storage, OWNER, 'books')).length).toBe(2000);
    expect((await listRecords(w.storage, OWNER, 'series')).length).toBe(40);
    expect(await w.storage.getSetting(OWNER, SETTINGS_KEYS.books)).toBeNull();
    expect(await w.storage.getSetting(OWNER, SETTINGS_KEYS.series)).toBeNull();
    // One record, one settings value or one run row at most: the whole-table settings were about 1.2 MB here.
    expect(store.seen.largestOperationBytes).toBeLessThan(2_000);
    expect(store.seen.largestBatch).toBeLessThanOrEqual(BATCH_LIMIT);
    expect(JSON.stringify(await w.storage.getSetting(OWNER, SETTINGS_KEYS.databases)).length).toBeLessThan(2_000);

    // Forgetting the mirror deletes every record, page by page.
    await clearMirror(store.storage, OWNER);
    expect(await w.storage.listMirrorRecords(OWNER)).toEqual({ items: [], nextCursor: null });
    expect(store.seen.largestBatch).toBeLessThanOrEqual(BATCH_LIMIT);
  });
});
