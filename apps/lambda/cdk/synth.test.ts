import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { BUNDLE_NAMES } from './functions.js';

const appDir = join(import.meta.dirname, '..');
const cdkCli = join(dirname(createRequire(import.meta.url).resolve('aws-cdk/package.json')), 'bin', 'cdk');
const work = mkdtempSync(join(tmpdir(), 'sagasync-synth-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The environment of someone with no AWS account configured. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(AWS_|CDK_)/.test(key)));
  return {
    ...env,
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    CDK_DISABLE_VERSION_CHECK: 'true',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-credentials'),
    AWS_CONFIG_FILE: join(work, 'no-config'),
  };
}

it('`cdk synth` (cdk.json) writes the template offline, without credentials', () => {
  const bundles = join(work, 'dist');
  for (const name of BUNDLE_NAMES) {
    mkdirSync(join(bundles, name), { recursive: true });
    writeFileSync(join(bundles, name, 'index.mjs'), 'export const handler = async () => ({});\n');
    writeFileSync(join(bundles, name, 'meta.json'), '{}');
  }
  const out = join(work, 'cdk.out');
  const started = Date.now();
  const run = spawnSync(process.execPath, [cdkCli, 'synth', '--quiet', '--output', out, '-c', 'stage=e2e', '-c', `bundleDir=${bundles}`], {
    cwd: appDir,
    env: offlineEnv(),
    encoding: 'utf8',
    timeout: 110_000,
  });
  expect(run.status, `${run.stderr}\n${run.stdout}`).toBe(0);
  console.info(`cdk synth took ${Date.now() - started} ms`);

  const templatePath = join(out, 'SagaSync-e2e.template.json');
  expect(existsSync(templatePath)).toBe(true);
  const template = JSON.parse(readFileSync(templatePath, 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
  expect(functions.map((f) => f.Properties.FunctionName).sort()).toEqual(
    ['Http', 'ImportCascade', 'ImportFailed', 'ImportLookup', 'ImportStage', 'ImportUpsert', 'NotionMirror', 'SyncFanout', 'SyncUser'].map((n) => `SagaSync-e2e-${n}`),
  );
  // Each function's code is its bundle directory, staged as an asset for `cdk deploy` to upload.
  for (const f of functions) {
    const key = (f.Properties.Code as { S3Key: string }).S3Key;
    const asset = join(out, `asset.${key.replace(/\.zip$/, '')}`);
    expect(existsSync(join(asset, 'index.mjs')), String(f.Properties.FunctionName)).toBe(true);
    expect(existsSync(join(asset, 'meta.json')), 'the esbuild report stays out of the function').toBe(false);
  }
  // Environment-agnostic: no account or region needed.
  expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).artifacts['SagaSync-e2e'].environment).toBe('aws://unknown-account/unknown-region');
});
