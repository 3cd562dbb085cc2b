import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { examples, run, scratch } from './harness.js';

const library = join(examples, 'library.tsv');
const metadata = join(examples, 'series-metadata.json');

interface ImportJson {
  format: string;
  rows: number;
  committed: boolean;
  titles: { created: number; updated: number; unchanged: number };
  series: { created: number; updated: number; unchanged: number };
  invalid: { line: number | null; column: string | number | null; message: string }[];
}

describe('sagasync import', () => {
  let s: ReturnType<typeof scratch>;
  beforeEach(() => {
    s = scratch();
  });
  afterEach(() => s.cleanup());

  it('previews by default and writes nothing', async () => {
    const preview = await run(['import', library, '--json'], { store: s.store });
    expect(preview.code).toBe(0);
    const report = preview.json<ImportJson>();
    expect(report).toMatchObject({ format: 'audible-cli-tsv', rows: 21, committed: false, titles: { created: 21, updated: 0, unchanged: 0 } });
    expect(report.series.created).toBe(6);
    const books = await run(['books', 'list', '--json'], { store: s.store });
    expect(books.json()).toEqual({ items: [], nextCursor: null });
  });

  it('commits, and a re-import of the same file changes nothing', async () => {
    const first = await run(['import', library, '--commit', '--json'], { store: s.store });
    expect(first.code).toBe(0);
    expect(first.json<ImportJson>()).toMatchObject({ committed: true, titles: { created: 21, updated: 0, unchanged: 0 } });
    const again = await run(['import', library, '--commit', '--json'], { store: s.store });
    expect(again.json<ImportJson>()).toMatchObject({ committed: true, titles: { created: 0, updated: 0, unchanged: 21 }, series: { created: 0, updated: 0 } });
    const status = await run(['status', '--json'], { store: s.store });
    const st = status.json<{ titles: { owned: number }; lastRuns: { kind: string; source: string; counts: { created: number; updated: number; unchanged: number } }[] }>();
    expect(st.titles.owned).toBe(21);
    // Newest first; the second run created and updated nothing.
    expect(st.lastRuns).toHaveLength(2);
    expect(st.lastRuns[0]).toMatchObject({ kind: 'import', source: 'library.tsv', counts: { created: 0, updated: 0 } });
    expect(st.lastRuns[1]!.counts.created).toBeGreaterThanOrEqual(21);
  });

  it('rejects an invalid file with exit 2, names line and column, and writes nothing', async () => {
    await run(['import', library, '--commit'], { store: s.store });
    const lines = (await import('node:fs')).readFileSync(library, 'utf8').split('\r\n');
    const header = lines[0]!.split('\t');
    const cells = lines[3]!.split('\t');
    cells[header.indexOf('asin')] = 'NOT-AN-ASIN';
    cells[header.indexOf('title')] = 'Changed Title That Must Not Land';
    const bad = join(s.dir, 'bad.tsv');
    writeFileSync(bad, [lines[0], lines[1], lines[2], cells.join('\t'), ...lines.slice(4)].join('\r\n'));

    const result = await run(['import', bad, '--commit'], { store: s.store });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/line 4/);
    expect(result.stderr).toMatch(/asin/);
    expect(result.stderr).toContain('NOT-AN-ASIN');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const books = await run(['books', 'list', '--json'], { store: s.store });
    expect(books.json<{ items: unknown[] }>().items).toHaveLength(21);

    const json = await run(['import', bad, '--commit', '--json'], { store: s.store });
    expect(json.code).toBe(2);
    expect(json.json<ImportJson>()).toMatchObject({ committed: false, invalid: [expect.objectContaining({ line: 4, column: 'asin' })] });
  });

  it('imports the valid rows with --skip-invalid and reports the rest', async () => {
    const lines = (await import('node:fs')).readFileSync(library, 'utf8').split('\r\n');
    const header = lines[0]!.split('\t');
    const cells = lines[2]!.split('\t');
    cells[header.indexOf('percent_complete')] = '250';
    const bad = join(s.dir, 'bad.tsv');
    writeFileSync(bad, [lines[0], lines[1], cells.join('\t'), ...lines.slice(3)].join('\r\n'));
    const result = await run(['import', bad, '--commit', '--skip-invalid', '--json'], { store: s.store });
    expect(result.code).toBe(0);
    const report = result.json<ImportJson>();
    expect(report.titles.created).toBe(20);
    expect(report.invalid).toEqual([expect.objectContaining({ line: 3, column: 'percent_complete' })]);
  });

  it('says clearly when the file does not exist or the format is unknown', async () => {
    const missing = await run(['import', join(s.dir, 'nope.tsv')], { store: s.store });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('nope.tsv');
    const unknown = join(s.dir, 'notes.txt');
    writeFileSync(unknown, 'just some notes\nnothing tabular here\n');
    const result = await run(['import', unknown], { store: s.store });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/audible-cli/i);
    const badFormat = await run(['import', library, '--format', 'docx'], { store: s.store });
    expect(badFormat.code).toBe(1);
    expect(badFormat.stderr).toContain('unknown format "docx"');
  });

  it('adds the volumes you do not own from the series metadata file', async () => {
    await run(['import', library, '--commit'], { store: s.store });
    const meta = await run(['import', metadata, '--commit', '--json'], { store: s.store });
    expect(meta.code).toBe(0);
    expect(meta.json<ImportJson>()).toMatchObject({ format: 'sagasync-series-metadata' });
    const synthetic = await run(['books', 'list', '--json'], { store: s.store });
    const all = synthetic.json<{ items: { owned: boolean }[] }>().items;
    expect(all.filter((b) => !b.owned).length).toBe(7);
    // Importing the library again keeps the synthetic volumes and flips nothing.
    const again = await run(['import', library, '--commit', '--json'], { store: s.store });
    expect(again.json<ImportJson>().titles).toMatchObject({ created: 0, updated: 0 });
  });

  it('posts the parsed records to a deployed API with --api-url', async () => {
    let received: { commit: boolean; source: string; records: { titles: unknown[] } } | null = null;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received = JSON.parse(body);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ titles: { created: 21, updated: 0, unchanged: 0 } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const result = await run(['import', library, '--commit', '--api-url', `http://127.0.0.1:${port}/import`, '--json'], { store: s.store });
      expect(result.code).toBe(0);
      expect(received).not.toBeNull();
      expect(received!.commit).toBe(true);
      expect(received!.source).toBe('library.tsv');
      expect(received!.records.titles).toHaveLength(21);
      expect(result.json<ImportJson>().titles.created).toBe(21);
      // Nothing went to the local store.
      const books = await run(['books', 'list', '--json'], { store: s.store });
      expect(books.json()).toEqual({ items: [], nextCursor: null });
    } finally {
      server.close();
    }
  });
});
