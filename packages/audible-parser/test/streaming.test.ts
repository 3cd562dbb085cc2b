import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExportFile } from '../src/index.js';

const ROWS = 20_000;
let dir: string;
let path: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'audible-parser-stream-'));
  path = join(dir, 'library.tsv');
  const header = 'asin\ttitle\textended_product_description\tauthors\tseries_title\tseries_sequence\tis_finished\tpercent_complete\tpurchase_date\r\n';
  const lines: string[] = [header];
  for (let i = 0; i < ROWS; i++) {
    const asin = `B0${String(i).padStart(8, '0')}`;
    // Every row has a multi-line quoted description, so chunk boundaries fall inside quotes.
    lines.push(`${asin}\tTitle ${i}\t"<p>Line one of ${i}</p>\r\n<p>""quoted""\tand tabbed</p>"\tAuthor ${i % 50}\tSeries ${i % 700}\t${(i % 12) + 1}\t${i % 3 === 0 ? 'True' : 'False'}\t${i % 3 === 0 ? '100.0' : '12.5'}\t2024-01-02T03:04:05.000Z\r\n`);
  }
  await writeFile(path, lines.join(''));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a large file is streamed', () => {
  it('reads every row across chunk boundaries and reports progress', async () => {
    const progress: number[] = [];
    const result = await parseExportFile(path, { onProgress: (rows) => progress.push(rows) });
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.value.rows).toBe(ROWS);
    expect(result.value.records.titles).toHaveLength(ROWS);
    expect(result.value.records.series).toHaveLength(700);
    expect(result.value.records.titles[ROWS - 1]).toMatchObject({ asin: `B0${String(ROWS - 1).padStart(8, '0')}`, series: [{ sequence: String(((ROWS - 1) % 12) + 1) }] });
    expect(progress.at(-1)).toBe(ROWS);
    expect(progress.length).toBeGreaterThanOrEqual(ROWS / 1000);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    // Titles repeating a name list share one frozen copy.
    const sameAuthor = result.value.records.titles.filter((t) => t.authors[0] === 'Author 7');
    expect(new Set(sameAuthor.map((t) => t.authors)).size).toBe(1);
    expect(Object.isFrozen(sameAuthor[0]!.authors)).toBe(true);
  });

  it('names the right line deep into the file', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(path, 'utf8');
    const broken = text.replace('B000012345\tTitle 12345', 'B0BAD\tTitle 12345');
    const brokenPath = join(dir, 'broken.tsv');
    await writeFile(brokenPath, broken);
    const result = await parseExportFile(brokenPath);
    expect(result.success).toBe(false);
    // Header on line 1, two lines per row.
    if (!result.success) expect(result.error.issues[0]).toMatchObject({ line: 2 + 12345 * 2, column: 'asin', value: 'B0BAD' });
  });
});

describe('a repeated ASIN far from its first row', () => {
  it('merges into the first title, thousands of rows and several chunks back', async () => {
    const header = 'asin\ttitle\tauthors\tnarrators\tseries_title\tseries_sequence\tis_finished\tpercent_complete\tpurchase_date\r\n';
    const rows: string[] = [];
    for (let i = 0; i < 9000; i++) {
      rows.push(`B0${String(i).padStart(8, '0')}\tTitle ${i}\tA. Author, B. Author ${i % 3}\tN. Reader\tSeries ${i % 40}\t${(i % 9) + 1}\tFalse\t0.0\t2024-01-02T03:04:05.000Z\r\n`);
    }
    // Out of ASIN order: the repeat of the second title comes last, in another series.
    rows.push('B000000001\tTitle 1 (again)\tA. Author, B. Author 1\tN. Reader\tOther Series\t2\tTrue\t100.0\t2024-01-02T03:04:05.000Z\r\n');
    const repeatPath = join(dir, 'repeat.tsv');
    await writeFile(repeatPath, header + rows.join(''));
    const result = await parseExportFile(repeatPath);
    expect(result.success).toBe(true);
    if (!result.success) return;
    const { titles, progress } = result.value.records;
    expect(titles).toHaveLength(9000);
    expect(progress).toHaveLength(9000);
    expect(titles[1]).toMatchObject({ asin: 'B000000001', title: 'Title 1' });
    expect(titles[1]!.series.map((m) => m.seriesTitle)).toEqual(['Series 1', 'Other Series']);
    // The first row's progress wins.
    expect(progress[1]).toMatchObject({ asin: 'B000000001', isFinished: false });
    expect(result.value.notes.join('\n')).toContain('merged 1 row');
    // A multi-name cell repeated on many rows is one shared list.
    const lists = new Set(titles.filter((t) => t.authors[1] === 'B. Author 2').map((t) => t.authors));
    expect(lists.size).toBe(1);
  });
});
