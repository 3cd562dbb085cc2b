import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProcessRun {
  ms: number;
  maxRssMb: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

// Preloaded into the measured process: reports its own peak RSS on exit, so the figure is the
// process's, not the benchmark's.
const reporter = join(tmpdir(), 'sagasync-bench-rss.cjs');
writeFileSync(reporter, "process.on('exit', () => { process.stderr.write('\\n__MAXRSS_KB__ ' + process.resourceUsage().maxRSS + '\\n'); });\n");

/** Runs `node <args>` as a whole process and measures wall time and peak RSS. */
export function measureNode(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--require', reporter, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const match = /__MAXRSS_KB__ (\d+)/.exec(stderr);
      resolve({ ms, maxRssMb: match ? Number(match[1]) / 1024 : NaN, code, stdout, stderr: stderr.replace(/\n__MAXRSS_KB__ \d+\n/, '') });
    });
  });
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const fmtMs = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

export interface BenchResult {
  name: string;
  lines: string[];
  ok: boolean;
}
