import { VersionConflictError, type BatchOperation } from '@sagasync/core';
import { bareTitle } from '@sagasync/storage/conformance';
import { describe, expect, it } from 'vitest';
import { conflictFromCancellation, needsRead, planBatch, slotsOf } from './batch-plan.js';
import { keys } from './items.js';
import { keyId, type ItemKey } from './keys.js';
import { targetOf } from './operation-targets.js';
import type { Item } from './table-client.js';

const OWNER = 'owner';
const ASIN = 'B000000001';
const member = (seriesKey: string) => ({ seriesKey, seriesAsin: null, seriesTitle: seriesKey, sequence: '1', position: { kind: 'number' as const, value: 1 } });
const progress = { asin: ASIN, status: 'in_progress' as const, percentComplete: 5, isFinished: false, startedAt: null, finishedAt: null, lastPositionMs: null, finishCount: 0, updatedAt: '2024-01-01T00:00:00.000Z' };

function plan(operations: BatchOperation[], stored: [ItemKey, Item][] = []) {
  const slots = slotsOf(operations.map((operation) => targetOf(OWNER, operation)));
  const read = new Map(stored.map(([key, item]) => [keyId(key), { ...key, ...item }]));
  return { slots, plan: planBatch('table', slots, read) };
}

describe('planBatch', () => {
  it('folds the operations on one item into one action, conditioned on what the first one expects', () => {
    const { slots, plan: result } = plan([
      { op: 'putTitle', value: bareTitle(ASIN, { title: 'First', series: [member('s:a')] }), expectedVersion: null },
      { op: 'putTitle', value: bareTitle(ASIN, { title: 'Second', series: [member('s:a'), member('s:b')] }), expectedVersion: 1 },
    ]);
    expect(slots.map(needsRead)).toEqual([false]);
    expect(result.writes).toHaveLength(1);
    const put = result.writes[0]!.action.Put!;
    expect(put.ConditionExpression).toBe('attribute_not_exists(#pk)');
    expect(put.Item).toMatchObject({ v: 2, ms: ['s:a', 's:b'] });
    expect(JSON.parse(put.Item!.d as string)).toMatchObject({ title: 'Second' });
    expect(result.titles).toEqual([{ asin: ASIN, existed: false, before: [], after: ['s:a', 's:b'] }]);
  });

  it('makes an unconditional put the version after the one read, on the condition that it is still that one', () => {
    const { slots, plan: result } = plan([{ op: 'putProgress', value: progress }], [[keys.progress(OWNER, ASIN), { v: 3 }]]);
    expect(slots.map(needsRead)).toEqual([true]);
    expect(result.writes[0]!.action.Put).toMatchObject({ Item: { v: 4, st: 'in_progress' }, ConditionExpression: '#v = :v', ExpressionAttributeValues: { ':v': 3 } });
  });

  it('fails a stale expectation at once, as the other adapters do', () => {
    expect(() => plan([{ op: 'putTitle', value: bareTitle(ASIN), expectedVersion: 1 }], [[keys.title(OWNER, ASIN), { v: 2, ms: [] }]])).toThrow(VersionConflictError);
  });

  it('drops an unconditional delete of nothing, and deletes what exists on the condition of the version read', () => {
    expect(plan([{ op: 'deleteTitle', asin: ASIN }]).plan).toEqual({ writes: [], titles: [] });
    const { plan: result } = plan([{ op: 'deleteTitle', asin: ASIN }], [[keys.title(OWNER, ASIN), { v: 7, ms: ['s:a'] }]]);
    expect(result.writes[0]!.action.Delete).toMatchObject({ ExpressionAttributeValues: { ':v': 7 } });
    expect(result.titles).toEqual([{ asin: ASIN, existed: true, before: ['s:a'], after: [] }]);
  });

  it('appends a history entry once, and not at all when its id exists', () => {
    const entry = { asin: ASIN, id: 'h1', at: '2024-01-01T00:00:00.000Z', source: 'import' as const, event: 'progressed' as const, fromStatus: null, toStatus: 'in_progress' as const, fromPercent: null, toPercent: 5, note: null };
    const twice: BatchOperation[] = [
      { op: 'appendHistory', value: { ...entry, note: 'first' } },
      { op: 'appendHistory', value: { ...entry, note: 'retry' } },
    ];
    const fresh = plan(twice).plan.writes;
    expect(fresh).toHaveLength(1);
    expect(fresh[0]!.action.Put!.ConditionExpression).toBe('attribute_not_exists(#pk)');
    expect(JSON.parse(fresh[0]!.action.Put!.Item!.d as string)).toMatchObject({ note: 'first' });
    expect(plan(twice, [[keys.history(OWNER, ASIN, 'h1'), {}]]).plan.writes).toEqual([]);
  });

  it('keeps the last of several writes of an unversioned record', () => {
    const { plan: result } = plan([
      { op: 'putSetting', key: 'k', value: 1 },
      { op: 'deleteSetting', key: 'k' },
    ]);
    expect(result.writes.map((write) => Object.keys(write.action))).toEqual([['Delete']]);
    expect(result.writes[0]!.action.Delete!.ConditionExpression).toBeUndefined();
  });
});

describe('conflictFromCancellation', () => {
  it("throws the caller's conflict with the version DynamoDB found", () => {
    const { slots } = plan([{ op: 'putSeries', value: { key: 's', asin: null, title: 'S', catalogueComplete: false, createdAt: progress.updatedAt, updatedAt: progress.updatedAt }, expectedVersion: 3 }]);
    let error: unknown;
    try {
      conflictFromCancellation(slots[0]!, { v: { N: '5' } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(VersionConflictError);
    expect((error as VersionConflictError).details).toMatchObject({ entity: 'series', key: 's', expected: 3, actual: 5 });
  });

  it('returns (plan again) when only our own read was stale', () => {
    const { slots } = plan([{ op: 'putProgress', value: progress }], [[keys.progress(OWNER, ASIN), { v: 3 }]]);
    expect(() => conflictFromCancellation(slots[0]!, { v: { N: '4' } })).not.toThrow();
    // A delete then a create-only put holds against a record that vanished meanwhile.
    const { slots: recreate } = plan(
      [
        { op: 'deleteTitle', asin: ASIN },
        { op: 'putTitle', value: bareTitle(ASIN), expectedVersion: null },
      ],
      [[keys.title(OWNER, ASIN), { v: 2, ms: [] }]],
    );
    expect(() => conflictFromCancellation(recreate[0]!, undefined)).not.toThrow();
  });
});
