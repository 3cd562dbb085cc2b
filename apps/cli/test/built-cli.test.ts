import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt } from '../../../tools/scripts/ensure-cli-built.mjs';
import { examples, repoRoot, scratch } from './harness.js';

// The other tests run the CLI from source. This one runs what users run: the bundled program in
// dist (with its on-demand chunks), so a bundling mistake, a dependency left out or a chunk that
// fails to load shows here. Each command below loads a different part of the bundle.
const main = join(repoRoot, 'apps/cli/dist/main.js');

function sagasync(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [main, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: repoRoot, NO_COLOR: '1', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the built sagasync program', () => {
  const s = scratch();
  beforeAll(() => {
    ensureCliBuilt();
    expect(existsSync(main)).toBe(true);
  }, 300_000);
  afterAll(() => s.cleanup());

  it('ends quietly when the reader of its output goes away (| head -1)', async () => {
    expect(sagasync(['--store', s.store, 'import', join(examples, 'library.tsv'), '--commit']).code).toBe(0);
    const child = spawn(process.execPath, [main, '--store', s.store, 'books', 'list', '--json'], { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', HOME: repoRoot } });
    // Closing our end of the pipe before the program writes makes its first write fail with EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('imports, reports and exports with the embedded store', () => {
    expect(sagasync(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const imported = sagasync(['--store', s.store, 'import', join(examples, 'library.tsv'), '--commit', '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ committed: true, rows: 21 });
    const again = sagasync(['--store', s.store, 'import', join(examples, 'library.tsv'), '--commit', '--json']);
    expect(JSON.parse(again.stdout).titles).toMatchObject({ created: 0, updated: 0 });
    const series = sagasync(['--store', s.store, 'series', 'list', '--json']);
    expect(series.code, series.stderr).toBe(0);
    expect((JSON.parse(series.stdout) as { items: unknown[] }).items.length).toBeGreaterThan(3);
    const exported = sagasync(['--store', s.store, 'export', '--format', 'csv', '--output', join(s.dir, 'out')]);
    expect(exported.code, exported.stderr).toBe(0);
  });

  it('loads the matcher, Notion and Audible parts on demand', () => {
    const match = sagasync(['--store', s.store, 'match', join(examples, 'goodreads_library_export.csv'), '--json']);
    expect(match.code, match.stderr).toBe(0);
    expect(JSON.parse(match.stdout)).toBeTypeOf('object');
    // Without a token the Notion commands stop at a clear error after loading their code.
    const notion = sagasync(['--store', s.store, 'notion', 'check']);
    expect(notion.code).toBe(1);
    expect(notion.stderr).toContain('NOTION_TOKEN is not set');
    // Listing accounts opens the credential vault (the Audible client and the storage package).
    const accounts = sagasync(['--store', s.store, 'audible', 'accounts', '--json'], { SAGASYNC_SECRET: Buffer.alloc(32, 7).toString('base64') });
    expect(accounts.code, accounts.stderr).toBe(0);
    expect(JSON.parse(accounts.stdout)).toEqual([]);
  });

  it('fails on bad input with one line and no stack trace', () => {
    const bad = sagasync(['--store', s.store, 'import', join(examples, 'make-example.mjs')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr + bad.stdout).not.toMatch(/\n\s+at .*\(/);
  });
});
