import { readFile } from 'node:fs/promises';
import { formatIssue } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, parseExportFile, parseExportText } from '../src/index.js';
import { expectLocated, fixture, parseFail, parseOk } from './helpers.js';

const bad = (name: string) => fixture('bad', name);

describe('bad input: every problem names file, line and column (or JSON path) and the value', () => {
  it.each([
    ['bad-asin.tsv', 5, 'asin', 'B0SHORT', /not an ASIN/],
    ['non-numeric-runtime.tsv', 6, 'runtime_length_min', 'ten hours', /whole, non-negative number of minutes/],
    ['invalid-date.tsv', 7, 'purchase_date', '2023-02-30T10:00:00.000Z', /invalid date/],
    ['percent-out-of-range.tsv', 8, 'percent_complete', '137.5', /percent out of range/],
    ['libation-bad-date.csv', 4, 'Date Added to library', '13/45/2023 9:00:00 AM', /invalid date/],
  ])('%s: line %i, column %s', async (name, line, column, value, message) => {
    const failure = await parseFail(bad(name));
    expect(failure.issues).toHaveLength(1);
    expect(failure.issues[0]).toMatchObject({ file: bad(name), line, column, value });
    expect(failure.issues[0]!.message).toMatch(message);
  });

  it('counts physical lines across quoted multi-line descriptions (the row after one is line 5)', async () => {
    // The description of the row on line 3 holds a line break, so the next row starts on line 5.
    const failure = await parseFail(bad('bad-asin.tsv'));
    expect(formatIssue(failure.issues[0]!)).toBe(`${bad('bad-asin.tsv')}, line 5, column asin: not an ASIN: expected 10 letters or digits (value: "B0SHORT")`);
  });

  it('a missing required header names the column and lists what the header has', async () => {
    const failure = await parseFail(bad('missing-asin-column.tsv'));
    expect(failure.format).toBe('audible-cli-tsv');
    expect(failure.issues[0]).toMatchObject({ line: 1, column: 'asin', message: 'missing required column "asin"' });
    expect(failure.issues[0]!.value).toMatch(/^title, subtitle/);
  });

  it('an unclosed quote names the line the row starts on and its column', async () => {
    const failure = await parseFail(bad('unclosed-quote.tsv'));
    expect(failure.issues).toHaveLength(1);
    expect(failure.issues[0]).toMatchObject({ line: 8, column: 'extended_product_description' });
    expect(failure.issues[0]!.message).toMatch(/unclosed quote/);
  });

  it('a row with missing fields is reported with its field count', async () => {
    const failure = await parseFail(bad('missing-fields.tsv'));
    expect(failure.issues[0]).toMatchObject({ line: 8, value: '10', message: 'row has 10 fields but the header has 18' });
  });

  it.each([
    ['empty.tsv', /the file is empty/],
    ['whitespace-only.csv', /the file is empty/],
    ['binary.tsv', /binary/],
  ])('%s is refused', async (name, message) => {
    const failure = await parseFail(bad(name));
    expect(failure.format).toBeNull();
    expect(failure.issues).toHaveLength(1);
    expect(failure.issues[0]!.message).toMatch(message);
    expectLocated(failure.issues[0]!);
  });

  it('an unknown format lists every known format', async () => {
    const failure = await parseFail(bad('unknown-format.csv'));
    expect(failure.format).toBeNull();
    const message = failure.issues[0]!.message;
    expect(message).toMatch(/^unknown format: its header \(Name, Colour, Size\) matches none of them/);
    for (const format of Object.values(EXPORT_FORMATS)) expect(message).toContain(`${format.id} (${format.label})`);
  });

  it('an unknown JSON shape is located at the root and lists the known formats', async () => {
    const result = await parseExportText('{"hello": "world"}', 'mystery.json');
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues).toEqual([
      { file: 'mystery.json', path: '$', message: expect.stringMatching(/^unknown format: it is a JSON object without "items" or "format"\. Known formats: audible-cli-tsv/) },
    ]);
  });

  it('a Goodreads export is recognised as a tracker file, not an Audible export', async () => {
    const failure = await parseFail(bad('goodreads-export.csv'));
    expect(failure.issues[0]!.message).toMatch(/Goodreads library export/);
  });

  it('invalid JSON names the line and column of the syntax error', async () => {
    const failure = await parseFail(bad('invalid-json.json'));
    expect(failure.issues[0]).toMatchObject({ line: 6, column: 1 });
    expect(failure.issues[0]!.message).toMatch(/^invalid JSON/);
  });

  it('JSON values are located by path (Audible API dump); a bad item is left out, named, and the others kept', async () => {
    const parsed = await parseOk(bad('audible-api-bad-values.json'));
    expect(parsed.invalid).toEqual([
      expect.objectContaining({ path: '$.items[0].series[1].asin', value: 'not-an-asin', message: expect.stringMatching(/not an ASIN/) }),
      expect.objectContaining({ path: '$.items[1].listening_status.percent_complete', value: '250', message: expect.stringMatching(/percent out of range/) }),
    ]);
    expect(parsed.invalidRows).toBe(2);
    expect(parsed.records.titles.map((t) => t.asin)).toEqual(['B0APIPODC1', 'B0APIRETUR']);
    expect(parsed.warnings.map((w) => [w.path, w.message])).toEqual([
      ['$.items[0]', expect.stringMatching(/^left out Audible item B0APIBOOK1: series\[1\]\.asin: not an ASIN/)],
      ['$.items[1]', expect.stringMatching(/^left out Audible item B0APIBOOK2: listening_status\.percent_complete: percent out of range/)],
    ]);
  });

  it('JSON values are located by path (series metadata)', async () => {
    const failure = await parseFail(bad('series-metadata-bad-volumes.json'));
    expect(failure.issues.map((i) => [i.path, i.value])).toEqual([
      ['$.series[0].volumes[2].asin', 'B0BAD'],
      ['$.series[0].volumes[3].releaseDate', 'soon'],
    ]);
  });

  it('a file that cannot be opened is a failure, not an exception', async () => {
    const failure = await parseFail(fixture('does-not-exist.tsv'));
    expect(failure.issues[0]!.message).toBe('cannot read the file: no such file');
    const dir = await parseFail(fixture('bad'));
    expect(dir.issues[0]!.message).toMatch(/directory/);
  });

  it('a JSON file above the size limit is refused before it is read', async () => {
    const failure = await parseFail(fixture('audible-api', 'library-response.json'), { maxJsonBytes: 100 });
    expect(failure.issues[0]!.message).toMatch(/too large/);
  });
});

describe('strict by default, skip-invalid on request', () => {
  it('strict: one invalid row rejects the whole file and reports every problem', async () => {
    const failure = await parseFail(bad('some-invalid-rows.tsv'));
    expect(failure.format).toBe('audible-cli-tsv');
    expect(failure.issues.map((i) => [i.line, i.column, i.value])).toEqual([
      [5, 'runtime_length_min', 'n/a'],
      [7, 'date_added', 'yesterday'],
    ]);
    expect(failure.omittedIssues).toBe(0);
  });

  it('skipInvalid: imports the valid rows and reports the rest', async () => {
    const parsed = await parseOk(bad('some-invalid-rows.tsv'), { skipInvalid: true });
    expect(parsed.rows).toBe(6);
    expect(parsed.invalidRows).toBe(2);
    expect(parsed.records.titles.map((t) => t.asin)).toEqual(['1094100846', 'B0AAAAAA01', 'B0AAAAAA03', 'B0AAAAAA05']);
    expect(parsed.records.progress.map((p) => p.asin)).toEqual(['1094100846', 'B0AAAAAA01', 'B0AAAAAA03', 'B0AAAAAA05']);
    expect(parsed.invalid.map((i) => i.line)).toEqual([5, 7]);
    expect(parsed.notes).toContain('left out 2 invalid rows (see invalid)');
  });

  it('skipInvalid works for JSON elements too', async () => {
    const parsed = await parseOk(bad('series-metadata-bad-volumes.json'), { skipInvalid: true });
    expect(parsed.records.titles.map((t) => t.asin).sort()).toEqual(['B0APIBOOK1', 'B0APIBOOK2']);
    expect(parsed.invalid).toHaveLength(2);
  });

  it('skipInvalid does not rescue a structurally broken file', async () => {
    const failure = await parseFail(bad('unclosed-quote.tsv'), { skipInvalid: true });
    expect(failure.issues[0]!.message).toMatch(/unclosed quote/);
  });

  it('caps the listed issues at 100 and counts the rest', async () => {
    const header = 'asin\ttitle\truntime_length_min\tseries_title\r\n';
    const rows = Array.from({ length: 250 }, (_, i) => `B0${String(i).padStart(8, '0')}\tT${i}\tlong\tS\r\n`).join('');
    const result = await parseExportText(header + rows, 'many.tsv');
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error.issues).toHaveLength(100);
      expect(result.error.omittedIssues).toBe(150);
    }
  });
});

describe('spreadsheet leftovers', () => {
  it('rows of empty cells are blank lines, not invalid rows', async () => {
    const result = await parseExportText('asin;title;series_title;runtime_length_min\r\nB0AAAAAA01;T;S;10\r\n;;;\r\n;;;\r\n', 'saved-by-excel.csv');
    expect(result.success).toBe(true);
    if (result.success) expect(result.value.rows).toBe(1);
  });
});

describe('explicit format', () => {
  it('overrides detection', async () => {
    // A 16-column library export read as a wishlist on request.
    const parsed = await parseOk(fixture('audible-cli', 'library-16-columns.tsv'), { format: 'audible-cli-wishlist' });
    expect(parsed.format).toBe('audible-cli-wishlist');
    expect(parsed.records.titles.every((t) => !t.owned)).toBe(true);
    expect(parsed.notes[0]).toMatch(/format given/);
  });

  it('a wrong explicit format reports the columns the file lacks', async () => {
    const failure = await parseFail(fixture('audible-cli', 'library.tsv'), { format: 'libation-csv' });
    expect(failure.format).toBe('libation-csv');
    // Header names match without case, so audible-cli's `title` counts as Libation's `Title`.
    expect(failure.issues.map((i) => i.column)).toEqual(['Audible Product Id']);
  });

  it('a JSON format on delimited text is a syntax failure, not a crash', async () => {
    const failure = await parseFail(fixture('audible-cli', 'library.tsv'), { format: 'audible-api-json' });
    expect(failure.issues[0]!.message).toMatch(/invalid JSON/);
  });
});

describe('parseExportText', () => {
  it('gives the same result as parseExportFile', async () => {
    for (const name of ['audible-cli/library.tsv', 'libation/libation-export-de-semicolon-old-headers.csv', 'audible-api/library-response.json']) {
      const path = fixture(...name.split('/'));
      const fromFile = await parseExportFile(path);
      const fromText = await parseExportText(await readFile(path, 'utf8'), path);
      expect(fromText).toEqual(fromFile);
    }
  });
});
