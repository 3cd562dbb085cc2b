import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDirectory } from '../src/directory/sqlite-directory.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const script = fileURLToPath(new URL('./fixtures/directory-child.ts', import.meta.url));

/** Starts a claiming child; `ready` resolves once it has opened the store, `result` with its count. */
function startClaimer(args: string[]) {
  const child = spawn(process.execPath, ['--conditions=@sagasync/source', '--import', 'tsx', script, 'claim', ...args], {
    cwd: packageDir,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('ready\n')) resolve();
    });
    void exited.then((code) => reject(new Error(`child exited (${code}) before it was ready: ${stderr}`)));
  });
  const result = exited.then((code) => {
    expect(code, stderr).toBe(0);
    return JSON.parse(stdout.split('\n').filter(Boolean).at(-1)!) as { allowed: number };
  });
  return { ready, result, go: () => child.stdin.write('go\n') };
}

describe('the directory across processes', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sagasync-directory-race-'));
    path = join(dir, 'store.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('three processes claiming at once never get more syncs than the daily cap between them', async () => {
    const directory = openSqliteDirectory({ path });
    await directory.createUser({ id: 'u1', name: 'ada', createdAt: '2024-05-10T00:00:00.000Z' });
    const cap = 25;
    const children = Array.from({ length: 3 }, () => startClaimer([path, 'u1', '20', String(cap)]));
    await Promise.all(children.map((child) => child.ready));
    for (const child of children) child.go();
    const results = await Promise.all(children.map((child) => child.result));
    // 60 attempts for 25 syncs: every process got some chance, and together exactly the cap.
    expect(results.reduce((sum, result) => sum + result.allowed, 0)).toBe(cap);
    expect(await directory.getSchedule('u1')).toMatchObject({ syncsToday: cap, version: cap });
    await directory.close();
  }, 120_000);
});
