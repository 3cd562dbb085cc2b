import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseReadSpans } from './common.js';
import { readTrackerFile, readTrackerText } from './read-tracker-file.js';

const GR_2025 =
  'Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Publisher,Binding,Number of Pages,Year Published,Original Publication Year,Date Read,Date Added,Bookshelves,Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,Owned Copies';
const GR_2020 =
  'Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Average Rating,Publisher,Binding,Number of Pages,Year Published,Original Publication Year,Date Read,Date Added,Bookshelves,Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,Owned Copies';
const GR_PRE2020 =
  'Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Average Rating,Publisher,Binding,Number of Pages,Year Published,Original Publication Year,Date Read,Date Added,Bookshelves,Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,Recommended For,Recommended By,Owned Copies,Original Purchase Date,Original Purchase Location,Condition,Condition Description,BCID';

/** Builds a Goodreads row in the column order of `header`, as Goodreads writes it (ISBNs as Excel formulas). */
function goodreadsRow(header: string, values: Record<string, string>): string {
  return header
    .split(',')
    .map((column) => {
      const v = values[column] ?? '';
      if (column === 'ISBN' || column === 'ISBN13') return `"=""${v}"""`;
      return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
    })
    .join(',');
}

const dune = { 'Book Id': '44767458', Title: 'Dune (Dune, #1)', Author: 'Frank Herbert', ISBN: '0441013597', ISBN13: '9780441013593', 'My Rating': '5', 'Exclusive Shelf': 'read', 'Date Read': '2024/03/01', 'Date Added': '2023/12/24', Binding: 'Paperback', 'My Review': 'Great<br/>read,\nreally' };
const goodOmens = { 'Book Id': '12067', Title: 'Good Omens: The Nice and Accurate Prophecies of Agnes Nutter, Witch', Author: 'Terry Pratchett', 'Additional Authors': 'Neil Gaiman', ISBN: '', ISBN13: '', 'Exclusive Shelf': 'to-read' };
const dnf = { 'Book Id': '1', Title: 'Abandoned', Author: 'Some One', ISBN: '12345', 'Exclusive Shelf': 'did-not-finish' };

describe('Goodreads export', () => {
  it.each([
    ['goodreads-2025', GR_2025],
    ['goodreads-2020', GR_2020],
    ['goodreads-pre2020', GR_PRE2020],
  ])('reads the %s header by name', (variant, header) => {
    const text = `\uFEFF${header}\n${[dune, goodOmens, dnf].map((r) => goodreadsRow(header, r)).join('\n')}\n`;
    const result = readTrackerText(text, {}, 'goodreads_library_export.csv');
    if (!result.success) throw new Error(JSON.stringify(result.error));
    const file = result.value;
    expect(file.source).toBe('goodreads');
    expect(file.variant).toBe(variant);
    expect(file.books[0]).toEqual({
      source: 'goodreads',
      trackerId: '44767458',
      title: 'Dune',
      authors: ['Frank Herbert'],
      isbn10: '0441013597',
      isbn13: '9780441013593',
      asin: null,
      seriesHint: { title: 'Dune', sequence: '1' },
      status: 'finished',
    });
    expect(file.details[0]).toMatchObject({ line: 2, rawStatus: 'read', rating: 5, dateAdded: '2023-12-24', reads: [{ started: null, finished: '2024-03-01' }], format: 'Paperback' });
    expect(file.books[1]).toMatchObject({ authors: ['Terry Pratchett', 'Neil Gaiman'], isbn10: null, isbn13: null, status: 'not_started', seriesHint: null });
    // The multi-line review pushes the next rows down: line numbers follow the file.
    expect(file.details[1]!.line).toBe(4);
    expect(file.books[2]).toMatchObject({ status: null });
    expect(file.warnings).toEqual([{ file: 'goodreads_library_export.csv', line: 5, column: 'ISBN', value: '="12345"', message: 'not a valid ISBN (checksum or length); ignored' }]);
  });

  it('accepts bare ISBNs from re-saved files and converts ISBN-10 to ISBN-13', () => {
    const text = `${GR_2025}\n44767458,Dune,Frank Herbert,,,0441013597,,0,,,,,,,,,,read,,,,,\n`;
    const result = readTrackerText(text);
    expect(result.success && result.value.books[0]).toMatchObject({ isbn10: '0441013597', isbn13: '9780441013593' });
  });

  it('refuses a file that is not what --source says', () => {
    const result = readTrackerText('Title,Authors\nDune,Frank Herbert\n', { source: 'goodreads' }, 'x.csv');
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues[0]!.message).toMatch(/not a goodreads export/);
  });
});

const SG_HEADER =
  'Title,Authors,Contributors,ISBN/UID,Format,Read Status,Date Added,Last Date Read,Dates Read,Read Count,Moods,Pace,Character- or Plot-Driven?,Strong Character Development?,Loveable Characters?,Diverse Characters?,Flawed Characters?,Star Rating,Review,Content Warnings,Content Warning Description,Tags,Owned?';

describe('StoryGraph export', () => {
  const text = [
    SG_HEADER,
    'Project Hail Mary,Andy Weir,,B08GB58KD5,audio,read,2024/01/02,2024/09/12,"2024/01/03-2024/01/20, 2024/09/01-2024/09/12",2,,,,,,,,4.75,,,,,Yes',
    'The Three-Body Problem,Cixin Liu,Ken Liu (Translator),9780765382030,paperback,currently-reading,2024/05/05,,2024/05/06-,1,,,,,,,,,,,,,No',
    'Piranesi,Susanna Clarke,,,digital,paused,2024/05/05,,garbage,0,,,,,,,,,,,,,No',
  ].join('\n');

  it('reads ASINs from ISBN/UID, statuses and read ranges, with stable derived ids', () => {
    const result = readTrackerText(text, {}, 'sg.csv');
    if (!result.success) throw new Error(JSON.stringify(result.error));
    const [phm, tbp, piranesi] = result.value.books;
    expect(result.value.source).toBe('storygraph');
    expect(phm).toMatchObject({ asin: 'B08GB58KD5', isbn13: null, status: 'finished', authors: ['Andy Weir'] });
    expect(phm!.trackerId).toMatch(/^sg-[0-9a-f]{16}$/);
    expect(tbp).toMatchObject({ asin: null, isbn13: '9780765382030', isbn10: '0765382032', status: 'in_progress', authors: ['Cixin Liu'] });
    expect(piranesi).toMatchObject({ status: 'in_progress' });
    expect(result.value.details[0]!.reads).toEqual([
      { started: '2024-01-03', finished: '2024-01-20' },
      { started: '2024-09-01', finished: '2024-09-12' },
    ]);
    expect(result.value.details[1]!.reads).toEqual([{ started: '2024-05-06', finished: null }]);
    expect(result.value.details[0]!.rating).toBe(4.75);
    expect(result.value.warnings).toEqual([{ file: 'sg.csv', line: 4, column: 'Dates Read', value: 'garbage', message: expect.stringMatching(/not a date range/) }]);
    // Same title and authors -> same id, whatever the status says.
    const again = readTrackerText(text.replace(',read,', ',to-read,'), {}, 'sg.csv');
    expect(again.success && again.value.books[0]!.trackerId).toBe(phm!.trackerId);
  });
});

describe('generic CSV', () => {
  it('maps columns from flags and sniffs the delimiter', () => {
    const text = 'Name;Writer;Code;State\nDune;Herbert, Frank;9780441013593;finished\n;Nobody;;\n';
    const result = readTrackerText(text, { source: 'csv', columns: { title: 'Name', authors: 'Writer', isbn13: 'Code', status: 'State' } }, 'mine.csv');
    if (!result.success) throw new Error(JSON.stringify(result.error));
    expect(result.value.books).toEqual([
      expect.objectContaining({ source: 'csv', title: 'Dune', authors: ['Frank Herbert'], isbn13: '9780441013593', isbn10: '0441013597', status: 'finished' }),
    ]);
    expect(result.value.books[0]!.trackerId).toMatch(/^csv-/);
    expect(result.value.warnings).toMatchObject([{ line: 3, message: 'row without a title; skipped' }]);
  });

  it('finds common header names without flags and reports a mapped column that does not exist', () => {
    const ok = readTrackerText('title,author,id\nDune,Frank Herbert,42\n');
    expect(ok.success && ok.value.books[0]).toMatchObject({ trackerId: '42', title: 'Dune', authors: ['Frank Herbert'] });
    const bad = readTrackerText('title,author\nDune,Frank Herbert\n', { columns: { title: 'Titel' } }, 'f.csv');
    expect(bad.success).toBe(false);
    if (!bad.success) expect(bad.error.issues[0]).toMatchObject({ file: 'f.csv', line: 1, column: 'Titel' });
  });

  it('rejects unknown options', () => {
    const result = readTrackerText('title\nx\n', { source: 'kindle' } as never);
    expect(result.success).toBe(false);
  });
});

describe('readTrackerFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'matcher-read-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads from disk and names the file in issues', async () => {
    const path = join(dir, 'export.csv');
    writeFileSync(path, `${GR_2025}\n${goodreadsRow(GR_2025, dune)}\n`);
    const result = await readTrackerFile(path);
    expect(result.success && result.value.books.length).toBe(1);
    const missing = await readTrackerFile(join(dir, 'nope.csv'));
    expect(missing).toEqual({ success: false, error: { issues: [{ file: join(dir, 'nope.csv'), message: 'file not found' }] } });
  });

  it('parses read spans with open ends', () => {
    const bad: string[] = [];
    expect(parseReadSpans('2024/1/2-2024/02/30, -2024/03/01', (v) => bad.push(v))).toEqual([{ started: null, finished: '2024-03-01' }]);
    expect(bad).toEqual(['2024/1/2-2024/02/30']);
  });
});
