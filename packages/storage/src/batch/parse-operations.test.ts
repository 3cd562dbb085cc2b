import { SagaSyncError, type BatchOperation } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import { parseOperations, parseOwnerId } from './parse-operations.js';

function failure(run: () => unknown): SagaSyncError {
  try {
    run();
  } catch (error) {
    if (SagaSyncError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a SagaSyncError');
}

const series = { key: 'title:dune', asin: null, title: 'Dune', catalogueComplete: false, createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z' };

describe('parseOperations', () => {
  it('names the operation and the field of the first problem, never the value', () => {
    const error = failure(() =>
      parseOperations([
        { op: 'putSeries', value: series },
        { op: 'putSeries', value: { ...series, asin: 'secret-looking-value' } },
      ]),
    );
    expect(error.code).toBe('invalid_input');
    expect(error.details.location).toBe('operations[1].value.asin');
    expect(error.message).toMatch(/^batch operation 1 \(putSeries\) is invalid at operations\[1\]\.value\.asin: /);
    expect(error.message).not.toContain('secret-looking-value');
  });

  it('rejects unknown operations, bad versions and bad keys', () => {
    expect(failure(() => parseOperations([{ op: 'dropEverything' } as unknown as BatchOperation])).details.location).toBe('operations[0].op');
    expect(failure(() => parseOperations([{ op: 'putSeries', value: series, expectedVersion: 0 }])).details.location).toBe('operations[0].expectedVersion');
    expect(failure(() => parseOperations([{ op: 'deleteTitle', asin: 'b000000001' }])).details.location).toBe('operations[0].asin');
    expect(failure(() => parseOperations([{ op: 'deleteSetting', key: '' }])).details.location).toBe('operations[0].key');
  });

  it('accepts plain JSON settings only, and copies them', () => {
    const value = { nested: { list: [1, 'a', null, true] } };
    const [parsed] = parseOperations([{ op: 'putSetting', key: 'k', value }]);
    value.nested.list.push(2);
    expect(parsed).toEqual({ op: 'putSetting', key: 'k', value: { nested: { list: [1, 'a', null, true] } } });
    for (const [bad, location] of [
      [{ at: new Date() }, 'operations[0].value.at'],
      [[1, Number.NaN], 'operations[0].value.1'],
      [{ deep: { fn: () => 1 } }, 'operations[0].value.deep.fn'],
      [undefined, 'operations[0].value'],
    ] as const) {
      expect(failure(() => parseOperations([{ op: 'putSetting', key: 'k', value: bad }])).details.location).toBe(location);
    }
  });

  it('strips unknown fields and leaves "unconditional" without an expectedVersion key', () => {
    const [parsed] = parseOperations([{ op: 'putSeries', value: { ...series, extra: 'dropped' } as typeof series, expectedVersion: undefined }]);
    expect(parsed).toEqual({ op: 'putSeries', value: series });
    expect(parsed).not.toHaveProperty('expectedVersion');
  });

  it('checks owner ids', () => {
    expect(parseOwnerId('local')).toBe('local');
    expect(failure(() => parseOwnerId('')).code).toBe('invalid_input');
    expect(failure(() => parseOwnerId('x'.repeat(201))).code).toBe('invalid_input');
  });
});
