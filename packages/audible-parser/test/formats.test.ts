import { describe, expect, it } from 'vitest';
import { fixture, parseOk } from './helpers.js';

describe('audible-cli library export', () => {
  it('reads the 18-column TSV: lists, booleans, ISO dates, progress, raw and parsed sequences', async () => {
    const parsed = await parseOk(fixture('audible-cli', 'library.tsv'));
    expect(parsed.format).toBe('audible-cli-tsv');
    expect(parsed.formatLabel).toBe('audible-cli library export (TSV)');
    expect(parsed.rows).toBe(6);
    expect(parsed.invalid).toEqual([]);
    const byAsin = new Map(parsed.records.titles.map((t) => [t.asin, t]));
    const first = byAsin.get('B0AAAAAA01')!;
    expect(first).toMatchObject({
      title: 'Leviathan Lanterns',
      subtitle: 'The Glass Harbor, Book 1',
      authors: ['Mara Quillfeather', 'Tobias Wren'],
      narrators: ['Ines Calloway'],
      runtimeMinutes: 970,
      releaseDate: '2021-05-04',
      purchaseDate: '2023-01-02T03:04:05.000Z',
      owned: true,
    });
    expect(first.series).toEqual([
      { seriesKey: 'title:the glass harbor', seriesAsin: null, seriesTitle: 'The Glass Harbor', sequence: '1', position: { kind: 'number', value: 1 } },
    ]);
    // Novella, omnibus, "Book 4", empty sequence; a timestamp without milliseconds becomes ISO UTC.
    expect(byAsin.get('B0AAAAAA02')!.series[0]).toMatchObject({ sequence: '2.5', position: { kind: 'number', value: 2.5 } });
    expect(byAsin.get('B0AAAAAA02')!.purchaseDate).toBe('2023-03-04T05:06:07.000Z');
    expect(byAsin.get('B0AAAAAA03')!.series[0]).toMatchObject({ sequence: '1-3', position: { kind: 'range', start: 1, end: 3 } });
    expect(byAsin.get('B0AAAAAA05')!.series[0]).toMatchObject({ seriesTitle: 'Saga of Ash, Salt and Iron', sequence: 'Book 4', position: { kind: 'number', value: 4 } });
    expect(byAsin.get('1094100846')!.series[0]).toMatchObject({ sequence: '', position: { kind: 'none' } });
    // "Jr." stays with its name; "-" means no cover.
    expect(byAsin.get('B0AAAAAA04')).toMatchObject({ authors: ['Edmund Pike, Jr.'], coverUrl: null, series: [] });
    expect(parsed.records.progress).toContainEqual({ asin: 'B0AAAAAA01', isFinished: true, percentComplete: 100 });
    expect(parsed.records.progress).toContainEqual({ asin: 'B0AAAAAA02', isFinished: false, percentComplete: 37.5 });
    expect(parsed.records.series.map((s) => s.key).sort()).toEqual(['title:saga of ash salt and iron', 'title:tales of the vale', 'title:the glass harbor']);
    expect(parsed.records.series.every((s) => !s.catalogueComplete)).toBe(true);
  });

  it('reads the CSV and JSON variants to the same records as the TSV', async () => {
    const tsv = await parseOk(fixture('audible-cli', 'library.tsv'));
    const csv = await parseOk(fixture('audible-cli', 'library.csv'));
    const json = await parseOk(fixture('audible-cli', 'library.json'));
    expect(csv.format).toBe('audible-cli-csv');
    expect(json.format).toBe('audible-cli-json');
    expect(csv.records).toEqual(tsv.records);
    expect(json.records).toEqual(tsv.records);
  });

  it('reads the 16-column layout (before mid 2022), taking date_added as the purchase date', async () => {
    const parsed = await parseOk(fixture('audible-cli', 'library-16-columns.tsv'));
    expect(parsed.format).toBe('audible-cli-tsv');
    expect(parsed.notes.join()).toMatch(/16-column/);
    const title = parsed.records.titles.find((t) => t.asin === 'B0AAAAAA02')!;
    expect(title.purchaseDate).toBe('2023-03-04T05:06:07.000Z');
    expect(title.owned).toBe(true);
    expect(parsed.records.progress).toHaveLength(6);
  });

  it('maps columns by name: reordered columns, a BOM, LF endings and an unknown column (noted)', async () => {
    const parsed = await parseOk(fixture('audible-cli', 'library-reordered-bom.csv'));
    expect(parsed.records.titles.map((t) => [t.asin, t.title])).toEqual([
      ['1094100846', 'Songs Under the Vale'],
      ['B0AAAAAA01', 'Leviathan Lanterns'],
      ['B0AAAAAA02', 'A Harbor Between'],
    ]);
    expect(parsed.notes).toContain('ignored unknown columns: my_notes');
  });

  it('reads wishlist exports as titles wanted, not owned, without progress (TSV and JSON)', async () => {
    for (const file of ['wishlist.tsv', 'wishlist.json']) {
      const parsed = await parseOk(fixture('audible-cli', file));
      expect(parsed.format).toBe('audible-cli-wishlist');
      expect(parsed.records.titles).toHaveLength(3);
      expect(parsed.records.titles.every((t) => t.owned === false && t.purchaseDate === undefined)).toBe(true);
      expect(parsed.records.progress).toEqual([]);
    }
  });
});

describe('Libation export', () => {
  it('reads the current comma CSV with US dates, every series of Series Order, and skips podcast rows', async () => {
    const parsed = await parseOk(fixture('libation', 'libation-export-en-us.csv'));
    expect(parsed.format).toBe('libation-csv');
    expect(parsed.rows).toBe(5);
    expect(parsed.records.titles.map((t) => t.asin)).toEqual(['B0LIBAT001', 'B0LIBAT002', 'B0LIBAT003']);
    expect(parsed.notes).toContain('skipped 1 podcast or series parent row (not books)');
    expect(parsed.notes).toContain('skipped 1 podcast episode row (not books)');
    const [crown, smoke, omnibus] = parsed.records.titles;
    expect(crown).toMatchObject({
      purchaseDate: '2024-01-02T15:04:05.000Z',
      releaseDate: '2021-05-04',
      marketplace: 'us',
      sourceAccount: 'listener@example.invalid',
      narrators: ['Colm Ashby', 'Nia Brightwater'],
      isPodcast: false,
    });
    expect(crown!.series.map((m) => [m.seriesTitle, m.sequence])).toEqual([
      ['The Ember Crown', '1'],
      ['The Ember Crown Saga', '12'],
    ]);
    // A series name with commas stays whole; a series without a number keeps an empty sequence.
    expect(smoke!.series.map((m) => [m.seriesTitle, m.sequence, m.position.kind])).toEqual([
      ['Salt, Smoke and Steel', '2.5', 'number'],
      ['Tales of the Vale', '', 'none'],
    ]);
    expect(omnibus!.marketplace).toBe('au');
    expect(omnibus!.series[0]!.position).toEqual({ kind: 'range', start: 1, end: 3 });
    expect(parsed.records.progress).toEqual([
      { asin: 'B0LIBAT001', isFinished: true },
      { asin: 'B0LIBAT002', isFinished: false },
      { asin: 'B0LIBAT003', isFinished: false },
    ]);
  });

  it('reads a German semicolon CSV with the old header spellings and culture dates', async () => {
    const parsed = await parseOk(fixture('libation', 'libation-export-de-semicolon-old-headers.csv'));
    expect(parsed.format).toBe('libation-csv');
    const [crown, salz] = parsed.records.titles;
    expect(crown).toMatchObject({ purchaseDate: '2024-01-02T15:04:05.000Z', releaseDate: '2021-05-04', marketplace: 'de' });
    expect(salz).toMatchObject({ title: 'Salz; Rauch und Stahl', purchaseDate: '2023-12-31T23:59:59.000Z', releaseDate: null, series: [] });
    expect(parsed.records.progress).toEqual([
      { asin: 'B0LIBDE001', isFinished: true },
      { asin: 'B0LIBDE002', isFinished: false },
    ]);
    expect(parsed.notes.some((n) => n.startsWith('ignored unknown'))).toBe(false);
  });

  it('reads the JSON export by its C# property names', async () => {
    const parsed = await parseOk(fixture('libation', 'libation-export.json'));
    expect(parsed.format).toBe('libation-json');
    expect(parsed.records.titles.map((t) => t.asin)).toEqual(['B0LIBAT001', 'B0LIBAT002']);
    expect(parsed.records.titles[0]).toMatchObject({ purchaseDate: '2024-01-02T15:04:05.000Z', releaseDate: '2021-05-04', runtimeMinutes: 1210 });
    // An offset is converted to UTC.
    expect(parsed.records.titles[1]!.purchaseDate).toBe('2023-11-20T08:00:00.000Z');
    expect(parsed.notes).toContain('skipped 1 podcast episode row (not books)');
    expect(parsed.notes.some((n) => n.startsWith('ignored unknown'))).toBe(false);
  });
});

describe('OpenAudible', () => {
  it('reads the CSV: durations, US and ISO dates, Read Status "read" as finished', async () => {
    const parsed = await parseOk(fixture('openaudible', 'openaudible-library.csv'));
    expect(parsed.format).toBe('openaudible-csv');
    const [orchard, frost] = parsed.records.titles;
    expect(orchard).toMatchObject({ runtimeMinutes: 627, purchaseDate: '2023-01-02', releaseDate: '2022-12-01', marketplace: 'us', coverUrl: 'https://example.invalid/orchard.jpg' });
    expect(orchard!.series[0]).toMatchObject({ seriesTitle: 'Orchard Cycle', sequence: '1' });
    expect(frost).toMatchObject({ runtimeMinutes: 485, purchaseDate: '2022-01-15', releaseDate: '2022-01-05', authors: ['Wendell Birch', 'Hana Ode'] });
    expect(parsed.records.progress).toEqual([{ asin: 'B0OPENAU01', isFinished: true }]);
  });

  it('reads books.json', async () => {
    const parsed = await parseOk(fixture('openaudible', 'books.json'));
    expect(parsed.format).toBe('openaudible-json');
    expect(parsed.records.titles.map((t) => [t.asin, t.authors, t.series.length])).toEqual([
      ['B0OPENAU01', ['Wendell Birch'], 1],
      ['B0OPENAU02', ['Wendell Birch', 'Hana Ode'], 0],
    ]);
  });
});

describe('Audible API /1.0/library dump', () => {
  it('keeps every series with its ASIN, the listening status, podcasts and returns', async () => {
    const parsed = await parseOk(fixture('audible-api', 'library-response.json'));
    expect(parsed.format).toBe('audible-api-json');
    const [rain, between, podcast, returned] = parsed.records.titles;
    expect(rain!.series.map((m) => [m.seriesKey, m.seriesAsin, m.sequence])).toEqual([
      ['B0SERIES01', 'B0SERIES01', '1'],
      ['B0SERIES02', 'B0SERIES02', '7'],
    ]);
    expect(rain).toMatchObject({ coverUrl: 'https://example.invalid/rain._SL500_.jpg', narrators: ['Theo Vance', 'Aiko Reyes'], isPodcast: false });
    expect(between!.authors).toEqual([]);
    expect(podcast!.isPodcast).toBe(true);
    expect(returned!.owned).toBe(false);
    expect(parsed.records.series).toEqual([
      { key: 'B0SERIES01', asin: 'B0SERIES01', title: 'Rainlands', catalogueComplete: false },
      { key: 'B0SERIES02', asin: 'B0SERIES02', title: 'The Drowned World Universe', catalogueComplete: false },
    ]);
    // finished_at_timestamp is kept only for a finished title (Audible leaves an earlier one).
    expect(parsed.records.progress).toEqual([
      { asin: 'B0APIBOOK1', isFinished: true, percentComplete: 100, finishedAt: '2021-02-03T04:05:06.789Z' },
      { asin: 'B0APIBOOK2', isFinished: false, percentComplete: 2 },
    ]);
    expect(parsed.notes).toContain('flagged 1 podcast title (isPodcast)');
  });
});

describe('SagaSync series metadata', () => {
  it('makes every series catalogue-complete and every volume a title, owned or not', async () => {
    const parsed = await parseOk(fixture('series-metadata', 'series-metadata.json'));
    expect(parsed.format).toBe('sagasync-series-metadata');
    expect(parsed.rows).toBe(5);
    expect(parsed.records.series).toEqual([
      { key: 'B0SERIES01', asin: 'B0SERIES01', title: 'Rainlands', catalogueComplete: true },
      { key: 'B0SERIES02', asin: 'B0SERIES02', title: 'The Drowned World Universe', catalogueComplete: true },
      { key: 'title:untracked tales', asin: null, title: 'Untracked Tales', catalogueComplete: true },
    ]);
    const byAsin = new Map(parsed.records.titles.map((t) => [t.asin, t]));
    expect(byAsin.get('B0APIBOOK3')).toMatchObject({ owned: false, releaseDate: '2027-02-01', marketplace: 'us' });
    expect(byAsin.get('B0APIOMNI1')!.series[0]!.position).toEqual({ kind: 'range', start: 1, end: 3 });
    // A volume in two series carries both memberships.
    expect(byAsin.get('B0APIBOOK1')!.series.map((m) => [m.seriesKey, m.sequence])).toEqual([
      ['B0SERIES01', '1'],
      ['B0SERIES02', '7'],
    ]);
    expect(parsed.records.progress).toEqual([]);
  });
});
