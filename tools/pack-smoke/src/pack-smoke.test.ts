import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The user's first use case: `npm install @sagasync/core` in another project. This builds the
// package, packs it as npm would publish it, installs the tarball into a scratch project and uses
// it from ESM and from CJS. Tests never reach the registry: zod, its one dependency, is packed from
// the workspace's node_modules and installed beside it (npm's cache after `npm ci` holds tarballs,
// not the registry documents an install of a range would need).
const coreDir = resolve(import.meta.dirname, '../../../packages/core');
const zodDir = resolve(import.meta.dirname, '../../../node_modules/zod');
let scratch: string;

function sh(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'sagasync-pack-smoke-'));
  sh('npx', ['--no-install', 'tsup', '--silent'], coreDir);
  const packed = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', scratch], coreDir)) as { filename: string }[];
  const tarball = join(scratch, packed[0]!.filename);
  const zod = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', scratch], zodDir)) as { filename: string }[];
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'smoke', private: true, version: '1.0.0' }));
  sh('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', join(scratch, zod[0]!.filename), tarball], scratch);
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('@sagasync/core from a packed tarball', () => {
  it('ships only built files', () => {
    const files = readdirSync(join(scratch, 'node_modules/@sagasync/core/dist'));
    expect(files).toEqual(expect.arrayContaining(['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts']));
    expect(readdirSync(join(scratch, 'node_modules/@sagasync/core'))).not.toContain('src');
    // The zod beside it satisfies the package's own zod requirement: no second copy.
    expect(readdirSync(join(scratch, 'node_modules/@sagasync/core'))).not.toContain('node_modules');
  });

  it('works from ESM', () => {
    writeFileSync(
      join(scratch, 'esm.mjs'),
      `import { parseSequence, TitleRecordSchema, SagaSyncError } from '@sagasync/core';
       const pos = parseSequence('Books 1-3');
       const ok = TitleRecordSchema.safeParse({ asin: 'B000000001', title: 'X', authors: [], narrators: [], owned: true, series: [] }).success;
       console.log(JSON.stringify({ pos, ok, err: new SagaSyncError('invalid_input', 'x').code }));`,
    );
    const out = JSON.parse(sh('node', ['esm.mjs'], scratch));
    expect(out).toEqual({ pos: { kind: 'range', start: 1, end: 3 }, ok: true, err: 'invalid_input' });
  });

  it('works from CJS', () => {
    writeFileSync(
      join(scratch, 'cjs.cjs'),
      `const { parseSequence, SagaSyncError } = require('@sagasync/core');
       const e = new SagaSyncError('not_found', 'gone');
       console.log(JSON.stringify({ pos: parseSequence('2.5'), isInstance: SagaSyncError.isInstance(e) }));`,
    );
    const out = JSON.parse(sh('node', ['cjs.cjs'], scratch));
    expect(out).toEqual({ pos: { kind: 'number', value: 2.5 }, isInstance: true });
  });

  it('type-checks for a TypeScript consumer', () => {
    writeFileSync(
      join(scratch, 'consumer.ts'),
      `import { parseSequence, type SeriesPosition } from '@sagasync/core';
       const p: SeriesPosition = parseSequence('1');
       export const value: number | undefined = p.kind === 'number' ? p.value : undefined;`,
    );
    const tsc = resolve(import.meta.dirname, '../../../node_modules/typescript/bin/tsc');
    sh('node', [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', 'false', 'consumer.ts'], scratch);
  });
});
