import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateAudibleCliTsv } from './generators/audible-cli.js';
import { fmtMs, measureNode, median, type BenchResult } from './support/measure.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const cli = join(repoRoot, 'apps/cli/dist/main.js');
const baseline = join(import.meta.dirname, 'cli-import.baseline.mjs');

/**
 * Issue 4's figures: `sagasync import --commit` of a 10,000-title audible-cli TSV into a fresh
 * store, the whole process, against a csv-parse + SQLite baseline in the same run (goal: <= 3x
 * and < 1.5 s); re-importing the same file writes nothing (< 1 s); 100,000 titles < 300 MB RSS.
 */
export async function runCliImportBench(options: { runs?: number } = {}): Promise<BenchResult> {
  const runs = options.runs ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'sagasync-bench-cli-'));
  try {
    const small = join(dir, 'library-10k.tsv');
    const large = join(dir, 'library-100k.tsv');
    await generateAudibleCliTsv(small, 10_000, 42);
    await generateAudibleCliTsv(large, 100_000, 43);

    const cliTimes: number[] = [];
    const baseTimes: number[] = [];
    const reimportTimes: number[] = [];
    let reimportWrites = -1;
    for (let i = 0; i < runs; i++) {
      const base = await measureNode([baseline, small, join(dir, `baseline-${i}.db`)], { cwd: repoRoot });
      if (base.code !== 0) throw new Error(`baseline failed: ${base.stderr}`);
      baseTimes.push(base.ms);
      const store = join(dir, `store-${i}.db`);
      const first = await measureNode([cli, '--store', store, 'import', small, '--commit', '--json']);
      if (first.code !== 0) throw new Error(`sagasync import failed: ${first.stderr}`);
      cliTimes.push(first.ms);
      const again = await measureNode([cli, '--store', store, 'import', small, '--commit', '--json']);
      if (again.code !== 0) throw new Error(`sagasync re-import failed: ${again.stderr}`);
      reimportTimes.push(again.ms);
      const report = JSON.parse(again.stdout) as { titles: { created: number; updated: number }; series: { created: number; updated: number } };
      reimportWrites = report.titles.created + report.titles.updated + report.series.created + report.series.updated;
    }
    // Peak memory must hold on every run, not on a median: several runs, the highest counts.
    const bigRuns: { ms: number; maxRssMb: number }[] = [];
    for (let i = 0; i < runs; i++) {
      const big = await measureNode([cli, '--store', join(dir, `big-${i}.db`), 'import', large, '--commit', '--json']);
      if (big.code !== 0) throw new Error(`sagasync import of 100,000 titles failed: ${big.stderr}`);
      bigRuns.push(big);
    }
    const bigMs = median(bigRuns.map((r) => r.ms));
    const bigRss = Math.max(...bigRuns.map((r) => r.maxRssMb));

    const cliMs = median(cliTimes);
    const baseMs = median(baseTimes);
    const ratio = cliMs / baseMs;
    const reMs = median(reimportTimes);
    const ok = ratio <= 3 && cliMs < 1500 && reMs < 1000 && reimportWrites === 0 && bigRss < 300;
    return {
      name: 'cli import (issue 4)',
      ok,
      lines: [
        `import --commit, 10,000 titles, fresh store: ${fmtMs(cliMs)} (median of ${runs}; goal < 1.5 s)`,
        `baseline csv-parse + SQLite insert, same file: ${fmtMs(baseMs)}; ratio ${ratio.toFixed(2)}x (goal <= 3x)`,
        `re-import of the same file: ${fmtMs(reMs)}, ${reimportWrites} writes (goal < 1 s, 0 writes)`,
        `import --commit, 100,000 titles: ${fmtMs(bigMs)} (median of ${runs}), peak RSS ${bigRss.toFixed(0)} MB, highest of ${runs} runs (goal < 300 MB; runs: ${bigRuns.map((r) => r.maxRssMb.toFixed(0)).join(', ')})`,
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runCliImportBench();
  console.log(`${result.ok ? 'PASS' : 'FAIL'} ${result.name}\n  ${result.lines.join('\n  ')}`);
  process.exitCode = result.ok ? 0 : 1;
}
