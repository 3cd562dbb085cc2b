import { describe, expect, it } from 'vitest';
import type { SeriesPosition } from '../model/sequence.js';
import { formatPosition, parseSequence, positionStart, readSequence } from './parse-sequence.js';

const num = (value: number): SeriesPosition => ({ kind: 'number', value });
const range = (start: number, end: number): SeriesPosition => ({ kind: 'range', start, end });
const none: SeriesPosition = { kind: 'none' };

describe('parseSequence', () => {
  const cases: Array<[string | null | undefined, SeriesPosition]> = [
    ['1', num(1)],
    ['2.5', num(2.5)],
    ['0', num(0)],
    ['0.5', num(0.5)],
    ['1-3', range(1, 3)],
    ['1–3', range(1, 3)],
    ['1 — 3', range(1, 3)],
    ['1−3', range(1, 3)],
    ['Books 1-3', range(1, 3)],
    ['Books 1–3', range(1, 3)],
    ['Book 4', num(4)],
    ['book4', num(4)],
    ['Book 4.', num(4)],
    ['(Book 1)', num(1)],
    ['[2]', num(2)],
    ['Book 1 of 3', num(1)],
    ['1-3 of 9', range(1, 3)],
    ['of 3', none],
    ['#Book 1', num(1)],
    ['Book #4', num(4)],
    ['#5', num(5)],
    ['Vol. 2', num(2)],
    ['Part II', num(2)],
    ['2, Dramatized Adaptation', num(2)],
    ['2,5', num(2.5)],
    ['1.5-2', range(1.5, 2)],
    ['1-#3', range(1, 3)],
    ['2-2', num(2)],
    ['3-1', none],
    ['', none],
    ['   ', none],
    [null, none],
    [undefined, none],
    ['-1', none],
    ['999999999', none],
    ['10000', num(10_000)],
    ['10001', none],
    ['Ⅳ', num(4)],
    ['ⅻ', num(12)],
    ['IV', num(4)],
    ['xiv', num(14)],
    ['IIII', none],
    ['１２', num(12)],
    ['banana', none],
    ['1-', none],
    ['1-3-5', none],
    ['Book', none],
    ['1e5', none],
    ['.5', none],
  ];
  it.each(cases)('%j -> %j', (raw, expected) => {
    expect(parseSequence(raw)).toEqual(expected);
  });

  it('keeps the raw text verbatim beside the position', () => {
    expect(readSequence('Books 1–3')).toEqual({ sequence: 'Books 1–3', position: range(1, 3) });
    expect(readSequence(' 2, Dramatized Adaptation ')).toEqual({ sequence: ' 2, Dramatized Adaptation ', position: num(2) });
    expect(readSequence(null)).toEqual({ sequence: '', position: none });
  });
});

describe('positionStart and formatPosition', () => {
  it.each<[SeriesPosition, number | null, string]>([
    [num(2.5), 2.5, '2.5'],
    [range(1, 3), 1, '1-3'],
    [none, null, ''],
  ])('%j', (position, start, text) => {
    expect(positionStart(position)).toBe(start);
    expect(formatPosition(position)).toBe(text);
  });
});
