import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseExportFile } from '@sagasync/audible-parser';
import type { BatchOperation, LibraryRecords, StoragePort } from '@sagasync/core';
import { dumpOwner } from '@sagasync/storage';

const here = dirname(fileURLToPath(import.meta.url));
export const lambdaRoot = join(here, '..', '..');
export const repoRoot = join(lambdaRoot, '..', '..');

/**
 * An export of the demo library (examples/library.tsv) with only the rows of `asins`, written to
 * `dir` as `name`. Rows are split on CRLF (a quoted cell holds a bare LF), as audible-cli writes them.
 */
export function libraryExport(dir: string, name: string, asins: readonly string[]): string {
  const [header, ...rows] = readFileSync(join(repoRoot, 'examples', 'library.tsv'), 'utf8').split('\r\n');
  const kept = rows.filter((row) => asins.includes(row.split('\t', 1)[0]!));
  if (kept.length !== asins.length) throw new Error(`library.tsv has ${kept.length} of the ${asins.length} ASINs asked for`);
  const path = join(dir, name);
  writeFileSync(path, [header, ...kept].join('\r\n'));
  return path;
}

export const demoAsins = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `B0DEMO${String(from + i).padStart(4, '0')}`);

export async function recordsOf(path: string): Promise<LibraryRecords> {
  const parsed = await parseExportFile(path);
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues[0]?.message}`);
  return parsed.value.records as LibraryRecords;
}

/** The store, except that the first batch holding an `op` operation fails (before anything of it is written). */
export function failingOnce(storage: StoragePort, op: BatchOperation['op']): StoragePort & { failed: () => boolean } {
  let failed = false;
  return new Proxy(storage, {
    get(target, property, receiver) {
      if (property === 'failed') return () => failed;
      if (property === 'applyBatch') {
        return async (ownerId: string, operations: readonly BatchOperation[]) => {
          if (!failed && operations.some((o) => o.op === op)) {
            failed = true;
            throw new Error(`injected failure before a batch with ${op}`);
          }
          return target.applyBatch(ownerId, operations);
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as StoragePort & { failed: () => boolean };
}

/** The library part of an owner's dump: what a reset empties and re-imports. */
export const LIBRARY_KINDS = ['series', 'titles', 'progress', 'history', 'baselines', 'seriesAliases', 'trackerBooks', 'links', 'conflicts', 'mirrorRecords'] as const;

export async function libraryDump(storage: StoragePort, ownerId: string, kinds: readonly string[] = LIBRARY_KINDS): Promise<{ kind: string; key: string; data: unknown }[]> {
  return (await dumpOwner(storage, ownerId)).records.filter((r) => kinds.includes(r.kind));
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A dump without the times a run writes (and history ids, which carry a time), to compare runs made at different times. */
export function timeless(records: { kind: string; key: string; data: unknown }[]): unknown[] {
  const strip = (value: unknown): unknown => {
    if (typeof value === 'string') return ISO_TIME.test(value) ? '<time>' : value;
    if (Array.isArray(value)) return value.map(strip);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'id' ? '<id>' : strip(v)]));
  };
  return records.map((r) => ({ kind: r.kind, key: r.kind === 'history' ? r.key.split(' ')[0] : r.key, data: strip(r.data) }));
}

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run reset` as it runs (tsx, from source), in apps/lambda, with the given environment only. */
export function runResetScript(args: string[], env: Record<string, string>): Promise<ScriptRun> {
  const child = spawn(process.execPath, ['--conditions=@sagasync/source', '--import', 'tsx', join(lambdaRoot, 'scripts', 'reset.ts'), ...args], {
    cwd: lambdaRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', AWS_EC2_METADATA_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
