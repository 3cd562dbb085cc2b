import { describe, expect, it } from 'vitest';
import { readDelimited } from './read-delimited.js';

async function lines(text: string, delimiter = '\t'): Promise<{ rows: [string[], number][]; issue: unknown }> {
  const rows: [string[], number][] = [];
  const issue = await readDelimited(text, delimiter, 'f.tsv', { header: () => true, row: (cells, line) => rows.push([cells, line]) });
  return { rows, issue };
}

describe('readDelimited', () => {
  it('names the physical line each row starts on, with CRLF or LF inside quoted fields', async () => {
    const text = 'a\tb\r\n1\t"x\r\ny\r\nz"\r\n2\t"p\nq"\r\n\r\n3\t4\r\n';
    const { rows, issue } = await lines(text);
    expect(issue).toBeNull();
    expect(rows).toEqual([
      [['1', 'x\r\ny\r\nz'], 2],
      [['2', 'p\nq'], 5],
      [['3', '4'], 8],
    ]);
  });

  it('keeps tabs inside quoted fields and strips a BOM', async () => {
    const { rows } = await lines('\uFEFFa\tb\n"t\tab"\t"say ""hi"""\n');
    expect(rows).toEqual([[['t\tab', 'say "hi"'], 2]]);
  });

  it('reports an unclosed quote at the line its row starts on', async () => {
    const { rows, issue } = await lines('a\tb\n1\t2\n3\t"open\nmore\nlines\n');
    expect(rows).toHaveLength(1);
    expect(issue).toMatchObject({ file: 'f.tsv', line: 3, column: 'b', message: expect.stringMatching(/unclosed quote/) });
  });

  it('stops when the header is refused', async () => {
    const rows: string[][] = [];
    const issue = await readDelimited('a,b\n1,2\n', ',', 'f.csv', { header: () => false, row: (cells) => rows.push(cells) });
    expect(issue).toBeNull();
    expect(rows).toEqual([]);
  });
});
