import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_LIMIT_BYTES, bundleHandlers, describeBundles, handlerEntries } from '../scripts/bundle.mjs';

const repoRoot = resolve(import.meta.dirname, '../../..');
const script = resolve(import.meta.dirname, '../scripts/bundle.mjs');

// Temporary handlers of this test's own, outside src/handlers. Their directory links the repo's
// node_modules: the handlers resolve workspace packages and zod from it when bundled, and the
// bundles resolve the (external) AWS SDK from it when run, as Lambda resolves its own copy.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sagasync-bundle-test-'));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  mkdirSync(join(dir, 'handlers'));
  writeFileSync(
    join(dir, 'handlers/tiny.ts'),
    [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { SagaSyncError } from '@sagasync/core';",
      "import * as z from 'zod';",
      "import legacy from '../legacy.cjs';",
      "const client = new DynamoDBClient({ region: 'eu-west-2' });",
      'export async function handler(event: unknown) {',
      '  const { name } = z.object({ name: z.string() }).parse(event);',
      "  return { hello: name, platform: legacy.platform(), code: new SagaSyncError('invalid_input', 'x').code, region: await client.config.region() };",
      '}',
    ].join('\n'),
  );
  // A CommonJS dependency that require()s a node built-in: works in the ES module thanks to the banner.
  writeFileSync(join(dir, 'legacy.cjs'), "const os = require('node:os');\nmodule.exports = { platform: () => os.platform() };\n");
  writeFileSync(join(dir, 'handlers/tiny.test.ts'), 'export {};\n');
  writeFileSync(join(dir, 'handlers/server-side.ts'), "import Database from 'better-sqlite3';\nexport const handler = () => new Database(':memory:');\n");
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bundle.mjs', () => {
  it('lists handler entries: *.ts in the directory, not tests', async () => {
    expect(await handlerEntries(join(dir, 'handlers'))).toEqual({ 'server-side': join(dir, 'handlers/server-side.ts'), tiny: join(dir, 'handlers/tiny.ts') });
    expect(await handlerEntries(join(dir, 'no-such-dir'))).toEqual({});
  });

  it('bundles a handler into <outdir>/<name>/index.mjs: ESM, minified, AWS SDK external, workspace packages from source, size reported', async () => {
    const outdir = join(dir, 'out');
    const [result] = await bundleHandlers({ outdir, entries: [join(dir, 'handlers/tiny.ts')] });
    expect(result).toMatchObject({ name: 'tiny', file: join(outdir, 'tiny/index.mjs'), metafile: join(outdir, 'tiny/meta.json'), ok: true, problems: [], analysis: null });
    expect(result!.bytes).toBe(statSync(result!.file).size);
    expect(result!.bytes).toBeLessThan(BUNDLE_LIMIT_BYTES);
    expect(existsSync(join(outdir, 'tiny/index.mjs.map'))).toBe(true);

    const code = readFileSync(result!.file, 'utf8');
    expect(code.startsWith("import { createRequire as __sagasyncCreateRequire } from 'node:module';")).toBe(true);
    expect(code).toMatch(/export\s*\{[^}]*as handler\s*\}|export\s*\{\s*handler\s*\}/);
    expect(code).not.toMatch(/module\.exports\s*=\s*__toCommonJS/);
    expect(code).toMatch(/from\s*"@aws-sdk\/client-dynamodb"/);
    expect(code).toContain('//# sourceMappingURL=index.mjs.map');
    expect(code.length / code.split('\n').length).toBeGreaterThan(500); // minified: long lines

    // The SDK is imported, not bundled; zod and @sagasync/core are bundled, core from its TypeScript source.
    expect(result!.external).toContain('@aws-sdk/client-dynamodb');
    const meta = JSON.parse(readFileSync(result!.metafile, 'utf8')) as { inputs: Record<string, unknown> };
    const inputs = Object.keys(meta.inputs);
    expect(inputs.some((i) => i.includes('node_modules/@aws-sdk/') || i.includes('node_modules/@smithy/'))).toBe(false);
    expect(inputs.some((i) => i.startsWith('packages/core/src/') && i.endsWith('.ts'))).toBe(true);
    expect(inputs.some((i) => i.includes('packages/core/dist/'))).toBe(false);
    expect(inputs.some((i) => i.includes('node_modules/zod/'))).toBe(true);
    expect(result!.largest[0]!.from).toBe('zod');
    expect(describeBundles([result!])[0]).toMatch(/^tiny\s+\d+\.\d kB\s+\S+index\.mjs\s+\(largest: zod /);

    // It runs as Lambda runs it: import the module, call handler.
    const run = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(result!.file).href)}); console.log(JSON.stringify(await m.handler({ name: 'x' })));`],
      { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
    );
    expect(run.stderr).not.toMatch(/Error|Dynamic require/);
    expect(JSON.parse(run.stdout)).toEqual({ hello: 'x', platform: process.platform, code: 'invalid_input', region: 'eu-west-2' });
  });

  it('refuses a handler that reaches a SQL store driver, naming the import and its importer', async () => {
    await expect(bundleHandlers({ outdir: join(dir, 'out'), entries: { 'server-side': join(dir, 'handlers/server-side.ts') } })).rejects.toThrow(
      /better-sqlite3 must never be in a Lambda bundle \(imported by .*handlers\/server-side\.ts\)/,
    );
  });

  it('run directly: prints each size; over the limit it exits 1 with one line per bundle and esbuild analysis', () => {
    const outdir = join(dir, 'cli-out');
    const ok = spawnSync(process.execPath, [script, '--outdir', outdir, join(dir, 'handlers/tiny.ts')], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^tiny\s+\d+\.\d kB/m);

    const copy = join(dir, 'handlers/tiny2.ts');
    writeFileSync(copy, readFileSync(join(dir, 'handlers/tiny.ts')));
    const over = spawnSync(process.execPath, [script, '--outdir', outdir, '--limit', '20000', join(dir, 'handlers/tiny.ts'), copy], { encoding: 'utf8' });
    expect(over.status).toBe(1);
    const fails = over.stderr.split('\n').filter((line) => line.startsWith('FAIL '));
    expect(fails).toHaveLength(2);
    expect(fails[0]).toMatch(/^FAIL tiny: \d+\.\d kB is over the 20\.0 kB limit$/);
    expect(over.stderr).toContain('node_modules/zod/'); // analyzeMetafile names what takes the room
  });
});
