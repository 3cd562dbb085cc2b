import { createMemoryStorage } from '@sagasync/storage';
import { importLibrary, type LibraryRecords } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import { parseExportText } from '../parse-export.js';
import { buildLibraryFile, buildSeriesMetadataFile, writeAudibleCliLibrary } from './index.js';

const records: LibraryRecords = {
  titles: [
    {
      asin: 'B0WRITER01',
      title: 'Commas, "Quotes"\nand Lines',
      subtitle: 'A, B',
      authors: ['Ann Author', 'Bo Writer'],
      narrators: ['Cy Voice'],
      runtimeMinutes: 600,
      releaseDate: '2020-01-02',
      purchaseDate: '2021-03-04T05:06:07.000Z',
      coverUrl: null,
      language: 'english',
      marketplace: 'us',
      sourceAccount: null,
      owned: true,
      isPodcast: false,
      series: [
        { seriesKey: 'B0SERIES01', seriesAsin: 'B0SERIES01', seriesTitle: 'Main, Saga', sequence: '1-3', position: { kind: 'range', start: 1, end: 3 } },
        { seriesKey: 'title:other', seriesAsin: null, seriesTitle: 'Other', sequence: '2.5', position: { kind: 'number', value: 2.5 } },
      ],
    },
    {
      asin: 'B0WRITER02',
      title: 'Not Owned Yet',
      authors: ['Ann Author'],
      narrators: [],
      owned: false,
      series: [{ seriesKey: 'B0SERIES01', seriesAsin: 'B0SERIES01', seriesTitle: 'Main, Saga', sequence: '4', position: { kind: 'number', value: 4 } }],
    },
  ],
  series: [{ key: 'B0SERIES01', asin: 'B0SERIES01', title: 'Main, Saga', catalogueComplete: true }],
  progress: [{ asin: 'B0WRITER01', percentComplete: 37.5, isFinished: false }],
};

async function stored() {
  const storage = createMemoryStorage();
  const deps = { storage, ownerId: 'o', clock: () => new Date('2026-01-01T00:00:00.000Z') };
  await importLibrary(deps, records, { commit: true });
  const [titles, series, progress] = await Promise.all([storage.listTitles('o').then((page) => page.items), storage.listSeries('o').then((page) => page.items), storage.listProgress('o').then((page) => page.items)]);
  return { storage, deps, titles, series, progress };
}

describe('writers', () => {
  it('the library file reads back as the same records and imports unchanged', async () => {
    const { deps, titles, series, progress } = await stored();
    const text = JSON.stringify(buildLibraryFile({ titles, series, progress, exportedAt: '2026-01-02T00:00:00.000Z' }));
    const parsed = await parseExportText(text, 'library.json');
    if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
    expect(parsed.value.format).toBe('sagasync-library');
    expect(parsed.value.records.titles.map((t) => t.series.length)).toEqual([2, 1]);
    const again = await importLibrary(deps, parsed.value.records, { commit: false });
    expect(again.summary.titles).toMatchObject({ created: 0, updated: 0 });
    expect(again.summary.series).toMatchObject({ created: 0, updated: 0 });
    expect(again.summary.progress).toMatchObject({ created: 0, updated: 0 });
  });

  it('the audible-cli CSV quotes what it must and reads back as audible-cli', async () => {
    const { titles, progress } = await stored();
    const csv = writeAudibleCliLibrary(titles.filter((t) => t.owned), new Map(progress.map((p) => [p.asin, p])));
    expect(csv.split('\r\n')[0]!.split(',')).toHaveLength(18);
    const parsed = await parseExportText(csv, 'library.csv');
    if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
    expect(parsed.value.format).toBe('audible-cli-csv');
    const [title] = parsed.value.records.titles;
    expect(title).toMatchObject({ asin: 'B0WRITER01', title: 'Commas, "Quotes"\nand Lines', authors: ['Ann Author', 'Bo Writer'], runtimeMinutes: 600 });
    expect(parsed.value.records.progress).toEqual([expect.objectContaining({ asin: 'B0WRITER01', percentComplete: 37.5, isFinished: false })]);
  });

  it('the series metadata lists every series with owned and missing volumes, and says which lists are complete', async () => {
    const { titles, series } = await stored();
    const file = buildSeriesMetadataFile({ titles, series, generatedAt: '2026-01-02T00:00:00.000Z' });
    expect(file.series.map((s) => [s.title, s.complete, s.volumes.map((v) => [v.asin, v.sequence, v.owned])])).toEqual([
      ['Main, Saga', true, [['B0WRITER01', '1-3', true], ['B0WRITER02', '4', false]]],
      ['Other', false, [['B0WRITER01', '2.5', true]]],
    ]);
    const parsed = await parseExportText(JSON.stringify(file), 'meta.json');
    if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
    expect(parsed.value.records.series.map((s) => [s.title, s.catalogueComplete])).toEqual([
      ['Main, Saga', true],
      ['Other', false],
    ]);
  });

  it('a library file with a bad title names its JSON path', async () => {
    const { titles, series, progress } = await stored();
    const file = buildLibraryFile({ titles, series, progress, exportedAt: '2026-01-02T00:00:00.000Z' });
    (file.titles[1] as { asin: string }).asin = 'bad';
    const parsed = await parseExportText(JSON.stringify(file), 'library.json');
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(parsed.error.issues[0]).toMatchObject({ path: '$.titles[1].asin', value: 'bad' });
  });
});
