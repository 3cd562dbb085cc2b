/**
 * Parser benchmark: a generated audible-cli `library export` TSV read by `parseExportFile`, against
 * a baseline measured in the same run on the same file: csv-parse alone (stream API,
 * `columns: true`) reading it into plain objects kept in an array.
 *
 * Each measurement runs in its own child process, so peak RSS belongs to one side only. Both sides
 * are bundled with esbuild into plain JavaScript first, as the package ships, so neither pays for a
 * TypeScript loader; when esbuild cannot be loaded the children fall back to `node --import tsx`
 * (for both sides) and the output says so. Several runs, alternating sides, report medians.
 *
 * Run alone: `npx tsx tools/bench/src/parser.bench.ts [--rows 100000] [--runs 3]`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Esbuild from 'esbuild';
import { generateAudibleCliTsv } from './generators/audible-cli.js';

export interface ParserBenchOptions {
  rows?: number;
  runs?: number;
}

export interface BenchReport {
  name: string;
  lines: string[];
  ok: boolean;
}

/** Goals from the issue: at most twice the baseline's time, under 150 MB peak RSS. */
export const MAX_RATIO = 2;
export const MAX_PEAK_RSS_MB = 150;

const here = dirname(fileURLToPath(import.meta.url));
const parserEntry = resolve(here, '../../../packages/audible-parser/src/index.ts');

interface Measurement {
  ms: number;
  /** CPU time (user + system, all threads) of the read: steadier than wall time on shared cores. */
  cpuMs: number;
  rows: number;
  peakRssMb: number;
}

// Each child times only the read (not start-up or module loading) and reports its own peak RSS.
const parserChild = (specifier: string) => `
import { parseExportFile } from ${JSON.stringify(specifier)};
const file = process.argv[2];
const started = performance.now();
const cpu = process.cpuUsage();
const result = await parseExportFile(file);
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
if (!result.success) { console.error(JSON.stringify(result.error.issues.slice(0, 3))); process.exit(1); }
const rows = result.value.records.titles.length;
console.log(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, rows, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
`;

const BASELINE_CHILD = `
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
const file = process.argv[2];
const started = performance.now();
const cpu = process.cpuUsage();
const records = [];
for await (const record of createReadStream(file).pipe(parse({ delimiter: '\\t', columns: true }))) records.push(record);
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, rows: records.length, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
`;

type EsbuildApi = typeof Esbuild;
type Runner = { command: string; args: (file: string) => string[]; how: string };

/** Bundles both children with esbuild when it is available, else runs them through tsx. */
async function prepareChildren(dir: string): Promise<{ parser: Runner; baseline: Runner }> {
  try {
    const esbuild: EsbuildApi = await import('esbuild');
    const bundle = async (name: string, contents: string) => {
      const outfile = join(dir, `${name}.mjs`);
      await esbuild.build({
        stdin: { contents, resolveDir: here, loader: 'ts', sourcefile: `${name}.ts` },
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        conditions: ['@sagasync/source'],
        outfile,
        logLevel: 'silent',
      });
      return outfile;
    };
    const parserFile = await bundle('parser-child', parserChild('@sagasync/audible-parser'));
    const baselineFile = await bundle('baseline-child', BASELINE_CHILD);
    const how = 'bundled with esbuild, plain node';
    return {
      parser: { command: process.execPath, args: (f) => [parserFile, f], how },
      baseline: { command: process.execPath, args: (f) => [baselineFile, f], how },
    };
  } catch {
    const parserFile = join(dir, 'parser-child.mts');
    const baselineFile = join(here, '.baseline-child.tmp.mts');
    await writeFile(parserFile, parserChild(pathToFileURL(parserEntry).href));
    // The baseline imports csv-parse, so it must sit where node_modules resolve.
    await writeFile(baselineFile, BASELINE_CHILD);
    const how = 'node --import tsx (esbuild unavailable: loader overhead included on both sides)';
    const args = (file: string) => (f: string) => ['--conditions=@sagasync/source', '--import', 'tsx', file, f];
    return { parser: { command: process.execPath, args: args(parserFile), how }, baseline: { command: process.execPath, args: args(baselineFile), how } };
  }
}

function measure(runner: Runner, file: string): Promise<Measurement> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(runner.command, runner.args(file), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errText = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (errText += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`benchmark child failed (${code}): ${errText.trim().slice(0, 500)}`));
      else {
        try {
          resolvePromise(JSON.parse(out.trim().split('\n').pop() ?? '') as Measurement);
        } catch {
          reject(new Error(`benchmark child printed no result: ${out.slice(0, 200)} ${errText.slice(0, 200)}`));
        }
      }
    });
  });
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export async function runParserBench(options: ParserBenchOptions = {}): Promise<BenchReport> {
  const rows = options.rows ?? 100_000;
  const runs = Math.max(1, options.runs ?? 3);
  const dir = await mkdtemp(join(tmpdir(), 'sagasync-parser-bench-'));
  const name = `audible-parser: ${rows.toLocaleString('en')}-row audible-cli TSV`;
  try {
    const generated = await generateAudibleCliTsv(join(dir, 'library.tsv'), rows, 1);
    const { parser, baseline } = await prepareChildren(dir);
    const parserRuns: Measurement[] = [];
    const baselineRuns: Measurement[] = [];
    for (let i = 0; i < runs; i++) {
      baselineRuns.push(await measure(baseline, generated.path));
      parserRuns.push(await measure(parser, generated.path));
    }
    const parserMs = median(parserRuns.map((m) => m.ms));
    const baselineMs = median(baselineRuns.map((m) => m.ms));
    const parserCpu = median(parserRuns.map((m) => m.cpuMs));
    const baselineCpu = median(baselineRuns.map((m) => m.cpuMs));
    // Peak memory must hold on every run: the highest run counts.
    const parserRss = Math.max(...parserRuns.map((m) => m.peakRssMb));
    const baselineRss = median(baselineRuns.map((m) => m.peakRssMb));
    const wallRatio = parserMs / baselineMs;
    const cpuRatio = parserCpu / baselineCpu;
    const rowsOk = parserRuns.every((m) => m.rows === rows) && baselineRuns.every((m) => m.rows === rows);
    // The time goal is judged on CPU time: wall time on shared cores mostly measures the neighbours.
    const ok = rowsOk && cpuRatio <= MAX_RATIO && parserRss < MAX_PEAK_RSS_MB;
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    return {
      name,
      ok,
      lines: [
        `file: ${(generated.bytes / 1048576).toFixed(1)} MiB, ${rows.toLocaleString('en')} rows; ${runs} run(s) each, alternating, medians; children ${parser.how}`,
        `parser   (parseExportFile -> LibraryRecords): wall ${s(parserMs)}, cpu ${s(parserCpu)}, peak RSS ${parserRss.toFixed(0)} MB (highest run)`,
        `baseline (csv-parse columns:true -> objects): wall ${s(baselineMs)}, cpu ${s(baselineCpu)}, peak RSS ${baselineRss.toFixed(0)} MB`,
        `ratio ${cpuRatio.toFixed(2)}x cpu, ${wallRatio.toFixed(2)}x wall (goal <= ${MAX_RATIO}x); parser peak RSS ${parserRss.toFixed(0)} MB (goal < ${MAX_PEAK_RSS_MB} MB)${rowsOk ? '' : '; ROW COUNT MISMATCH'}`,
        `runs (wall ms): parser ${parserRuns.map((m) => m.ms.toFixed(0)).join(', ')}; baseline ${baselineRuns.map((m) => m.ms.toFixed(0)).join(', ')}`,
        `runs (peak RSS MB): parser ${parserRuns.map((m) => m.peakRssMb.toFixed(0)).join(', ')}; baseline ${baselineRuns.map((m) => m.peakRssMb.toFixed(0)).join(', ')}`,
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(join(here, '.baseline-child.tmp.mts'), { force: true });
  }
}

function argValue(flag: string): number | undefined {
  const at = process.argv.indexOf(flag);
  return at !== -1 && process.argv[at + 1] !== undefined ? Number(process.argv[at + 1]) : undefined;
}

const invokedDirectly = process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url;
if (invokedDirectly) {
  const report = await runParserBench({ rows: argValue('--rows'), runs: argValue('--runs') });
  console.log(report.name);
  for (const line of report.lines) console.log(`  ${line}`);
  console.log(report.ok ? '  OK' : '  GOAL MISSED');
  process.exitCode = report.ok ? 0 : 1;
}
