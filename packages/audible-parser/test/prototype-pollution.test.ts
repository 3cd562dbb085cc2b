import { afterEach, describe, expect, it } from 'vitest';
import { parseExportText } from '../src/index.js';

const hostile = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString'];

afterEach(() => {
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
});

describe('hostile header and key names', () => {
  it('headers such as __proto__ or constructor are unknown columns, not object keys', async () => {
    const header = ['asin', 'title', ...hostile, 'series_title', 'series_sequence'].join('\t');
    const row = ['B0AAAAAA01', 'Safe Title', 'polluted', 'polluted', 'polluted', 'polluted', 'polluted', 'Series', '1'].join('\t');
    const result = await parseExportText(`${header}\r\n${row}\r\n`, 'hostile.tsv');
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.value.notes).toContain(`ignored unknown columns: ${hostile.join(', ')}`);
    const title = result.value.records.titles[0]!;
    expect(Object.getPrototypeOf(title)).toBe(Object.prototype);
    expect(title.title).toBe('Safe Title');
    expect(typeof title.toString).toBe('function');
  });

  it('a series named __proto__ is a plain series', async () => {
    const result = await parseExportText('asin\ttitle\tseries_title\tseries_sequence\r\nB0AAAAAA01\tT\t__proto__\t1\r\nB0AAAAAA02\tU\tconstructor\t2\r\n', 'series.tsv');
    expect(result.success).toBe(true);
    if (result.success) expect(result.value.records.series.map((s) => s.title)).toEqual(['__proto__', 'constructor']);
  });

  it('JSON keys __proto__ and constructor neither pollute nor leak into records', async () => {
    const text = '[{"asin":"B0AAAAAA01","title":"T","series_title":"S","is_finished":true,"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}]';
    const result = await parseExportText(text, 'hostile.json');
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.value.notes.join()).toMatch(/ignored unknown keys: __proto__, constructor/);
    const title = result.value.records.titles[0]!;
    expect(Object.keys(title)).not.toContain('__proto__');
    expect((title as unknown as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('Audible API items and series metadata with hostile keys', async () => {
    const api = '{"items":[{"asin":"B0AAAAAA01","title":"T","__proto__":{"polluted":1},"product_images":{"__proto__":{"polluted":1},"500":"u"},"series":[{"asin":"B0SERIES01","title":"S","__proto__":{"polluted":1}}]}]}';
    const apiResult = await parseExportText(api, 'api.json');
    expect(apiResult.success).toBe(true);
    const meta = '{"format":"sagasync-series-metadata","version":1,"generatedAt":"x","__proto__":{"polluted":1},"series":[{"asin":null,"title":"S","volumes":[{"asin":"B0AAAAAA01","title":"T","sequence":"1","owned":true,"__proto__":{"polluted":1}}]}]}';
    const metaResult = await parseExportText(meta, 'meta.json');
    expect(metaResult.success).toBe(true);
  });
});
