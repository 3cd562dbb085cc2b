import { describe, expect, it } from 'vitest';
import type { LibraryRecords, ProgressReport, SeriesRecord, TitleRecord } from '../index.js';
import { concatImportPages, pageImportRecords, repeatedSeriesKeys } from './page-records.js';

// Moved from the CLI's remote-import tests with the function (the CLI's --api-url pages and the AWS
// import workflow's chunks are both these pages).

const utf8 = (text: string) => new TextEncoder().encode(text).length;

const asin = (prefix: string, n: number) => `${prefix}${String(n).padStart(10 - prefix.length, '0')}`;
const at = (day: number, hour = 12) => new Date(Date.UTC(2024, 0, 1 + day, hour)).toISOString();
const membership = (seriesAsin: string | null, seriesTitle: string, n: number) => ({
  seriesKey: seriesAsin ?? `title:${seriesTitle.toLowerCase()}`,
  seriesAsin,
  seriesTitle,
  sequence: String(n),
  position: { kind: 'number' as const, value: n },
});
// Enough text that a title is a few hundred bytes, as real ones are.
const title = (id: string, name: string, owned: boolean, series: TitleRecord['series']): TitleRecord => ({
  asin: id,
  title: name,
  subtitle: `${name}: a novel of the long night, the second age and the far shore`,
  authors: ['Ada Quill', 'Bram Stone'],
  narrators: ['Cleo Vale', 'Dev Marsh', 'Elin Frost'],
  runtimeMinutes: 600 + (id.charCodeAt(9) % 60),
  releaseDate: '2023-05-01',
  language: 'english',
  coverUrl: `https://m.media-amazon.com/images/I/${id}._SL500_.jpg`,
  owned,
  series,
});

/**
 * Titles in many series of 8 (6 owned, 2 not: what a series metadata file adds), one series of
 * 400 volumes (larger than a page), series that an export names only by title beside series
 * records that give their ASIN (core joins them), a title in two series, duplicate records of one
 * ASIN far apart, progress with one or two reports per title, a report for a title nobody has.
 * Everything is shuffled, series records and progress at the end, as files are.
 */
function generatedLibrary(): LibraryRecords {
  const titles: TitleRecord[] = [];
  const series: SeriesRecord[] = [];
  const progress: ProgressReport[] = [];
  for (let s = 0; s < 140; s++) {
    const seriesAsin = asin('B0S', s);
    const name = `Saga ${s}`;
    series.push({ key: seriesAsin, asin: seriesAsin, title: name, catalogueComplete: s % 2 === 0 });
    for (let v = 1; v <= 8; v++) titles.push(title(asin(`B1${String(s).padStart(3, '0')}`, v), `${name}, Book ${v}`, v <= 6, [membership(seriesAsin, name, v)]));
  }
  const big = asin('B0BIG', 1);
  series.push({ key: big, asin: big, title: 'The Long Chronicle', catalogueComplete: true });
  for (let v = 1; v <= 400; v++) titles.push(title(asin('B2', v), `The Long Chronicle ${v}`, v % 5 !== 0, [membership(big, 'The Long Chronicle', v)]));
  // An export knows these series by name only; the series metadata gives their ASIN.
  for (let s = 0; s < 5; s++) {
    const name = `named saga ${s}`;
    const seriesAsin = asin('B0N', s);
    series.push({ key: seriesAsin, asin: seriesAsin, title: `Named Saga ${s}`, catalogueComplete: true });
    for (let v = 1; v <= 4; v++) titles.push(title(asin(`B3${s}`, v), `Named Saga ${s}, Book ${v}`, true, [membership(null, name, v)]));
    titles.push(title(asin(`B3${s}`, 5), `Named Saga ${s}, Book 5`, false, [membership(seriesAsin, `Named Saga ${s}`, 5)]));
  }
  // In two series at once.
  titles.push(title(asin('B4', 1), 'Crossover', true, [membership(asin('B0S', 3), 'Saga 3', 9), membership(asin('B0S', 100), 'Saga 100', 9)]));
  // Two records of one ASIN: the catalogue's (not owned) and the library's.
  titles.unshift(title(asin('B1000', 1), 'Saga 0, Book 1 (catalogue)', false, [membership(asin('B0S', 0), 'Saga 0', 1)]));

  for (const [i, t] of titles.entries()) {
    if (!t.owned || i % 3 === 2) continue;
    progress.push({ asin: t.asin, percentComplete: 40, isFinished: false, observedAt: at(i % 200, 9) });
    if (i % 3 === 0) progress.push({ asin: t.asin, percentComplete: 100, isFinished: true, finishedAt: at(i % 200, 20), observedAt: at(i % 200, 20) });
  }
  progress.push({ asin: 'B0NOBODY01', percentComplete: 10, observedAt: at(3) });
  return { titles: shuffled(titles), series: shuffled(series), progress: shuffled(progress) };
}

/** A fixed shuffle (a small LCG), so failures repeat. */
function shuffled<T>(items: T[]): T[] {
  const out = items.slice();
  let seed = 42;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('pageImportRecords', () => {
  const records = generatedLibrary();
  const pages = pageImportRecords(records, 64 * 1024);
  const json = (v: unknown) => JSON.stringify(v);

  it('sends a library within the size as it is, in one page', () => {
    expect(pageImportRecords(records, 10 * 1024 * 1024)).toEqual([records]);
    expect(pageImportRecords({ titles: [], series: [], progress: [] }, 10)).toHaveLength(1);
  });

  it('makes pages within the size that hold every record once, each ASIN’s records together', () => {
    expect(pages.length).toBeGreaterThan(5);
    for (const page of pages) expect(utf8(json(page))).toBeLessThanOrEqual(64 * 1024);
    const all = <K extends keyof LibraryRecords>(kind: K) => pages.flatMap((p) => p[kind].map(json)).sort();
    expect(all('titles')).toEqual(records.titles.map(json).sort());
    expect(all('progress')).toEqual(records.progress.map(json).sort());
    // Series records may go with more than one part of the series larger than a page; none is lost.
    expect([...new Set(all('series'))].sort()).toEqual(records.series.map(json).sort());
    const pageOf = new Map<string, number>();
    pages.forEach((page, i) => {
      for (const r of [...page.titles, ...page.progress]) {
        expect(pageOf.get(r.asin) ?? i, r.asin).toBe(i);
        pageOf.set(r.asin, i);
      }
    });
  });

  it('keeps a title with its series records, and an export’s name-only series with the series of that name', () => {
    for (const page of pages) {
      const keys = new Set(page.series.map((s) => s.key));
      for (const t of page.titles) for (const m of t.series) if (records.series.some((s) => s.key === m.seriesKey)) expect(keys.has(m.seriesKey), `${t.asin} ${m.seriesKey}`).toBe(true);
      for (const t of page.titles) {
        for (const m of t.series.filter((x) => x.seriesKey.startsWith('title:named saga'))) {
          expect(keys.has(`B0N${m.seriesKey.slice(-1).padStart(7, '0')}`), t.asin).toBe(true);
        }
      }
    }
    // Far apart by ASIN, with other titles between: a name-only series, and the series record and
    // title that give it its ASIN, still go in one page, ahead of titles they come after by ASIN.
    const named = membership(null, 'far saga', 1);
    const far: LibraryRecords = {
      titles: [
        title('A000000001', 'Far Saga 1', true, [named]),
        ...Array.from({ length: 20 }, (_, i) => title(asin('M', i), `Filler ${i}`, true, [])),
        title('Z000000001', 'Far Saga 2', false, [membership('B0FAR00001', 'Far Saga', 2)]),
      ],
      series: [{ key: 'B0FAR00001', asin: 'B0FAR00001', title: 'Far Saga', catalogueComplete: true }],
      progress: [{ asin: 'A000000001', percentComplete: 50, observedAt: at(1) }],
    };
    const farPages = pageImportRecords(far, 2 * 1024);
    expect(farPages.length).toBeGreaterThan(3);
    const together = farPages.filter((p) => p.titles.some((t) => t.asin === 'A000000001'));
    expect(together).toHaveLength(1);
    expect(together[0]).toMatchObject({ series: far.series, progress: far.progress });
    expect(together[0]!.titles.map((t) => t.asin)).toEqual(expect.arrayContaining(['A000000001', 'Z000000001']));
    // The series of 400 volumes is more than a page: its parts each carry its record.
    const withBig = pages.filter((p) => p.titles.some((t) => t.asin.startsWith('B2')));
    expect(withBig.length).toBeGreaterThan(1);
    for (const page of withBig) expect(page.series.map((s) => s.key)).toContain('B0BIG00001');
  });
});

describe('concatImportPages and repeatedSeriesKeys', () => {
  const records = generatedLibrary();
  const pages = pageImportRecords(records, 64 * 1024);

  it('puts pages back together: every record once, a series record repeated across parts once', () => {
    const back = concatImportPages(pages);
    const sorted = (list: unknown[]) => list.map((r) => JSON.stringify(r)).sort();
    expect(sorted(back.titles)).toEqual(sorted(records.titles));
    expect(sorted(back.progress)).toEqual(sorted(records.progress));
    expect(sorted(back.series)).toEqual(sorted(records.series));
  });

  it('names the series a page plans again after an earlier page: only the parts of a series larger than a page', () => {
    const seen = new Set<string>();
    const repeated = pages.map((page) => repeatedSeriesKeys(page, seen));
    const withRepeats = repeated.flatMap((keys, i) => (keys.length > 0 ? [i] : []));
    expect(withRepeats.length).toBeGreaterThan(0);
    for (const i of withRepeats) expect(repeated[i]).toEqual(['B0BIG00001']);
    expect(repeated[0]).toEqual([]);
  });

  it('measures pages in UTF-8 bytes', () => {
    const accented = (n: number) => title(asin('B9', n), `Ǽ ${'é'.repeat(400)} ${n}`, true, []);
    const wide: LibraryRecords = { titles: Array.from({ length: 20 }, (_, i) => accented(i)), series: [], progress: [] };
    const max = 4 * 1024;
    const widePages = pageImportRecords(wide, max);
    expect(widePages.length).toBeGreaterThan(1);
    for (const page of widePages) expect(utf8(JSON.stringify(page))).toBeLessThanOrEqual(max);
  });
});
