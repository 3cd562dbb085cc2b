import stringWidth from 'string-width';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitWidths, renderTable, truncate } from '../src/output/table.js';
import { editedLibrary, examples, run, scratch } from './harness.js';

// Cells on a terminal, colour codes not counted.
const cells = (line: string) => stringWidth(line);
const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describe('tables fit the terminal', () => {
  const s = scratch();
  beforeAll(async () => {
    // Titles with wide characters (CJK, emoji: two cells each) and a combining accent (none), on
    // titles the series metadata does not rename.
    const library = editedLibrary(s.dir, 'wide.tsv', {
      B0DEMO0016: { title: '三体：黑暗森林与死神永生' },
      B0DEMO0020: { title: 'Dragons 🐉 and 👨‍👩‍👧 Families' },
      B0DEMO0021: { title: 'Cafe\u0301 Stories of the Long Night' },
    });
    expect((await run(['import', library, '--commit'], { store: s.store })).code).toBe(0);
    expect((await run(['import', join(examples, 'series-metadata.json'), '--commit'], { store: s.store })).code).toBe(0);
  });
  afterAll(() => s.cleanup());

  it('books list on an 80-column terminal: no line wider than 80, long titles cut with "…"', async () => {
    const result = await run(['books', 'list'], { store: s.store, tty: true, columns: 80 });
    expect(result.code, result.stderr).toBe(0);
    const table = lines(result.stdout);
    expect(Math.max(...table.map(cells))).toBeLessThanOrEqual(80);
    expect(result.stdout).toMatch(/[┌─│]/);
    expect(result.stdout).toContain('…');
    // ASINs are never cut: the wide columns shrink first.
    for (let n = 1; n <= 28; n++) expect(result.stdout).toContain(`B0DEMO${String(n).padStart(4, '0')}`);
  });

  it('counts wide characters as two cells and combining marks as none: every line of the box is as wide as the others', async () => {
    for (const columns of [80, 100, 160]) {
      const result = await run(['books', 'list'], { store: s.store, tty: true, columns });
      const box = lines(result.stdout).filter((l) => /^[┌├│└]/.test(l));
      expect(Math.max(...box.map(cells)), `${columns}`).toBeLessThanOrEqual(columns);
      expect(new Set(box.map(cells)).size, `${columns}`).toBe(1);
      expect(box.some((l) => l.includes('三体')), `${columns}`).toBe(true);
    }
    const wide = await run(['books', 'list'], { store: s.store, tty: true, columns: 160 });
    expect(wide.stdout).toContain('Dragons 🐉 and 👨‍👩‍👧 Families');
    expect(wide.stdout).toContain('Cafe\u0301 Stories of the Long Night');
  });

  it('uses $COLUMNS when the terminal does not say, and 80 when nothing does', async () => {
    const narrow = await run(['books', 'list'], { store: s.store, tty: true, env: { COLUMNS: '60' } });
    expect(Math.max(...lines(narrow.stdout).map(cells))).toBeLessThanOrEqual(60);
    const unknown = await run(['books', 'list'], { store: s.store, tty: true });
    expect(Math.max(...lines(unknown.stdout).map(cells))).toBeLessThanOrEqual(80);
    const wide = await run(['books', 'list'], { store: s.store, tty: true, columns: 200 });
    expect(wide.stdout).toContain('Starwake: The First Trilogy');
    expect(wide.stdout).not.toContain('…');
  });

  it('a pipe gets whole rows, aligned by cells; with $COLUMNS it fits that', async () => {
    const piped = await run(['books', 'list'], { store: s.store });
    expect(piped.stdout).toContain('三体：黑暗森林与死神永生');
    expect(piped.stdout).toContain('Dragons 🐉 and 👨‍👩‍👧 Families');
    expect(piped.stdout).toContain('Cafe\u0301 Stories of the Long Night');
    expect(piped.stdout).not.toContain('…');
    expect(piped.stdout).not.toMatch(/\x1b\[/);
    // The Author column starts at the same cell on every row, whatever the title's characters.
    const table = lines(piped.stdout);
    const column = (line: string, text: string) => cells(line.slice(0, line.indexOf(text)));
    const at = column(table[0]!, 'Author');
    const rows: [string, string][] = [['三体', 'Rhys Penhallow'], ['Dragons', 'Hana Morrow'], ['Cafe', 'Amadou Diallo'], ['Crown of Cinders', 'Mara Vell']];
    for (const [title, author] of rows) {
      const row = table.find((l) => l.includes(title))!;
      expect(column(row, author), title).toBe(at);
    }

    const fitted = await run(['books', 'list'], { store: s.store, env: { COLUMNS: '80' } });
    expect(Math.max(...lines(fitted.stdout).map(cells))).toBeLessThanOrEqual(80);
    expect(fitted.stdout).toContain('…');
  });

  it('series list and series show fit 80 columns too', async () => {
    for (const args of [['series', 'list'], ['series', 'show', 'The Ember Throne'], ['status']]) {
      const result = await run(args, { store: s.store, tty: true, columns: 80 });
      expect(result.code, result.stderr).toBe(0);
      expect(Math.max(...lines(result.stdout).map(cells)), args.join(' ')).toBeLessThanOrEqual(80);
    }
  });
});

describe('cutting and fitting text', () => {
  it('counts wide characters as two cells and combining marks as none, and never splits a character', () => {
    expect(truncate('三体三体三体', 5)).toBe('三体…');
    expect(stringWidth(truncate('三体三体三体', 5))).toBe(5);
    expect(truncate('👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧', 4)).toBe('👨‍👩‍👧…');
    expect(truncate('Cafe\u0301 au lait', 5)).toBe('Cafe\u0301…');
    expect(truncate('short', 10)).toBe('short');
  });

  it('keeps colour codes whole and closes them when it cuts', () => {
    const cut = truncate('\x1b[2mnot started\x1b[22m', 6);
    expect(cut).toBe('\x1b[2mnot s…\x1b[0m');
    expect(stringWidth(cut)).toBe(6);
  });

  it('shrinks the widest columns first, keeps the narrow ones, and uses the room it has', () => {
    expect(fitWidths([10, 40, 30, 11, 3], 60)).toEqual([10, 18, 18, 11, 3]);
    expect(fitWidths([10, 20], 100)).toEqual([10, 20]);
    // When cutting the wide columns is not enough, every column gives.
    const tight = fitWidths([10, 40, 11, 11], 20);
    expect(tight.reduce((a, b) => a + b, 0)).toBe(20);
  });

  it('a plain table of wide characters pads by cells', () => {
    const out = renderTable(['Title', 'Owned'], [['三体', 'yes'], ['Dune', 'no']], { boxed: false, width: Number.POSITIVE_INFINITY });
    expect(out).toEqual(['Title  Owned', '三体   yes', 'Dune   no']);
  });
});
