import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { editedLibrary, examples, finished, repoRoot, run, scratch, spawnCli } from './harness.js';

const library = join(examples, 'library.tsv');

interface Change {
  asin?: string;
  key?: string;
  title?: string;
  action: string;
  changedFields: string[];
}
interface ImportJson {
  committed: boolean;
  titles: { created: number; updated: number; unchanged: number };
  changes: { titles: Change[]; series: Change[]; progress: Change[]; omitted: { titles: number; series: number; progress: number } };
}

describe('the import preview says what would change', () => {
  let s: ReturnType<typeof scratch>;
  beforeEach(() => {
    s = scratch();
  });
  afterEach(() => s.cleanup());

  it('names the titles it would update and the fields that change, in text and in --json', async () => {
    expect((await run(['import', library, '--commit'], { store: s.store })).code).toBe(0);
    const edited = editedLibrary(s.dir, 'edited.tsv', {
      B0DEMO0004: { runtime_length_min: '999' },
      B0DEMO0021: { title: 'Between Two Rivers (Revised)', series_title: 'River Tales', series_sequence: '1' },
    });
    const preview = await run(['import', edited], { store: s.store });
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toContain('Would update 2 titles:');
    expect(preview.stdout).toContain('  B0DEMO0004  “Embers of the Last King” (runtimeMinutes)');
    expect(preview.stdout).toMatch(/ {2}B0DEMO0021 {2}“Between Two Rivers \(Revised\)” \(title, .*series.*\)/);
    expect(preview.stdout).toContain('Would create 1 series:');
    expect(preview.stdout).toContain('  “River Tales”');
    expect(preview.stdout).not.toContain('Would create 21 titles');

    const json = await run(['import', edited, '--json'], { store: s.store });
    const report = json.json<ImportJson>();
    expect(report.titles).toEqual({ created: 0, updated: 2, unchanged: 19 });
    expect(report.changes.titles).toEqual([
      { asin: 'B0DEMO0004', title: 'Embers of the Last King', action: 'update', changedFields: ['runtimeMinutes'] },
      expect.objectContaining({ asin: 'B0DEMO0021', title: 'Between Two Rivers (Revised)', action: 'update', changedFields: expect.arrayContaining(['title', 'series']) }),
    ]);
    expect(report.changes.series).toEqual([expect.objectContaining({ title: 'River Tales', action: 'create' })]);
    expect(report.changes.omitted.titles).toBe(19);
    // Nothing was written by either preview.
    const again = await run(['import', edited, '--json'], { store: s.store });
    expect(again.json<ImportJson>().titles.updated).toBe(2);
  });

  it('lists the first 20 of each kind, then says how many more', async () => {
    const preview = await run(['import', library], { store: s.store });
    const out = preview.stdout.split('\n');
    const start = out.indexOf('Would create 21 titles:');
    expect(start).toBeGreaterThan(0);
    const section = out.slice(start + 1, out.findIndex((l, i) => i > start && !l.startsWith('  ')));
    expect(section).toHaveLength(21);
    expect(section.slice(0, 20).every((l) => /^ {2}B0DEMO\d{4} {2}“.+”$/.test(l))).toBe(true);
    expect(section[20]).toBe('  … and 1 more (see --json)');
    expect(preview.stdout).toContain('Would create 6 series:');
    const json = await run(['import', library, '--json'], { store: s.store });
    expect(json.json<ImportJson>().changes.titles).toHaveLength(21);
    const committed = await run(['import', library, '--commit'], { store: s.store });
    expect(committed.stdout).toContain('Created 21 titles:');
  });
});

describe('progress while importing', () => {
  let s: ReturnType<typeof scratch>;
  beforeEach(() => {
    s = scratch();
  });
  afterEach(() => s.cleanup());

  it('shows each step on a terminal\'s stderr, even when stdout is a pipe, and clears it', async () => {
    const result = await run(['import', library, '--commit'], { store: s.store, stderrTTY: true });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('reading library.tsv');
    // Planning and writing each draw a bar with their total.
    expect(result.stderr).toMatch(/planning titles \[#+\] 21\/21/);
    expect(result.stderr).toMatch(/writing records \[-+\] 0\/(\d+)/);
    const total = /writing records \[-+\] 0\/(\d+)/.exec(result.stderr)![1];
    expect(result.stderr).toContain(`writing records [${'#'.repeat(30)}] ${total}/${total}`);
    expect(result.stderr.endsWith('\r\x1b[2K')).toBe(true);
    // The result on stdout has no progress in it.
    expect(result.stdout).not.toContain('\r');
  });

  it('never shows it with --json or when stderr is not a terminal', async () => {
    const json = await run(['import', library, '--json'], { store: s.store, tty: true, stderrTTY: true });
    expect(json.stderr).toBe('');
    const piped = await run(['import', library], { store: s.store, tty: true, stderrTTY: false });
    expect(piped.stderr).toBe('');
    const neither = await run(['import', library], { store: s.store });
    expect(neither.stderr).toBe('');
  });
});

describe('import from standard input and streams', () => {
  const libraryFile = join(examples, 'library.tsv');
  /** Runs the real CLI process with `input` piped into its standard input. */
  async function piped(args: string[], input: Buffer) {
    const child = spawn(process.execPath, ['--conditions=@sagasync/source', '--import', 'tsx', join(repoRoot, 'apps/cli/src/main.ts'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin!.end(input);
    return finished(child);
  }

  it('`import -` reads a piped export', async () => {
    const s = scratch();
    try {
      const result = await piped(['--store', s.store, 'import', '-', '--commit', '--json'], readFileSync(libraryFile));
      expect(result.code, result.stderr).toBe(0);
      const body = JSON.parse(result.stdout) as { committed: boolean; titles: { created: number } };
      expect(body.committed).toBe(true);
      expect(body.titles.created).toBeGreaterThan(10);
    } finally {
      s.cleanup();
    }
  });

  it('`import -` with nothing piped in is invalid input, and nothing is written', async () => {
    const s = scratch();
    try {
      const result = await piped(['--store', s.store, 'import', '-', '--commit'], Buffer.alloc(0));
      expect(result.code).toBe(2);
      expect(result.stderr).not.toContain('does not exist');
      expect(existsSync(s.store)).toBe(false);
    } finally {
      s.cleanup();
    }
  });

  it('a FIFO is read as a stream, not refused as empty and never hung on', async () => {
    const s = scratch();
    try {
      const fifo = join(s.dir, 'library.fifo');
      execFileSync('mkfifo', [fifo]);
      // The writer opens the FIFO as the CLI reads it; both ends close when the file is through.
      const writer = finished(spawn('sh', ['-c', `cat "${libraryFile}" > "${fifo}"`]));
      const result = await finished(spawnCli(['--store', s.store, 'import', fifo, '--json']));
      expect((await writer).code).toBe(0);
      expect(result.code, result.stderr).toBe(0);
      expect((JSON.parse(result.stdout) as { titles: { created: number } }).titles.created).toBeGreaterThan(10);
    } finally {
      s.cleanup();
    }
  });
});
