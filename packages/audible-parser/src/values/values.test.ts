import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAsin } from './asin.js';
import { parseBoolean } from './booleans.js';
import { dayMonthEvidence, parseCalendarDate, parseCultureCalendarDate, parseCultureDate, parseIsoDate } from './dates.js';
import { parseDateInOrder } from './date-order.js';
import { parseNames } from './names.js';
import { parseDuration, parseMinutes, parseNumber, parsePercent } from './numbers.js';
import { displayValue, Invalid } from './parsed.js';

const invalid = expect.any(Invalid);

describe('parseIsoDate', () => {
  it.each([
    ['2019-11-29T11:40:49.000Z', '2019-11-29T11:40:49.000Z'],
    ['2019-11-29T11:40:49Z', '2019-11-29T11:40:49.000Z'],
    ['2019-11-29T11:40:49', '2019-11-29T11:40:49.000Z'],
    ['2019-11-29 11:40:49.122', '2019-11-29T11:40:49.122Z'],
    ['2024-01-02T15:04:05.1234567Z', '2024-01-02T15:04:05.123Z'],
    ['2023-11-20T09:00:00+01:00', '2023-11-20T08:00:00.000Z'],
    ['2023-11-20T09:00:00-0530', '2023-11-20T14:30:00.000Z'],
    ['2024-02-29', '2024-02-29'],
    [' 2021-05-04 ', '2021-05-04'],
  ])('%s -> %s', (input, expected) => expect(parseIsoDate(input)).toBe(expected));

  it.each(['2023-02-29', '2023-02-30T10:00:00.000Z', '2023-13-01', '2023-01-01T24:00:00Z', 'yesterday', '02.01.2024', '2019-11-29T11:40:49.000X', '0999-01-01'])(
    'rejects %s',
    (input) => expect(parseIsoDate(input)).toEqual(invalid),
  );

  it('takes a YYYY-MM-DD date exactly when it is a real day (fast path and regex agree)', () => {
    const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((d) => d.join(''));
    fc.assert(
      fc.property(digits(4), digits(2), digits(2), fc.boolean(), (y, m, d, padded) => {
        const text = `${y}-${m}-${d}`;
        const date = new Date(`${text}T00:00:00Z`);
        const real = Number(y) >= 1000 && !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
        // A padded value skips the fast path and goes through the regex.
        expect(parseIsoDate(padded ? ` ${text} ` : text)).toEqual(real ? text : invalid);
      }),
      { numRuns: 3000 },
    );
  });

  it('empty is null, non-strings are invalid', () => {
    expect(parseIsoDate('')).toBeNull();
    expect(parseIsoDate(undefined)).toBeNull();
    expect(parseIsoDate(20240102)).toEqual(invalid);
  });

  it('parseCalendarDate cuts a timestamp to its UTC date', () => {
    expect(parseCalendarDate('2021-05-04T23:30:00-02:00')).toBe('2021-05-05');
    expect(parseCalendarDate('2021-05-04')).toBe('2021-05-04');
  });
});

describe('parseCultureDate (Libation and OpenAudible CSV)', () => {
  it.each([
    ['02.01.2024 15:04:05', '2024-01-02T15:04:05.000Z'],
    ['2.1.2024 15:04', '2024-01-02T15:04:00.000Z'],
    ['1/2/2024 3:04:05 PM', '2024-01-02T15:04:05.000Z'],
    ['1/2/2024 12:00:00 AM', '2024-01-02T00:00:00.000Z'],
    ['12/31/2023 12:30:00 PM', '2023-12-31T12:30:00.000Z'],
    ['02/01/2024 15:04:05', '2024-01-02T15:04:05.000Z'],
    ['13/01/2024 10:00:00', '2024-01-13T10:00:00.000Z'],
    ['1/13/2024 10:00:00', '2024-01-13T10:00:00.000Z'],
    ['2-1-2024', '2024-01-02'],
    ['2024/01/02 13:00', '2024-01-02T13:00:00.000Z'],
    ['01/15/2022', '2022-01-15'],
    ['2024-01-02T15:04:05', '2024-01-02T15:04:05.000Z'],
  ])('%s -> %s', (input, expected) => expect(parseCultureDate(input)).toBe(expected));

  it('month-first order when asked', () => {
    expect(parseCultureDate('02/01/2024', 'month-first')).toBe('2024-02-01');
    expect(parseCultureDate('02/01/2024', 'day-first')).toBe('2024-01-02');
  });

  it.each(['13/45/2023 9:00:00 AM', '31.02.2024', '1/2/24', '0/1/2024', '1/2/2024 13:00:00 PM', 'soon'])('rejects %s', (input) => {
    expect(parseCultureDate(input)).toEqual(invalid);
  });

  it('calendar variant', () => expect(parseCultureCalendarDate('5/4/2021 12:00:00 AM')).toBe('2021-05-04'));
});

describe('dayMonthEvidence (what a date tells about its file)', () => {
  it.each([
    ['08/15/2026 10:30:00', 'month-first'],
    ['15/08/2026 10:30:00', 'day-first'],
    ['15/08/2026', 'day-first'],
    ['15.08.2026 10:30:00', 'day-first'],
    ['1.2.2020', 'day-first'],
    ['01/02/2020', 'ambiguous'],
    ['1/2/2024 3:04:05 PM', 'ambiguous'],
    ['01/01/2020', null],
    ['31/02/2020', null],
    ['13/45/2023', null],
    ['2026-08-15T10:30:00Z', null],
    ['2026/08/15', null],
    ['', null],
  ] as const)('%s -> %s', (value, expected) => expect(dayMonthEvidence(value)).toBe(expected));

  it('parseDateInOrder reads in the file\'s order and refuses a date against it', () => {
    const monthFirst = { order: 'month-first', evidence: { line: 2, column: 'Date Added to library', value: '08/15/2026' } } as const;
    expect(parseDateInOrder('01/02/2020', monthFirst)).toBe('2020-01-02');
    expect(parseDateInOrder('01/02/2020', { order: 'day-first', evidence: null })).toBe('2020-02-01');
    expect(parseDateInOrder('15/08/2026', monthFirst)).toEqual(new Invalid('conflicting date order: this date reads only day first, but line 2 (Date Added to library: "08/15/2026") shows the file writes dates month first'));
  });
});

describe('parseBoolean', () => {
  it.each([
    ['True', true], ['False', false], ['true', true], ['FALSE', false], ['yes', true], ['No', false],
    ['1', true], ['0', false], [true, true], [false, false], [1, true], [0, false], ['', null], [null, null],
  ] as const)('%s -> %s', (input, expected) => expect(parseBoolean(input)).toBe(expected));

  it.each(['maybe', 'Truee', 2, {}])('rejects %s', (input) => expect(parseBoolean(input)).toEqual(invalid));
});

describe('numbers', () => {
  it('parseNumber reads decimal points and decimal commas', () => {
    expect(parseNumber('37.5')).toBe(37.5);
    expect(parseNumber('4,5')).toBe(4.5);
    expect(parseNumber('1.234,5')).toBe(1234.5);
    expect(parseNumber(' 12 ')).toBe(12);
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('abc')).toEqual(invalid);
    expect(parseNumber(Number.NaN)).toEqual(invalid);
  });

  it('parseMinutes wants whole, non-negative minutes', () => {
    expect(parseMinutes('970')).toBe(970);
    expect(parseMinutes('970.0')).toBe(970);
    expect(parseMinutes(970)).toBe(970);
    expect(parseMinutes('970.5')).toEqual(invalid);
    expect(parseMinutes('-1')).toEqual(invalid);
    expect(parseMinutes('ten hours')).toEqual(invalid);
  });

  it('parsePercent stays within 0..100', () => {
    expect(parsePercent('0.0')).toBe(0);
    expect(parsePercent('100.0')).toBe(100);
    expect(parsePercent('37,5')).toBe(37.5);
    expect(parsePercent('100.1')).toEqual(invalid);
    expect(parsePercent(-0.5)).toEqual(invalid);
  });

  it.each([
    ['10:27:00', 627], ['10:27', 627], ['0:00:31', 1], ['10h 27m', 627], ['10 hrs and 27 mins', 627], ['45m', 45], ['627', 627], [627, 627],
  ] as const)('parseDuration %s -> %i', (input, expected) => expect(parseDuration(input)).toBe(expected));

  it('parseDuration rejects junk', () => expect(parseDuration('a while')).toEqual(invalid));
});

describe('parseNames', () => {
  it('splits on commas and keeps suffixes with their name', () => {
    expect(parseNames('Mara Quillfeather, Tobias Wren')).toEqual(['Mara Quillfeather', 'Tobias Wren']);
    expect(parseNames('Edmund Pike, Jr., Ada Lark')).toEqual(['Edmund Pike, Jr.', 'Ada Lark']);
    expect(parseNames('Invented House, Inc.')).toEqual(['Invented House, Inc.']);
    expect(parseNames('Solo')).toEqual(['Solo']);
    expect(parseNames(' , ')).toBeNull();
    expect(parseNames('')).toBeNull();
    expect(parseNames(['A', ' ', 'B'])).toEqual(['A', 'B']);
    expect(parseNames([1])).toEqual(invalid);
  });
});

describe('parseAsin', () => {
  it('accepts ten letters or digits, upper-casing', () => {
    expect(parseAsin('B0AAAAAA01')).toBe('B0AAAAAA01');
    expect(parseAsin(' b0aaaaaa01 ')).toBe('B0AAAAAA01');
    expect(parseAsin('1094100846')).toBe('1094100846');
    expect(parseAsin('')).toBeNull();
    for (const bad of ['B0SHORT', 'B0AAAAAA011', 'B0-AAAAA01', 'B0AAAAAÄ01', 1094100846]) expect(parseAsin(bad)).toEqual(invalid);
  });
});

describe('displayValue', () => {
  it('shortens long values and stringifies non-text', () => {
    expect(displayValue('x'.repeat(200))).toHaveLength(80);
    expect(displayValue(250)).toBe('250');
    expect(displayValue({ a: 1 })).toBe('{"a":1}');
    expect(displayValue(undefined)).toBe('');
  });
});
