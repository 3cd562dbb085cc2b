import { describe, expect, it } from 'vitest';
import { detectDelimited, detectJson } from './detect-format.js';
import { sniffDelimiter, sniffHead } from './sniff.js';

const AUDIBLE_CLI_16 = 'asin\ttitle\tsubtitle\tauthors\tnarrators\tseries_title\tseries_sequence\tgenres\truntime_length_min\tis_finished\tpercent_complete\trating\tnum_ratings\tdate_added\trelease_date\tcover_url'.split('\t');

describe('sniffing', () => {
  it('picks the delimiter outside quotes', () => {
    expect(sniffDelimiter('a\tb\tc')).toBe('\t');
    expect(sniffDelimiter('Account;Date Added to library;Audible Product Id')).toBe(';');
    expect(sniffDelimiter('"a;b",c,d')).toBe(',');
    expect(sniffDelimiter('single')).toBe(',');
  });

  it('tells JSON, delimited, empty and binary apart', () => {
    expect(sniffHead('  [1]').kind).toBe('json');
    expect(sniffHead('\uFEFF{"a":1}').kind).toBe('json');
    expect(sniffHead('a,b\n1,2')).toEqual({ kind: 'delimited', delimiter: ',', headers: ['a', 'b'], firstRow: ['1', '2'] });
    expect(sniffHead(' \n\t\n').kind).toBe('empty');
    expect(sniffHead('', new Uint8Array([0xff, 0xfe, 0x61, 0x00]))).toMatchObject({ kind: 'binary', reason: expect.stringMatching(/UTF-16/) });
    expect(sniffHead('a\u0000b').kind).toBe('binary');
  });

  it('survives a head that cuts a quoted field', () => {
    expect(sniffHead('asin\ttitle\n"B0AAAAAA01\t"unfinished')).toMatchObject({ kind: 'delimited', headers: ['asin', 'title'] });
  });
});

describe('detectDelimited', () => {
  it('tells the 16-column library layout from a wishlist by the first row or the file name', () => {
    const library = ['B0AAAAAA01', 'T', '', 'A', 'N', 'S', '1', 'G', '100', 'False', '0.0', '4.5', '10', '2020-01-01T00:00:00Z', '2019-01-01', '-'];
    const wish = library.map((v, i) => (i === 9 || i === 10 ? '' : v));
    expect(detectDelimited(AUDIBLE_CLI_16, library, '\t', 'library.tsv')).toMatchObject({ format: 'audible-cli-tsv' });
    expect(detectDelimited(AUDIBLE_CLI_16, wish, '\t', 'export.tsv')).toMatchObject({ format: 'audible-cli-wishlist' });
    expect(detectDelimited(AUDIBLE_CLI_16, library, ',', '/tmp/My Wishlist.csv')).toMatchObject({ format: 'audible-cli-wishlist' });
    expect(detectDelimited(AUDIBLE_CLI_16, library, ',', 'library.csv')).toMatchObject({ format: 'audible-cli-csv' });
  });

  it('recognises Libation and OpenAudible headers, and names tracker exports', () => {
    expect(detectDelimited(['Account', 'Audible Product Id', 'Title'], null, ',', 'x.csv')).toMatchObject({ format: 'libation-csv' });
    expect(detectDelimited(['Title', 'Author', 'Narrated By', 'ASIN'], null, ',', 'x.csv')).toMatchObject({ format: 'openaudible-csv' });
    expect(detectDelimited(['Title', 'Authors', 'ISBN/UID', 'Read Status'], null, ',', 'x.csv')).toMatchObject({ hint: expect.stringMatching(/StoryGraph/) });
  });
});

describe('detectJson', () => {
  it('recognises each JSON shape', () => {
    expect(detectJson({ format: 'sagasync-series-metadata' }, 'x.json')).toMatchObject({ format: 'sagasync-series-metadata' });
    expect(detectJson({ items: [] }, 'x.json')).toMatchObject({ format: 'audible-api-json' });
    expect(detectJson({ item: { asin: 'B0AAAAAA01' } }, 'x.json')).toMatchObject({ format: 'audible-api-json' });
    expect(detectJson([{ asin: 'B0AAAAAA01', series: [] }], 'x.json')).toMatchObject({ format: 'audible-api-json' });
    expect(detectJson([{ AudibleProductId: 'B0AAAAAA01' }], 'x.json')).toMatchObject({ format: 'libation-json' });
    expect(detectJson([{ asin: 'B0AAAAAA01', author: 'A', series_name: 'S' }], 'x.json')).toMatchObject({ format: 'openaudible-json' });
    expect(detectJson([{ asin: 'B0AAAAAA01', title: 'T', is_finished: false }], 'x.json')).toMatchObject({ format: 'audible-cli-json' });
    expect(detectJson([{ asin: 'B0AAAAAA01', title: 'T' }], 'x.json')).toMatchObject({ format: 'audible-cli-wishlist' });
    expect(detectJson([], 'x.json')).toMatchObject({ hint: 'it is an empty JSON array' });
    expect(detectJson('text', 'x.json')).toHaveProperty('hint');
  });
});
