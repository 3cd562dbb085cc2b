import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExportText, SeriesMetadataFileSchema } from '@sagasync/audible-parser';
import type { FakeAudible } from '@sagasync/fake-audible';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIBLE_CLI_COLUMNS, buildAudibleExport, fetchAccountSnapshot, seriesMetadataFileName, toAudibleCliRow, writeAudibleCliLibrary, writeAudibleExport, type LibraryItem } from '../src/index.js';
import { clientFor, recordingSleep, signIn, startFake } from './helpers.js';

let fake: FakeAudible | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const item: LibraryItem = {
  asin: 'B0TEST0001',
  title: 'Dune',
  subtitle: null,
  authors: [{ asin: 'B000AP9A6K', name: 'Frank Herbert' }, { name: 'Martin Luther King, Jr.' }],
  narrators: [{ name: 'Scott Brick' }],
  runtime_length_min: 1265,
  release_date: '2007-01-01',
  extended_product_description: '<p>He said "spice", twice.\nNew line.</p>',
  series: [
    { asin: 'B0SERIES01', title: 'Dune', sequence: '1' },
    { asin: 'B0SERIES02', title: 'Dune Saga', sequence: '12' },
  ],
  category_ladders: [{ ladder: [{ name: 'Science Fiction & Fantasy' }, { name: 'Science Fiction' }] }, { ladder: [{ name: 'Science Fiction & Fantasy' }] }],
  rating: { overall_distribution: { display_average_rating: '4.7', num_ratings: 1234 } },
  is_finished: false,
  percent_complete: 100,
  library_status: { date_added: '2019-11-29T11:40:49.000Z' },
  purchase_date: '2019-11-29T11:40:49Z',
  product_images: { '500': 'https://m.media-amazon.com/images/I/x._SL500_.jpg' },
};

describe('audible-cli compatible library CSV', () => {
  it('flattens an item as audible-cli does', () => {
    expect(toAudibleCliRow(item)).toEqual({
      asin: 'B0TEST0001',
      title: 'Dune',
      subtitle: '',
      extended_product_description: '<p>He said "spice", twice.\nNew line.</p>',
      authors: 'Frank Herbert, Martin Luther King, Jr.',
      narrators: 'Scott Brick',
      series_title: 'Dune',
      series_sequence: '1',
      genres: 'Science Fiction & Fantasy, Science Fiction, Science Fiction & Fantasy',
      runtime_length_min: '1265',
      is_finished: 'False',
      percent_complete: '100.0',
      rating: '4.7',
      num_ratings: '1234',
      date_added: '2019-11-29T11:40:49.000Z',
      release_date: '2007-01-01',
      cover_url: 'https://m.media-amazon.com/images/I/x._SL500_.jpg',
      purchase_date: '2019-11-29T11:40:49Z',
    });
    const bare = toAudibleCliRow({ asin: 'B0TEST0002' });
    expect([bare.rating, bare.num_ratings, bare.cover_url, bare.is_finished, bare.percent_complete]).toEqual(['-', '-', '-', '', '']);
  });

  it('writes the 18-column header, rows by ASIN, CRLF, quoting only where needed', () => {
    const csv = writeAudibleCliLibrary([{ ...item, asin: 'B0TEST0009', percent_complete: 37.5 }, item]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(AUDIBLE_CLI_COLUMNS.join(','));
    expect(AUDIBLE_CLI_COLUMNS).toHaveLength(18);
    expect(lines[1]!.startsWith('B0TEST0001,Dune,,"<p>He said ""spice"", twice.\nNew line.</p>","Frank Herbert, Martin Luther King, Jr.",Scott Brick,Dune,1,')).toBe(true);
    expect(csv.indexOf('B0TEST0009')).toBeGreaterThan(csv.indexOf('B0TEST0001'));
    expect(csv).toContain(',37.5,');
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
  });

  it('names the series file with a sortable UTC timestamp', () => {
    expect(seriesMetadataFileName(new Date('2026-11-25T10:04:05.678Z'))).toBe('audible-series-metadata-20261125T100405Z.json');
  });
});

describe('export of a fake account', () => {
  it('writes both files, and both import back with the audible-parser', async () => {
    fake = await startFake({ titles: 50, series: 12 });
    const { sleep } = recordingSleep();
    const client = clientFor(fake, await signIn(fake), { sleep });
    const snapshot = await fetchAccountSnapshot(client, { progress: false });
    const now = new Date('2026-11-25T10:00:00Z');
    const files = buildAudibleExport(snapshot, { now });
    const dir = await mkdtemp(join(tmpdir(), 'sagasync-export-'));
    try {
      const { libraryPath, seriesMetadataPath } = await writeAudibleExport(dir, files);
      expect(seriesMetadataPath).toBe(join(dir, 'audible-series-metadata-20261125T100000Z.json'));
      const metadataText = await readFile(seriesMetadataPath, 'utf8');
      const metadata = SeriesMetadataFileSchema.parse(JSON.parse(metadataText));
      expect(metadata.series).toHaveLength(snapshot.catalogues.length);
      const owned = new Set(fake.state.library.owned.map((o) => o.asin));
      const volumes = metadata.series.flatMap((s) => s.volumes);
      expect(volumes.every((v) => v.owned === owned.has(v.asin))).toBe(true);
      expect(volumes.some((v) => !v.owned)).toBe(true);

      const library = await parseExportText(await readFile(libraryPath, 'utf8'), 'library.csv');
      if (!library.success) throw new Error(JSON.stringify(library.error.issues.slice(0, 3)));
      expect(library.value.format).toBe('audible-cli-csv');
      expect(library.value.records.titles.map((t) => t.asin).sort()).toEqual([...owned].sort());

      const series = await parseExportText(metadataText, 'series.json');
      if (!series.success) throw new Error(JSON.stringify(series.error.issues.slice(0, 3)));
      expect(series.value.records.titles.filter((t) => !t.owned).length).toBe(volumes.filter((v) => !v.owned).length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
