import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExportText } from '../src/index.js';
import { fixture, parseFail, parseOk } from './helpers.js';

const purchaseDates = (titles: readonly { asin: string; purchaseDate?: string | null }[]) => Object.fromEntries(titles.map((t) => [t.asin, t.purchaseDate]));

describe('Libation CSV dates: the file decides day/month order once', () => {
  it('invariant culture (Libation default): month first, settled by a later row; 01/02/2020 is 2 January', async () => {
    const parsed = await parseOk(fixture('libation', 'libation-export-invariant.csv'));
    expect(purchaseDates(parsed.records.titles)).toEqual({
      B0LIBINV01: '2020-01-02T09:15:00.000Z',
      B0LIBINV02: '2026-08-15T10:30:00.000Z',
      B0LIBINV03: '2026-09-01T08:00:00.000Z',
    });
    expect(parsed.records.titles.map((t) => t.releaseDate)).toEqual(['2019-03-04', '2026-07-01', '2026-06-06']);
    // Settled: no note about guessing.
    expect(parsed.notes.join('\n')).not.toMatch(/day from month/);
  });

  it('en-GB: day first, settled by 15/08/2026; 01/02/2020 is 1 February', async () => {
    const parsed = await parseOk(fixture('libation', 'libation-export-en-gb.csv'));
    expect(purchaseDates(parsed.records.titles)).toEqual({ B0LIBGB001: '2020-02-01T09:15:00.000Z', B0LIBGB002: '2026-08-15T10:30:00.000Z' });
    expect(parsed.records.titles.map((t) => t.releaseDate)).toEqual(['2019-04-03', '2026-07-01']);
  });

  it('de-DE: dotted dates, with or without a time, are day first', async () => {
    const text = (await readFile(fixture('libation', 'libation-export-en-gb.csv'), 'utf8'))
      .replaceAll(',', ';')
      .replace('01/02/2020 09:15:00', '01.02.2020 09:15:00')
      .replace('15/08/2026 10:30:00', '15.08.2026')
      .replace('03/04/2019 00:00:00', '03.04.2019 00:00:00')
      .replace('01/07/2026 00:00:00', '01.07.2026');
    const result = await parseExportText(text, 'libation-de.csv');
    if (!result.success) throw new Error(JSON.stringify(result.error.issues));
    expect(purchaseDates(result.value.records.titles)).toEqual({ B0LIBGB001: '2020-02-01T09:15:00.000Z', B0LIBGB002: '2026-08-15' });
  });

  it('a file whose dates never tell is read month first, with a note naming a date', async () => {
    const parsed = await parseOk(fixture('libation', 'libation-export-undecided.csv'));
    expect(purchaseDates(parsed.records.titles)).toEqual({ B0LIBUND01: '2020-01-02T09:15:00.000Z', B0LIBUND02: '2021-03-03T12:00:00.000Z' });
    expect(parsed.records.titles[0]!.releaseDate).toBe('2021-05-04');
    expect(parsed.notes).toContain(
      'no date tells day from month (such as "01/02/2020 09:15:00" on line 2, Date Added to library): dates were read month first, as Libation\'s default (invariant, US English) culture writes them',
    );
  });

  it('conflicting evidence is an issue naming the line and column, and the date that settled the order', async () => {
    const path = fixture('bad', 'libation-conflicting-dates.csv');
    const failure = await parseFail(path);
    expect(failure.issues).toEqual([
      {
        file: path,
        line: 3,
        column: 'Date Added to library',
        value: '15/08/2026 10:30:00',
        message: 'conflicting date order: this date reads only day first, but line 2 (Date Added to library: "08/15/2026 10:30:00") shows the file writes dates month first',
      },
    ]);
  });

  it('the order is settled from the whole file when only its last row tells, without holding the rows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'libation-dates-'));
    try {
      const [header, first] = (await readFile(fixture('libation', 'libation-export-en-gb.csv'), 'utf8')).split('\r\n');
      const rows: string[] = [];
      for (let i = 0; i < 5000; i++) rows.push(first!.replace('B0LIBGB001', `B0L${String(i).padStart(7, '0')}`));
      rows.push(first!.replace('B0LIBGB001', 'B0LIBLAST1').replace('01/02/2020 09:15:00', '28/02/2020 09:15:00'));
      const path = join(dir, 'libation.csv');
      await writeFile(path, `${header}\r\n${rows.join('\r\n')}\r\n`);
      const parsed = await parseOk(path);
      expect(parsed.records.titles).toHaveLength(5001);
      expect(parsed.records.titles[0]!.purchaseDate).toBe('2020-02-01T09:15:00.000Z');
      expect(parsed.records.titles[5000]!.purchaseDate).toBe('2020-02-28T09:15:00.000Z');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
