import { StringDecoder } from 'node:string_decoder';
import { parse as parseCsvSync } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DelimitedTokenizer, MAX_RECORD_CHARS, tokenizeText, type TokenizeError } from './tokenizer.js';

interface Run {
  records: string[][];
  lines: number[];
  error: TokenizeError | null;
}

/** Tokenizes `chunks` pushed one by one. */
function run(chunks: readonly string[], delimiter = ','): Run {
  const records: string[][] = [];
  const lines: number[] = [];
  const tokenizer = new DelimitedTokenizer(delimiter, (cells, line) => {
    records.push(cells);
    lines.push(line);
  });
  let error: TokenizeError | null = null;
  for (const chunk of chunks) {
    error = tokenizer.push(chunk);
    if (error) return { records, lines, error };
  }
  error = tokenizer.end();
  return { records, lines, error };
}

/** Every way of cutting `text` in two, plus one chunk per character. */
function everySplit(text: string, delimiter = ','): Run[] {
  const runs: Run[] = [run([text], delimiter), run([...text], delimiter)];
  for (let i = 1; i < text.length; i++) runs.push(run([text.slice(0, i), text.slice(i)], delimiter));
  return runs;
}

function expectSame(text: string, delimiter: string, expected: Omit<Run, 'error'> & { error?: TokenizeError | null }): void {
  for (const result of everySplit(text, delimiter)) {
    expect(result).toEqual({ error: null, ...expected });
  }
}

describe('DelimitedTokenizer', () => {
  it('splits unquoted fields, empty fields and ragged rows', () => {
    expectSame('a,b,c\n1,,3\n,\nx\n4,5,6,7\n', ',', {
      records: [['a', 'b', 'c'], ['1', '', '3'], ['', ''], ['x'], ['4', '5', '6', '7']],
      lines: [1, 2, 3, 4, 5],
    });
  });

  it('reads quoted fields with doubled quotes, delimiters, tabs and line breaks', () => {
    expectSame('a\tb\n"say ""hi"""\t"t\tab"\n"x\r\ny\nz\rw"\t""\n3\t4', '\t', {
      records: [['a', 'b'], ['say "hi"', 't\tab'], ['x\r\ny\nz\rw', ''], ['3', '4']],
      lines: [1, 2, 3, 7],
    });
  });

  it('ends records at CRLF, LF or a lone CR, one line each', () => {
    expectSame('a,b\r\n1,2\r3,4\n5,6\r\n', ',', { records: [['a', 'b'], ['1', '2'], ['3', '4'], ['5', '6']], lines: [1, 2, 3, 4] });
    expectSame('a,b\r\r\n1,2\r', ',', { records: [['a', 'b'], [''], ['1', '2']], lines: [1, 2, 3] });
  });

  it('passes blank lines on and ignores a missing or present final line break', () => {
    expectSame('a\n\n"b"\n', ',', { records: [['a'], [''], ['b']], lines: [1, 2, 3] });
    expectSame('a\n\n"b"', ',', { records: [['a'], [''], ['b']], lines: [1, 2, 3] });
    expectSame('a,', ',', { records: [['a', '']], lines: [1] });
    expectSame('', ',', { records: [], lines: [] });
  });

  it('skips a BOM at the start only', () => {
    expectSame('\uFEFFa,b\n\uFEFF1,2\n', ',', { records: [['a', 'b'], ['\uFEFF1', '2']], lines: [1, 2] });
  });

  it('keeps a quote inside an unquoted field as text, like csv-parse with relax_quotes', () => {
    expectSame('a"b,5" disk\n', ',', { records: [['a"b', '5" disk']], lines: [1] });
  });

  it('refuses text after a closing quote, naming the line of the quote and the field', () => {
    // A title quoted by hand: `"Broken Children of Dune,"Dune, Book 3"` (csv-parse with relax_quotes
    // reads it as the mangled title `"Broken Children of Dune,"Dune` and shifts every later field).
    const text = 'asin,title,series\nB0DUNE0003,"Broken Children of Dune,"Dune, Book 3",Dune\n';
    for (const result of everySplit(text)) {
      expect(result.records).toEqual([['asin', 'title', 'series']]);
      expect(result.error).toEqual({ kind: 'text-after-quote', line: 2, field: 1, near: '"Broken Children of Dune,"D' });
    }
    // The line of the quote, not of the row: the quoted field spans lines.
    expect(run(['a,b\n1,"x\ny"z\n']).error).toMatchObject({ kind: 'text-after-quote', line: 3, field: 1 });
    expect(run(['"e""f"g\n']).error).toMatchObject({ kind: 'text-after-quote', line: 1, field: 0 });
  });

  it('names the line and field of an unclosed quote', () => {
    for (const result of everySplit('a,b\n1,2\n\n3,"open\nmore\n', ',')) {
      expect(result.records).toEqual([['a', 'b'], ['1', '2'], ['']]);
      expect(result.error).toEqual({ kind: 'unclosed-quote', line: 4, field: 1 });
    }
  });

  it('stops a record that runs past the size limit', () => {
    const tokenizer = new DelimitedTokenizer(',', () => undefined);
    expect(tokenizer.push('a,b\nx,"')).toBeNull();
    const chunk = 'y'.repeat(1_000_000);
    let error: TokenizeError | null = null;
    for (let i = 0; i < 5 && !error; i++) error = tokenizer.push(chunk);
    expect(error).toEqual({ kind: 'record-too-long', line: 2, field: 1 });
    expect(MAX_RECORD_CHARS).toBe(4_000_000);
  });

  it('stops when the handler says so', () => {
    const seen: string[][] = [];
    const tokenizer = new DelimitedTokenizer(',', (cells) => (seen.push(cells), false));
    expect(tokenizer.push('a\nb\n')).toBeNull();
    expect(tokenizer.end('c\n')).toBeNull();
    expect(seen).toEqual([['a']]);
    expect(tokenizer.done).toBe(true);
  });

  it('reads a quoted line break and a multi-byte character cut by a chunk boundary (through a StringDecoder)', () => {
    const text = 'asin\tdesc\nB1\t"größer\r\nnäher 🎧"\nB2\t€\n';
    const bytes = Buffer.from(text, 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) {
      const decoder = new StringDecoder('utf8');
      const records: string[][] = [];
      const lines: number[] = [];
      const tokenizer = new DelimitedTokenizer('\t', (cells, line) => {
        records.push(cells);
        lines.push(line);
      });
      expect(tokenizer.push(decoder.write(bytes.subarray(0, cut)))).toBeNull();
      expect(tokenizer.push(decoder.write(bytes.subarray(cut)))).toBeNull();
      expect(tokenizer.end(decoder.end())).toBeNull();
      expect(records).toEqual([['asin', 'desc'], ['B1', 'größer\r\nnäher 🎧'], ['B2', '€']]);
      expect(lines).toEqual([1, 2, 4]);
    }
  });

  it('tokenizeText stops after the records asked for and throws on an unclosed quote', () => {
    expect(tokenizeText('a,b\n1,2\n3,"', ',', 2)).toEqual([['a', 'b'], ['1', '2']]);
    expect(() => tokenizeText('a,b\n1,"2\n', ',')).toThrow(/unclosed quote on line 2/);
  });
});

/** Random valid delimited text, written the RFC 4180 way, and the records and lines it holds. */
const FIELD_CHARS = ['a', 'Z', '1', ' ', 'ä', '€', '🎧', '"', ',', ';', '\t', '\n', '\r', '\r\n', '\uFEFF'];
const field = fc.array(fc.constantFrom(...FIELD_CHARS), { maxLength: 8 }).map((chars) => chars.join(''));
const table = fc.record({
  delimiter: fc.constantFrom(',', '\t', ';'),
  lineEnd: fc.constantFrom('\n', '\r\n', '\r'),
  finalLineEnd: fc.boolean(),
  bom: fc.boolean(),
  rows: fc.array(fc.array(fc.tuple(field, fc.boolean()), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 }),
});

function lineBreaks(text: string): number {
  return (text.match(/\r\n|\r|\n/g) ?? []).length;
}

describe('DelimitedTokenizer against csv-parse', () => {
  it('gives the records csv-parse gives (relax_quotes, relax_column_count, bom), with physical start lines, in any chunking', () => {
    fc.assert(
      fc.property(table, fc.array(fc.nat(), { maxLength: 6 }), ({ delimiter, lineEnd, finalLineEnd, bom, rows }, cuts) => {
        const starts: number[] = [];
        let text = bom ? '\uFEFF' : '';
        const records = rows.map((row) => row.map(([value]) => value));
        rows.forEach((row, r) => {
          starts.push(1 + lineBreaks(text));
          text += row
            .map(([value, quoteAnyway], c) => {
              const leadingBom = r === 0 && c === 0 && !bom && value.startsWith('\uFEFF');
              const special = value.includes('"') || value.includes(delimiter) || value.includes('\n') || value.includes('\r') || leadingBom;
              // A lone empty field must be quoted, or the row would be a blank line.
              const alone = row.length === 1 && value === '';
              return special || quoteAnyway || alone ? `"${value.replaceAll('"', '""')}"` : value;
            })
            .join(delimiter);
          if (r < rows.length - 1 || finalLineEnd) text += lineEnd;
        });
        const expected = parseCsvSync(text, { delimiter, bom: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
        expect(expected).toEqual(records);
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let at = 0;
        for (const point of points) {
          chunks.push(text.slice(at, point));
          at = point;
        }
        chunks.push(text.slice(at));
        const result = run(chunks, delimiter);
        expect(result.error).toBeNull();
        expect(result.records).toEqual(expected);
        expect(result.lines).toEqual(starts);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with csv-parse on arbitrary text without an unclosed quote', () => {
    const text = fc.array(fc.constantFrom('a', '"', ',', '\n', ' ', 'é'), { maxLength: 40 }).map((c) => c.join(''));
    fc.assert(
      fc.property(text, (input) => {
        let expected: string[][];
        try {
          expected = parseCsvSync(input, { delimiter: ',', bom: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
        } catch {
          expect(run([input]).error?.kind).toMatch(/^(?:unclosed-quote|text-after-quote)$/);
          return;
        }
        const refused = run([input]).error;
        if (refused !== null) {
          // Where csv-parse keeps text after a closing quote (a field `"a"b`), this tokenizer refuses.
          expect(refused.kind).toBe('text-after-quote');
          expect(expected.flat().some((field) => /^"[^]*"[^]/.test(field))).toBe(true);
          for (const result of everySplit(input)) expect(result.error).toEqual(refused);
          return;
        }
        for (const result of everySplit(input)) {
          expect(result.error).toBeNull();
          expect(result.records).toEqual(expected);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
