import type { BatchOperation } from '@sagasync/core';
import { bareTitle } from '@sagasync/storage/conformance';
import { describe, expect, it } from 'vitest';
import { planStatementGroups } from '../src/batch/statement-groups.js';
import { toWrite } from '../src/batch/writes.js';

const AT = '2024-03-01T10:00:00.000Z';
const title = (asin: string, expectedVersion?: number | null): BatchOperation => ({ op: 'putTitle', value: bareTitle(asin), expectedVersion });
const setting = (key: string): BatchOperation => ({ op: 'putSetting', key, value: key });
const history = (asin: string, id: string): BatchOperation => ({
  op: 'appendHistory',
  value: { asin, id, at: AT, source: 'import', event: 'progressed', fromStatus: 'not_started', toStatus: 'in_progress', fromPercent: 0, toPercent: 10, note: null },
});
const baseline = (asin: string): BatchOperation => ({ op: 'putBaseline', value: { asin, source: 'file', value: { percentComplete: 10 }, observedAt: AT } });

/** Each group as the batch indexes of its writes. */
function plan(operations: BatchOperation[]): number[][] {
  return planStatementGroups(operations.map(toWrite)).map((group) => group.writes.map((write) => write.index));
}

describe('planStatementGroups', () => {
  it('puts a run of one kind in one group', () => {
    expect(plan(['B000000001', 'B000000002', 'B000000003'].map((asin) => title(asin)))).toEqual([[0, 1, 2]]);
  });

  it('groups interleaved kinds on different records by kind, as an import writes progress with its history and baselines', () => {
    const operations = ['B000000001', 'B000000002', 'B000000003'].flatMap((asin) => [history(asin, 'h1'), history(asin, 'h2'), baseline(asin)]);
    expect(plan(operations)).toEqual([
      [0, 1, 3, 4, 6, 7],
      [2, 5, 8],
    ]);
  });

  it('never puts one record in a group twice, and keeps each record in batch order', () => {
    const groups = plan([title('B000000001'), title('B000000002'), title('B000000001'), setting('a'), title('B000000001'), title('B000000003')]);
    expect(groups).toEqual([[0, 1, 5], [2], [3], [4]]);
  });

  it('lets a later write of another record join an earlier group of its kind', () => {
    // Put, delete and put again of one title; a put of another title joins the first put's group.
    const operations: BatchOperation[] = [title('B000000001'), { op: 'deleteTitle', asin: 'B000000001' }, title('B000000001'), title('B000000002')];
    expect(plan(operations)).toEqual([[0, 3], [1], [2]]);
  });

  it('separates writes of one table by condition and action, and history by its own key', () => {
    const operations: BatchOperation[] = [title('B000000001'), title('B000000002', null), title('B000000003', 4), history('B000000001', 'same'), history('B000000001', 'same')];
    expect(plan(operations)).toEqual([[0], [1], [2], [3], [4]]);
  });

  it('notes the lowest batch index of each group', () => {
    const groups = planStatementGroups([setting('a'), title('B000000001'), setting('b')].map(toWrite));
    expect(groups.map((group) => group.first)).toEqual([0, 1]);
  });
});
