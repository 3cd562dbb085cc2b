import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseExportFile } from '@sagasync/audible-parser';
import { generateAudibleCliTsv } from './generators/audible-cli.js';
import { fmtMs, measureNode, median, type BenchResult } from './support/measure.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const cli = join(repoRoot, 'apps/cli/dist/main.js');

/**
 * Issue 11's figures: on a 100,000-title store, `progress finish <asin>`, `series show <name>` and
 * `status` each within 2x of `sagasync --version` (the whole process, medians of 3), measured in the
 * same run: a listening event, one series and the status page read only what they need.
 */
export async function runCliReadsBench(options: { runs?: number } = {}): Promise<BenchResult> {
  const runs = options.runs ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'sagasync-bench-reads-'));
  try {
    const file = join(dir, 'library-100k.tsv');
    await generateAudibleCliTsv(file, 100_000, 44);
    const store = join(dir, 'store.db');
    const imported = await measureNode([cli, '--store', store, 'import', file, '--commit', '--json']);
    if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);

    // An owned title in a series, and that series' name, read from the file the store came from.
    const parsed = await parseExportFile(file);
    if (!parsed.success) throw new Error('the generated library does not parse');
    // Each run finishes another title, so every event writes (a title finished twice changes nothing).
    const finished = new Set(parsed.value.records.progress.filter((p) => p.isFinished).map((p) => p.asin));
    const titles = parsed.value.records.titles.filter((t) => t.owned && t.series.length > 0 && !finished.has(t.asin)).slice(0, runs);
    if (titles.length < runs) throw new Error('not enough unfinished titles in a series');
    const seriesTitle = titles[0]!.series[0]!.seriesTitle;

    // The first status after an import derives and caches every series' status (an import only
    // invalidates the statuses it changes); later ones read the cache. Both are reported.
    const firstStatus = await measureNode([cli, '--store', store, 'status', '--json']);
    if (firstStatus.code !== 0) throw new Error(`status failed: ${firstStatus.stderr}`);

    const commands: [string, string[]][] = [
      ['sagasync --version', ['--version']],
      ['progress finish <asin>', ['--store', store, 'progress', 'finish', '<asin>', '--json']],
      [`series show "${seriesTitle}"`, ['--store', store, 'series', 'show', seriesTitle, '--json']],
      ['status', ['--store', store, 'status', '--json']],
    ];
    const times = new Map<string, number[]>(commands.map(([name]) => [name, []]));
    for (let i = 0; i < runs; i++) {
      for (const [name, args] of commands) {
        const result = await measureNode([cli, ...args.map((arg) => (arg === '<asin>' ? titles[i]!.asin : arg))]);
        if (result.code !== 0) throw new Error(`${name} failed: ${result.stderr}`);
        times.get(name)!.push(result.ms);
      }
    }
    const baseMs = median(times.get('sagasync --version')!);
    const lines = [
      `store: 100,000 titles (import ${fmtMs(imported.ms)}); baseline sagasync --version ${fmtMs(baseMs)} (median of ${runs})`,
      `first status after the import (derives and caches 2,000 series statuses): ${fmtMs(firstStatus.ms)}`,
    ];
    let ok = true;
    for (const [name] of commands.slice(1)) {
      const ms = median(times.get(name)!);
      const ratio = ms / baseMs;
      ok &&= ratio <= 2;
      lines.push(`${name}: ${fmtMs(ms)}, ${ratio.toFixed(2)}x --version (goal <= 2x)`);
    }
    return { name: 'cli reads on 100,000 titles (issue 11)', ok, lines };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runCliReadsBench();
  console.log(`${result.ok ? 'PASS' : 'FAIL'} ${result.name}\n  ${result.lines.join('\n  ')}`);
  process.exitCode = result.ok ? 0 : 1;
}
