import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coverValue, dateValue, hashValue, relationValue, selectValue, statusValue, textValue, toSchemaShape, valueFromResponse } from './property-values.js';

/** The response Notion gives for a rich_text value written as `items`. */
const asResponse = (items: { text: { content: string } }[]) => ({
  type: 'rich_text',
  rich_text: items.map((i) => ({ type: 'text', text: { content: i.text.content, link: null }, plain_text: i.text.content, href: null })),
});

describe('property values', () => {
  it('reads back what it writes, whatever the text (long, astral, empty): same hash', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 3000 }), fc.constant('🎧'.repeat(1500))), (text) => {
        const written = textValue(text);
        if (!('rich_text' in written)) throw new Error('not rich text');
        expect(written.rich_text.every((i) => i.text.content.length <= 2000)).toBe(true);
        expect(hashValue(valueFromResponse(asResponse(written.rich_text))!)).toBe(hashValue(written));
      }),
    );
  });

  it('hashes relations regardless of order and id spelling', () => {
    const a = 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa';
    const b = 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';
    expect(hashValue(relationValue([a, b]))).toBe(hashValue(relationValue([b.toLowerCase(), a.replace(/-/g, '')])));
  });

  it('makes an external file of an http(s) cover and nothing of anything else', () => {
    expect(coverValue('https://m.media-amazon.com/images/I/51abc._SL500_.jpg')).toEqual({
      files: [{ name: '51abc._SL500_.jpg', external: { url: 'https://m.media-amazon.com/images/I/51abc._SL500_.jpg' } }],
    });
    expect(coverValue('file:///tmp/x.jpg')).toEqual({ files: [] });
    expect(coverValue(null)).toEqual({ files: [] });
  });

  it('hashes a date-time Notion echoes with +00:00 as the instant written with Z; a date stays a date', () => {
    const echoed = (start: string) => valueFromResponse({ type: 'date', date: { start, end: null, time_zone: null } })!;
    expect(hashValue(echoed('2026-08-15T10:30:00.000+00:00'))).toBe(hashValue(dateValue('2026-08-15T10:30:00.000Z')));
    expect(hashValue(echoed('2026-08-15T12:30:00.000+02:00'))).toBe(hashValue(dateValue('2026-08-15T10:30:00Z')));
    expect(hashValue(echoed('2026-08-15T10:31:00.000+00:00'))).not.toBe(hashValue(dateValue('2026-08-15T10:30:00.000Z')));
    expect(dateValue('2026-08-15')).toEqual({ date: { start: '2026-08-15' } });
    expect(echoed('2026-08-15')).toEqual({ date: { start: '2026-08-15' } });
  });

  it('reads a native status value as {status: {name}}, and shapes a select value for a status property', () => {
    expect(valueFromResponse({ id: 'x', type: 'status', status: { id: 'o1', name: 'Finished', color: 'green' } })).toEqual(statusValue('Finished'));
    expect(valueFromResponse({ id: 'x', type: 'status', status: null })).toEqual({ status: null });
    expect(toSchemaShape({ Status: selectValue('Finished'), Owned: { checkbox: true } }, new Set(['Status']))).toEqual({ Status: { status: { name: 'Finished' } }, Owned: { checkbox: true } });
    // The option is what is compared, whichever type the property has.
    expect(hashValue(statusValue('Finished'))).toBe(hashValue(selectValue('Finished')));
    expect(hashValue(statusValue('Finished'))).not.toBe(hashValue(selectValue('In progress')));
  });
});
