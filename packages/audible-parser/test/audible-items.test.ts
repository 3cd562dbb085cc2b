import { importLibrary, LibraryRecordsSchema } from '@sagasync/core';
import { createMemoryStorage } from '@sagasync/storage';
import { describe, expect, it } from 'vitest';
import { buildSeriesMetadataFile, forSaleOf, mapLibraryItems, parseExportText, parseLibraryItem, seriesVolumeOf, type AudibleLibraryItem, type AudibleProduct, type SeriesMetadataSeries } from '../src/index.js';
import { fixture, parseOk } from './helpers.js';

/** A library item as `/1.0/library` answers with the sync's response groups. */
const item = (asin: string, extra: Partial<AudibleLibraryItem> = {}): AudibleLibraryItem => ({
  asin,
  title: `Title ${asin}`,
  authors: [{ asin: 'B0AUTHOR01', name: 'Ann Author' }],
  narrators: [{ name: 'Ned Narrator' }],
  series: [{ asin: 'B0SERIESAA', title: 'Saga', sequence: '1', url: '/pd/saga' }],
  runtime_length_min: 600,
  release_date: '2021-05-04',
  purchase_date: '2022-01-02T03:04:05.000Z',
  content_delivery_type: 'SinglePartBook',
  content_type: 'Product',
  status: 'Active',
  ...extra,
});

describe('one malformed library item does not stop the others', () => {
  it('mapLibraryItems: a title-less item and an item without an ASIN are left out with a warning naming the ASIN, or the index', () => {
    const mapped = mapLibraryItems([item('B0GOODITM1'), item('B0NOTITLE1', { title: null }), item('', { title: 'No ASIN' })], {
      file: 'GET /1.0/library',
      itemPath: (i) => `$.items[${i}]`,
    });
    expect(mapped.records.titles.map((t) => t.asin)).toEqual(['B0GOODITM1']);
    expect(mapped.warnings).toEqual([
      { file: 'GET /1.0/library', path: '$.items[1]', message: 'left out Audible item B0NOTITLE1: title: missing title' },
      { file: 'GET /1.0/library', path: '$.items[2]', message: 'left out the Audible item at index 2 (it has no ASIN): asin: missing ASIN' },
    ]);
    expect(mapped.invalidItems.map((i) => i.asin)).toEqual(['B0NOTITLE1', '']);
  });

  it('an Audible API dump skips the same items with the same warnings, strict mode or not', async () => {
    const text = JSON.stringify({ items: [item('B0GOODITM1'), { ...item('B0NOTITLE1'), title: '' }, { ...item('B0WRONGTYP'), runtime_length_min: 'long' }], response_groups: ['contributors'] });
    const result = await parseExportText(text, 'library-dump.json');
    if (!result.success) throw new Error(JSON.stringify(result.error.issues));
    const parsed = result.value;
    expect(parsed.records.titles.map((t) => t.asin)).toEqual(['B0GOODITM1']);
    expect(parsed.invalidRows).toBe(2);
    expect(parsed.warnings.map((w) => [w.path, w.message])).toEqual([
      ['$.items[1]', 'left out Audible item B0NOTITLE1: title: missing title'],
      ['$.items[2]', expect.stringMatching(/^left out Audible item B0WRONGTYP: runtime_length_min: /)],
    ]);
    expect(parsed.notes).toContain('left out 2 Audible library items that could not be read (see warnings and invalid)');
  });

  it('a finish time that cannot be read is best-effort: progress without finishedAt, and a warning', async () => {
    const finished = item('B0FINISHED', { listening_status: { is_finished: true, percent_complete: 100, finished_at_timestamp: 'last Tuesday' } });
    const fromEvent = item('B0FROMEVNT', { is_finished: true, percent_complete: 100 });
    const mapped = mapLibraryItems([finished, fromEvent], { finished: new Map([['B0FROMEVNT', { finished: true, at: 'not a time' }]]) });
    expect(mapped.invalidItems).toEqual([]);
    expect(mapped.records.progress).toEqual([
      { asin: 'B0FINISHED', isFinished: true, percentComplete: 100 },
      { asin: 'B0FROMEVNT', isFinished: true, percentComplete: 100 },
    ]);
    expect(mapped.warnings.map((w) => [w.path, w.message])).toEqual([
      ['$[0].listening_status.finished_at_timestamp', expect.stringMatching(/^Audible item B0FINISHED: invalid date: .*; the progress is kept without a finish time$/)],
      ['$[1]', expect.stringMatching(/^Audible item B0FROMEVNT: the time of its finished event: invalid date: .*; the progress is kept without a finish time$/)],
    ]);
    // The file importer reads the dump the same way.
    const parsed = await parseExportText(JSON.stringify({ items: [finished] }), 'dump.json');
    expect(parsed.success && parsed.value.records.progress).toEqual([{ asin: 'B0FINISHED', isFinished: true, percentComplete: 100 }]);
    expect(parsed.success && parsed.value.warnings).toHaveLength(1);
  });
});

describe('volumes Audible does not sell (forSale)', () => {
  // As `/1.0/catalog/products?response_groups=price` answers (AudibleApi's `Price`).
  const priced = { credit_price: 1.0, list_price: { base: 28.0, currency_code: 'USD', merchant_id: 'A2ZO8JX97D5MN9', type: 'list' }, lowest_price: { base: 28.0, currency_code: 'USD', type: 'list' } };
  const product = (asin: string, extra: Partial<AudibleProduct> = {}): AudibleProduct => ({ asin, title: `Volume ${asin}`, authors: [{ name: 'Ann Author' }], release_date: '2020-01-01', ...extra });

  it('forSaleOf: a price with an amount is for sale; no price (asked for), a null price or one without an amount is not; otherwise unknown', () => {
    expect(forSaleOf(product('B0VOLUME01', { price: priced }))).toBe(true);
    expect(forSaleOf(product('B0VOLUME02', { price: null }))).toBe(false);
    expect(forSaleOf(product('B0VOLUME03', { price: { list_price: null } }))).toBe(false);
    expect(forSaleOf(product('B0VOLUME04'), true)).toBe(false);
    expect(forSaleOf(product('B0VOLUME04'))).toBeUndefined();
  });

  it('a price of another shape does not fail the item: it says nothing', () => {
    const parsed = parseLibraryItem({ asin: 'B0ODDPRICE', title: 'Odd', price: 'USD 28' }, { file: 'x.json', path: '$.items[0]' });
    expect(parsed.success).toBe(true);
    if (parsed.success) expect(forSaleOf(parsed.value)).toBeUndefined();
  });

  it('seriesVolumeOf and the schema read the `price` response group', () => {
    const place = { sequence: '2', sort: '2' };
    expect(seriesVolumeOf(product('B0VOLUME01', { price: priced }), place, { pricesRequested: true }).forSale).toBe(true);
    expect(seriesVolumeOf(product('B0VOLUME02'), place, { pricesRequested: true }).forSale).toBe(false);
    expect(seriesVolumeOf(product('B0VOLUME03'), place)).not.toHaveProperty('forSale');
  });

  it('a series volume carries forSale to its title; the series-metadata file keeps it both ways', async () => {
    const volume = (asin: string, sequence: string, forSale?: boolean) => ({ asin, title: `Volume ${sequence}`, sequence, owned: false, authors: ['Ann Author'], narrators: [], ...(forSale === undefined ? {} : { forSale }) });
    const series: SeriesMetadataSeries[] = [{ asin: 'B0SERIESAA', title: 'Saga', complete: true, volumes: [volume('B0VOLUME02', '2', false), volume('B0VOLUME03', '3', true), volume('B0VOLUME04', '4')] }];
    const mapped = mapLibraryItems([item('B0GOODITM1')], { series, marketplace: 'us' });
    expect(LibraryRecordsSchema.safeParse(mapped.records).success).toBe(true);
    const byAsin = Object.fromEntries(mapped.records.titles.map((t) => [t.asin, t.forSale]));
    expect(byAsin).toEqual({ B0GOODITM1: undefined, B0VOLUME02: false, B0VOLUME03: true, B0VOLUME04: undefined });

    const file = { format: 'sagasync-series-metadata', version: 1, generatedAt: '2026-01-01T00:00:00.000Z', marketplace: 'us', series };
    const parsed = await parseExportText(JSON.stringify(file), 'meta.json');
    if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
    expect(Object.fromEntries(parsed.value.records.titles.map((t) => [t.asin, t.forSale]))).toEqual({ B0VOLUME02: false, B0VOLUME03: true, B0VOLUME04: undefined });

    const storage = createMemoryStorage();
    await importLibrary({ storage, ownerId: 'o', clock: () => new Date('2026-01-01T00:00:00.000Z') }, parsed.value.records, { commit: true });
    const [titles, stored] = [(await storage.listTitles('o')).items, (await storage.listSeries('o')).items];
    const written = buildSeriesMetadataFile({ titles, series: stored, generatedAt: '2026-01-02T00:00:00.000Z' });
    expect(written.series[0]!.volumes.map((v) => [v.asin, v.forSale])).toEqual([
      ['B0VOLUME02', false],
      ['B0VOLUME03', true],
      ['B0VOLUME04', undefined],
    ]);
  });

  it('a library item with the price group gives forSale too', () => {
    const mapped = mapLibraryItems([item('B0PRICED01', { price: priced }), item('B0NOPRICE1')], { pricesRequested: true });
    expect(mapped.records.titles.map((t) => [t.asin, t.forSale])).toEqual([
      ['B0NOPRICE1', false],
      ['B0PRICED01', true],
    ]);
  });
});

describe('finish times are never made up', () => {
  it('audible-cli and Libation exports report progress without finishedAt', async () => {
    for (const path of [
      fixture('audible-cli', 'library.tsv'),
      fixture('audible-cli', 'library.json'),
      fixture('audible-cli', 'library-contributors.tsv'),
      fixture('libation', 'libation-export-en-us.csv'),
      fixture('libation', 'libation-export-invariant.csv'),
      fixture('libation', 'libation-export.json'),
      fixture('openaudible', 'openaudible-library.csv'),
    ]) {
      const parsed = await parseOk(path);
      expect(parsed.records.progress.some((p) => p.isFinished === true)).toBe(true);
      for (const report of parsed.records.progress) expect(report).not.toHaveProperty('finishedAt');
    }
  });
});
