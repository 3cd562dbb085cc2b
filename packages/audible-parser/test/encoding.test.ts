import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, parseOk } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'audible-parser-encoding-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const HEADER = 'asin\ttitle\tauthors\tseries_title\tseries_sequence\tis_finished\tpercent_complete\r\n';
const latin1 = (text: string) => Buffer.from(text, 'latin1');

async function file(name: string, bytes: Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

describe('bytes that are not UTF-8', () => {
  it('a Latin-1 file is read as Windows-1252, never as U+FFFD, with a note naming the first line that needed it', async () => {
    const bytes = Buffer.concat([
      latin1(HEADER),
      latin1('B0LATIN001\tThe Dream\tJean Lark\tDreams\t1\tFalse\t0.0\r\n'),
      latin1('B0LATIN002\tCaf\xe9 Society\tJos\xe9 Mar\xeda\tDreams\t2\tFalse\t0.0\r\n'),
      // 0x80 and 0x93/0x94 are the euro sign and curly quotes in Windows-1252 (not Latin-1's controls).
      latin1('B0LATIN003\t\x93Price\x94 in \x80\tAnn\tDreams\t3\tFalse\t0.0\r\n'),
    ]);
    const parsed = await parseOk(await file('latin1.tsv', bytes));
    expect(parsed.records.titles.map((t) => [t.title, t.authors])).toEqual([
      ['The Dream', ['Jean Lark']],
      ['Café Society', ['José María']],
      ['“Price” in €', ['Ann']],
    ]);
    expect(parsed.notes).toContain('read as Windows-1252 (Latin-1) text, as the file is not UTF-8 (line 3 is the first that is not)');
  });

  it('decides for the whole file, even when the first byte that is not UTF-8 comes after the head', async () => {
    const rows: string[] = [];
    for (let i = 0; i < 2000; i++) rows.push(`B0${String(i).padStart(8, '0')}\tTitle ${i}\tAuthor\tSeries\t${i}\tFalse\t0.0\r\n`);
    const bytes = Buffer.concat([latin1(HEADER), latin1(rows.join('')), latin1('B0LATINEND\tNa\xefve\tAuthor\tSeries\t9999\tFalse\t0.0\r\n')]);
    expect(bytes.length).toBeGreaterThan(64 * 1024);
    const progress: number[] = [];
    const parsed = await parseOk(await file('late-latin1.tsv', bytes), { onProgress: (rows) => progress.push(rows) });
    expect(parsed.records.titles).toHaveLength(2001);
    // Read again from the start, yet progress never goes back.
    expect(progress).toEqual([1000, 2000, 2001]);
    expect(parsed.records.titles[2000]!.title).toBe('Naïve');
    expect(parsed.notes).toContain('read as Windows-1252 (Latin-1) text, as the file is not UTF-8 (line 2002 is the first that is not)');
  });

  it('UTF-8 stays UTF-8: a BOM, and characters cut by every read boundary', async () => {
    const rows: string[] = [];
    // 3- and 4-byte characters on every row, so some straddle the 64 KiB reads.
    for (let i = 0; i < 3000; i++) rows.push(`B0${String(i).padStart(8, '0')}\tCafé 🎧 ${i} — größer\tJosé\tS\t1\tFalse\t0.0\r\n`);
    const parsed = await parseOk(await file('utf8.tsv', Buffer.from(`\uFEFF${HEADER}${rows.join('')}`, 'utf8')));
    expect(parsed.records.titles.every((t, i) => t.title === `Café 🎧 ${i} — größer`)).toBe(true);
    expect(parsed.notes.join('\n')).not.toMatch(/Windows-1252/);
    const bom = await parseOk(fixture('audible-cli', 'library-reordered-bom.csv'));
    expect(bom.records.titles.map((t) => t.asin)).toEqual(['1094100846', 'B0AAAAAA01', 'B0AAAAAA02']);
  });

  it('JSON files too', async () => {
    const text = (await readFile(fixture('libation', 'libation-export.json'), 'utf8')).replace('"Title": "The Ember Crown"', '"Title": "The Ember Crown \u00e9t\u00e9"');
    expect(text).toContain('été');
    const parsed = await parseOk(await file('libation-latin1.json', Buffer.from(text, 'latin1')));
    expect(parsed.records.titles[0]!.title).toBe('The Ember Crown été');
    expect(parsed.notes).toContain('read as Windows-1252 (Latin-1) text, as the file is not UTF-8 (line 9 is the first that is not)');
  });
});
