import { createServer } from 'node:http';
import { createInProcessJobRunner, createRouter, respond, routes } from '@sagasync/api';
import { createMemoryStorage } from '@sagasync/storage';
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
    expect(result.stderr).toContain('hint: fix the file, or run with --skip-invalid');
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

  it('an import with --skip-invalid whose every row is invalid fails (exit 2) and writes nothing', async () => {
    const lines = (await import('node:fs')).readFileSync(library, 'utf8').split('\r\n');
    const header = lines[0]!.split('\t');
    const bad = join(s.dir, 'all-bad.tsv');
    const rows = lines.slice(1, 4).map((line) => {
      const cells = line.split('\t');
      cells[header.indexOf('asin')] = 'NOT-AN-ASIN';
      return cells.join('\t');
    });
    writeFileSync(bad, [lines[0], ...rows].join('\r\n'));
    const result = await run(['import', bad, '--commit', '--skip-invalid'], { store: s.store });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('every row of all-bad.tsv is invalid (3 rows); nothing was imported.');
    expect(result.stdout).not.toContain('Committed');
    expect((await run(['status', '--json'], { store: s.store })).json<{ lastRuns: unknown[] }>().lastRuns).toEqual([]);
  });

  it('says clearly when the file does not exist or the format is unknown', async () => {
    const missing = await run(['import', join(s.dir, 'nope.tsv')], { store: s.store });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('nope.tsv');
    expect(missing.stderr).toContain('does not exist');
    expect(missing.stderr).toContain('hint: check the path of the export file');
    expect(missing.stderr).not.toContain('--skip-invalid');
    const folder = await run(['import', s.dir], { store: s.store });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('is a folder, not an export file');
    expect(folder.stderr).not.toContain('--skip-invalid');
    const unknown = join(s.dir, 'notes.txt');
    writeFileSync(unknown, 'just some notes\nnothing tabular here\n');
    const result = await run(['import', unknown], { store: s.store });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/audible-cli/i);
    expect(result.stderr).not.toContain('--skip-invalid');
    expect(result.stderr).toContain('hint: if it is an export, name its format with --format');
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

  it('posts the parsed records to the SagaSync API with --api-url and its token, and prints the API\'s answer', async () => {
    const storage = createMemoryStorage();
    const jobs = createInProcessJobRunner();
    const router = createRouter(routes);
    const seen: { authorization?: string; path?: string }[] = [];
    // The API's own routes behind a bare node server: what a host does, without a framework.
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        seen.push({ authorization: req.headers.authorization, path: req.url });
        const { found } = router.match(req.method!, req.url!);
        const reply = (status: number, value: unknown) => {
          res.statusCode = status;
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(value));
        };
        if (!found) return reply(404, { error: { code: 'not_found', message: 'no route' } });
        if (req.headers.authorization !== 'Bearer tok-123') return reply(401, { error: { code: 'auth_failed', message: 'a valid token is needed' } });
        void respond(found.route, { storage, ownerId: 'u1', jobs, services: {} }, { params: found.params, body: body ? JSON.parse(body) : undefined }).then((r) => reply(r.status, r.body));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const denied = await run(['import', library, '--commit', '--api-url', url], { store: s.store });
      expect(denied.code).toBe(1);
      expect(denied.stderr).toContain('answered 401: a valid token is needed');
      expect(denied.stderr).toContain('SAGASYNC_API_TOKEN');

      const env = { SAGASYNC_API_TOKEN: 'tok-123' };
      const preview = await run(['import', library, '--api-url', url, '--json'], { store: s.store, env });
      expect(preview.code, preview.stderr).toBe(0);
      expect(preview.json<ImportJson>()).toMatchObject({ committed: false, titles: { created: 21 } });
      const result = await run(['import', library, '--commit', '--api-url', url, '--json'], { store: s.store, env });
      expect(result.code, result.stderr).toBe(0);
      expect(result.json<ImportJson>()).toMatchObject({ format: 'audible-cli-tsv', committed: true, titles: { created: 21, updated: 0 } });
      expect(seen.at(-1)).toEqual({ authorization: 'Bearer tok-123', path: '/api/import' });
      expect(await storage.countTitles('u1')).toBe(21);
      // Nothing went to the local store.
      const books = await run(['books', 'list', '--json'], { store: s.store });
      expect(books.json()).toEqual({ items: [], nextCursor: null });
    } finally {
      server.close();
    }
  });
});
