import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAudibleCliTsv } from '../../../tools/bench/src/generators/audible-cli.js';
import { examples, finished, scratch, spawnCli } from './harness.js';

// These start the CLI as a real process: exit codes, kill -9 in the middle of a commit, and two
// imports racing for the same store file.
describe('sagasync as a process', () => {
  const s = scratch();
  const big = join(s.dir, 'big.tsv');
  const other = join(s.dir, 'other.tsv');
  beforeAll(async () => {
    await generateAudibleCliTsv(big, 20_000, 1);
    await generateAudibleCliTsv(other, 3_000, 2);
  });
  afterAll(() => s.cleanup());

  const count = (store: string): { titles: number; integrity: string } => {
    // Killed before it even created the store: nothing was written.
    if (!existsSync(store)) return { titles: 0, integrity: 'ok' };
    const db = new Database(store, { readonly: true });
    try {
      const titles = (db.prepare('SELECT count(*) AS n FROM titles').get() as { n: number }).n;
      const integrity = (db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check;
      return { titles, integrity };
    } finally {
      db.close();
    }
  };

  it('exits 0 on success, 1 on a usage error and 2 on invalid input, without a stack trace', async () => {
    const store = join(s.dir, 'codes.db');
    const ok = await finished(spawnCli(['--store', store, 'import', join(examples, 'library.tsv'), '--json']));
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).rows).toBe(21);
    const usage = await finished(spawnCli(['--store', store, 'frobnicate']));
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain("unknown command 'frobnicate'");
    const invalid = await finished(spawnCli(['--store', store, 'import', join(examples, 'make-example.mjs')]));
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).not.toMatch(/\n\s+at .*\(/);
    const help = await finished(spawnCli(['import', '--help']));
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--skip-invalid');
  });

  it('kill -9 during a commit leaves the store as before or as after, never in between', async () => {
    const outcomes: number[] = [];
    for (const delayMs of [700, 1100, 1500, 2200]) {
      const store = join(s.dir, `killed-${delayMs}.db`);
      const child = spawnCli(['--store', store, 'import', big, '--commit']);
      const done = finished(child);
      await new Promise((r) => setTimeout(r, delayMs));
      child.kill('SIGKILL');
      const result = await done;
      const { titles, integrity } = count(store);
      expect(integrity).toBe('ok');
      expect([0, 20_000]).toContain(titles);
      outcomes.push(result.signal === 'SIGKILL' ? titles : -1);
    }
    // At least one kill landed before the commit finished, or the test proved nothing.
    expect(outcomes).toContain(0);
  }, 120_000);

  it('two imports at once both land, one after the other, without corrupting the store', async () => {
    const store = join(s.dir, 'race.db');
    const [a, b] = await Promise.all([
      finished(spawnCli(['--store', store, 'import', big, '--commit', '--json'])),
      finished(spawnCli(['--store', store, 'import', other, '--commit', '--json'])),
    ]);
    const codes = [a.code, b.code];
    for (const r of [a, b]) {
      // Either it committed, or it failed with the clear "busy" message; never anything else.
      if (r.code !== 0) expect(r.stderr).toMatch(/busy|another sagasync/);
    }
    const { titles, integrity } = count(store);
    expect(integrity).toBe('ok');
    const expected = (codes[0] === 0 ? 20_000 : 0) + (codes[1] === 0 ? 3_000 : 0);
    expect(titles).toBe(expected);
    expect(codes).toContain(0);
  }, 120_000);
});
