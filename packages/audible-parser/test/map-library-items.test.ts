import { readFile } from 'node:fs/promises';
import { LibraryRecordsSchema } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import {
  AudibleLibraryItemSchema,
  mapLibraryItems,
  parseLibraryItem,
  seriesVolumeOf,
  type AudibleLibraryItem,
  type SeriesMetadataSeries,
} from '../src/index.js';
import { fixture, parseOk } from './helpers.js';

const byAsin = <T extends { asin: string }>(list: readonly T[]) => [...list].sort((a, b) => a.asin.localeCompare(b.asin));

async function fixtureItems(): Promise<AudibleLibraryItem[]> {
  const root = JSON.parse(await readFile(fixture('audible-api', 'library-response.json'), 'utf8')) as { items: unknown[] };
  return root.items.map((raw) => AudibleLibraryItemSchema.parse(raw));
}

const book = (extra: Partial<AudibleLibraryItem> = {}): AudibleLibraryItem => ({
  asin: 'B0MAPBOOK1',
  title: 'The Map',
  authors: [{ name: 'Ann Author' }],
  series: [{ asin: 'B0MAPSERI1', title: 'Maps', sequence: '1' }],
  content_type: 'Product',
  content_delivery_type: 'SinglePartBook',
  status: 'Active',
  ...extra,
});

describe('mapLibraryItems', () => {
  it('is the mapping a /1.0/library dump is imported with', async () => {
    const mapped = mapLibraryItems(await fixtureItems(), { file: 'library-response.json' });
    const parsed = await parseOk(fixture('audible-api', 'library-response.json'));
    expect(mapped.invalidItems).toEqual([]);
    expect(mapped.records.titles).toEqual(byAsin(parsed.records.titles));
    expect(mapped.records.progress).toEqual(byAsin(parsed.records.progress));
    expect(mapped.records.series).toEqual(parsed.records.series);
    expect([mapped.podcasts, mapped.revoked]).toEqual([1, 1]);
  });

  it('leaves out an item with a bad value, reported at its path, and keeps the others', () => {
    const mapped = mapLibraryItems([book(), book({ asin: 'B0MAPBOOK2', release_date: '2021-02-30' }), book({ asin: '', title: ' ' })], {
      file: 'GET /1.0/library',
      itemPath: (i) => `$.items[${i}]`,
    });
    expect(mapped.records.titles.map((t) => t.asin)).toEqual(['B0MAPBOOK1']);
    expect(mapped.invalidItems.map((i) => [i.index, i.asin, i.path])).toEqual([
      [1, 'B0MAPBOOK2', '$.items[1]'],
      [2, '', '$.items[2]'],
    ]);
    expect(mapped.issues).toEqual([
      { file: 'GET /1.0/library', path: '$.items[1].release_date', value: '2021-02-30', message: expect.stringMatching(/^invalid date/) },
      { file: 'GET /1.0/library', path: '$.items[2].asin', value: '', message: 'missing ASIN' },
      { file: 'GET /1.0/library', path: '$.items[2].title', value: ' ', message: 'missing title' },
    ]);
  });

  it('with what a live sync knows: account, last positions, finished events, every volume of each series', () => {
    const items = [
      book({
        // Reached only through a `series` parent relationship: named by the catalogue.
        relationships: [
          { asin: 'B0MAPUNIV1', relationship_type: 'series', relationship_to_product: 'parent', sequence: 4 },
          { asin: null, relationship_type: 'series', relationship_to_product: 'parent' },
        ],
        is_finished: null,
        percent_complete: 100,
      }),
      book({ asin: 'B0MAPBOOK3', series: [{ asin: 'B0MAPSERI1', title: 'Maps', sequence: '3' }], release_date: 'soon' }),
    ];
    const volume = (asin: string, sequence: string, owned: boolean) => ({ asin, title: `Volume ${sequence}`, sequence, owned, authors: ['Ann Author'], narrators: [], language: 'english', isPodcast: false });
    const series: SeriesMetadataSeries[] = [
      { asin: 'B0MAPSERI1', title: 'Maps', complete: true, volumes: [volume('B0MAPBOOK1', '1', true), volume('B0MAPBOOK2', '2', false), volume('B0MAPBOOK3', '3', true)] },
      { asin: 'B0MAPUNIV1', title: 'The Map Universe', complete: false, volumes: [{ ...volume('B0MAPBOOK1', '4', true), releaseDate: '2030-01-01' }] },
    ];
    const mapped = mapLibraryItems(items, {
      marketplace: 'us',
      sourceAccount: 'audible:us:someone',
      lastPositions: new Map([['B0MAPBOOK1', { positionMs: 1234.9 }]]),
      finished: new Map([['B0MAPBOOK1', { finished: true, at: '2026-01-02 03:04:05.678' }]]),
      series,
    });
    const [one, two] = mapped.records.titles;
    expect(mapped.records.titles.map((t) => t.asin)).toEqual(['B0MAPBOOK1', 'B0MAPBOOK2']);
    expect(one).toMatchObject({ owned: true, marketplace: 'us', sourceAccount: 'audible:us:someone', isPodcast: false });
    expect(one!.series.map((m) => [m.seriesKey, m.seriesTitle, m.sequence])).toEqual([
      ['B0MAPSERI1', 'Maps', '1'],
      ['B0MAPUNIV1', 'The Map Universe', '4'],
    ]);
    // The missing volume: not owned, the marketplace's, named and dated by the catalogue.
    expect(two).toMatchObject({ owned: false, marketplace: 'us', language: 'english', isPodcast: false, title: 'Volume 2' });
    expect(two!.sourceAccount).toBeUndefined();
    expect(mapped.syntheticTitles).toBe(1);
    // B0MAPBOOK3 is owned but unreadable: left out, and not made a missing volume either.
    expect(mapped.invalidItems.map((i) => i.asin)).toEqual(['B0MAPBOOK3']);
    expect(mapped.records.series).toEqual([
      { key: 'B0MAPSERI1', asin: 'B0MAPSERI1', title: 'Maps', catalogueComplete: true },
      { key: 'B0MAPUNIV1', asin: 'B0MAPUNIV1', title: 'The Map Universe', catalogueComplete: false },
    ]);
    // is_finished null: the latest finished event decides, and gives the finish time.
    expect(mapped.records.progress).toEqual([{ asin: 'B0MAPBOOK1', isFinished: true, percentComplete: 100, finishedAt: '2026-01-02T03:04:05.678Z', lastPositionMs: 1234 }]);
    expect(LibraryRecordsSchema.safeParse(mapped.records).success).toBe(true);
  });

  it('an item reads the same with or without the sync context, apart from what the context adds', () => {
    const item = book({ listening_status: { is_finished: true, percent_complete: 100, finished_at_timestamp: '2025-05-05T05:05:05Z' } });
    const plain = mapLibraryItems([item]).records;
    const live = mapLibraryItems([item], { finished: new Map([['B0MAPBOOK1', { finished: true, at: '2026-01-01T00:00:00.000Z' }]]) }).records;
    // listening_status' finish time wins over the event's.
    expect(live).toEqual(plain);
    expect(plain.progress[0]!.finishedAt).toBe('2025-05-05T05:05:05.000Z');
  });
});

describe('the item schema', () => {
  it('takes what Audible sends: null names, relationship ASINs and ladder entries, numeric sequences', () => {
    const raw = {
      asin: 'B0MAPBOOK1',
      title: 'The Map',
      authors: [{ name: null }, { asin: 'B0AUTHOR01', name: ' Ann Author ' }],
      narrators: null,
      series: [{ asin: 'B0MAPSERI1', title: 'Maps', sequence: 2 }],
      relationships: [{ asin: null, relationship_type: 'series', relationship_to_product: 'parent', sort: 1 }],
      category_ladders: [{ root: 'Genres', ladder: [null, { id: null, name: 'Fiction' }] }],
      product_images: { '1215': 'big', '252': 'small' },
      unknown_key: true,
    };
    const parsed = parseLibraryItem(raw, { file: 'x.json', path: '$.items[0]' });
    if (!parsed.success) throw new Error(JSON.stringify(parsed.error));
    const mapped = mapLibraryItems([parsed.value]);
    expect(mapped.records.titles[0]).toMatchObject({ authors: ['Ann Author'], narrators: [], coverUrl: 'big' });
    expect(mapped.records.titles[0]!.series[0]).toMatchObject({ sequence: '2', position: { kind: 'number', value: 2 } });
  });

  it('a wrong JSON type is located at its path', () => {
    const parsed = parseLibraryItem({ asin: 'B0MAPBOOK1', title: 42 }, { file: 'GET /1.0/library?page=2', path: '$.items[7]' });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(parsed.error).toEqual([expect.objectContaining({ file: 'GET /1.0/library?page=2', path: '$.items[7].title', value: '42' })]);
  });
});

describe('seriesVolumeOf', () => {
  it('reads a catalogue product by the same rules as an item', () => {
    const volume = seriesVolumeOf(
      { asin: 'B0MAPBOOK2', title: ' Two ', subtitle: '', authors: [{ name: 'Ann Author' }, { name: null }], release_date: '2030-01-01', runtime_length_min: 600, content_delivery_type: 'PodcastParent', product_images: { '500': 'u' } },
      { sequence: '2', sort: '2' },
    );
    expect(volume).toEqual({
      asin: 'B0MAPBOOK2',
      title: 'Two',
      subtitle: null,
      sequence: '2',
      sort: '2',
      authors: ['Ann Author'],
      narrators: [],
      releaseDate: '2030-01-01',
      runtimeMinutes: 600,
      coverUrl: 'u',
      language: null,
      isPodcast: true,
    });
    expect(seriesVolumeOf({ asin: 'B0MAPBOOK2', release_date: 'soon', runtime_length_min: 1.5 }, { sequence: '', sort: null })).toMatchObject({ releaseDate: null, runtimeMinutes: null, title: 'B0MAPBOOK2' });
  });
});
