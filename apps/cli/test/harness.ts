import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../src/program.js';
import type { CliIo } from '../src/runtime/io.js';

export const repoRoot = resolve(import.meta.dirname, '../../..');
export const examples = join(repoRoot, 'examples');
// Commands run on a clock that starts an hour ago and moves a second per command: histories get
// a real order, and edits made "now" in a fake service are newer than anything the store holds.
const BASE = Date.now() - 3_600_000;
let tick = 0;
const nextClock = (): (() => Date) => {
  const at = new Date(BASE + ++tick * 1000);
  return () => at;
};

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  json<T = unknown>(): T;
}

/** A scratch folder with a store path inside; `cleanup` removes it. */
export function scratch(): { dir: string; store: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'sagasync-cli-test-'));
  return { dir, store: join(dir, 'sagasync.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs the CLI in-process with captured output, as a pipe (no TTY) unless `tty` is set; `columns`
 * is the terminal's width, `stderrTTY` whether stderr is a terminal (default: as `tty`).
 */
export async function run(
  args: string[],
  options: {
    store: string;
    tty?: boolean;
    columns?: number;
    stderrTTY?: boolean;
    env?: Record<string, string>;
    cwd?: string;
    answer?: (question: string, shown: string) => Promise<string | null> | string | null;
  },
): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    isTTY: options.tty ?? false,
    ...(options.columns !== undefined ? { columns: options.columns } : {}),
    ...(options.stderrTTY !== undefined ? { stderrIsTTY: options.stderrTTY } : {}),
    env: { HOME: options.cwd ?? repoRoot, ...options.env },
    cwd: options.cwd ?? repoRoot,
    // Questions are shown on stderr, as the real prompt does; no answerer means nobody is there.
    prompt: async (question: string) => {
      stderr += question;
      return options.answer ? options.answer(question, stderr) : null;
    },
  };
  const code = await runCli(['--store', options.store, ...args], io, { clock: nextClock() });
  return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
}

/** Starts the CLI as a real process from source (tsx), for exit codes, signals and concurrency. */
export function spawnCli(args: string[], options: { env?: Record<string, string> } = {}): ChildProcess {
  return spawn(process.execPath, ['--conditions=@sagasync/source', '--import', 'tsx', join(repoRoot, 'apps/cli/src/main.ts'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function finished(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolvePromise) => child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr })));
}

/**
 * The demo library (examples/library.tsv) with some cells changed: `edits` maps an ASIN to the
 * columns to set. Written to `dir` as `name`; returns its path. Rows are split on CRLF (a quoted
 * cell may hold a bare LF), as audible-cli writes them.
 */
export function editedLibrary(dir: string, name: string, edits: Record<string, Record<string, string>>): string {
  const lines = readFileSync(join(examples, 'library.tsv'), 'utf8').split('\r\n');
  const header = lines[0]!.split('\t');
  const edited = lines.map((line, i) => {
    const cells = line.split('\t');
    const edit = i === 0 ? undefined : edits[cells[0]!];
    if (!edit) return line;
    for (const [column, value] of Object.entries(edit)) {
      const at = header.indexOf(column);
      if (at < 0) throw new Error(`no column ${column} in library.tsv`);
      cells[at] = value;
    }
    return cells.join('\t');
  });
  const path = join(dir, name);
  writeFileSync(path, edited.join('\r\n'));
  return path;
}
