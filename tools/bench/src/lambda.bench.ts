import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeSecretsManager } from '@sagasync/fake-secrets-manager';
import { freePort } from '@sagasync/test-services';
import { BUNDLE_LIMIT_BYTES, bundleHandlers, handlerEntries, type BundleResult } from '../../../apps/lambda/scripts/bundle.mjs';
import { fmtMs, measureNode, median, type BenchResult } from './support/measure.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const runner = join(import.meta.dirname, 'lambda/runner.mjs');
const baselineSource = join(import.meta.dirname, 'lambda/baseline-handler.ts');
const RUNS = Number(process.env.BENCH_LAMBDA_RUNS ?? 7);
const INIT_GOAL = 1.5;

interface ColdStart {
  ms: number;
  initMs: number;
  answerMs: number | null;
  outcome: string;
  statusCode?: number;
  error?: string;
}

/** API handlers get an HTTP API event (`GET /health`); every other handler (a workflow task) an input it refuses at validation. */
const kindOf = (name: string): 'http' | 'task' => (/^(http|api)/.test(name) ? 'http' : 'task');

/**
 * Issue 15's figures: each handler bundle's size (goal < 1 MB), and each handler's cold start
 * (a fresh `node` that imports the bundle and answers one request; median of 7) beside a
 * do-nothing handler that loads the same AWS SDK clients and zod, bundled the same way, measured
 * in the same run (goal <= 1.5x); Node's own start for scale.
 *
 * The handlers are whatever apps/lambda/src/handlers/*.ts exist (or `entries`). Their
 * initialisation runs for real: env validated, stores opened, secrets read from a fake Secrets
 * Manager; DynamoDB's endpoint is a loopback port nobody listens on, so a handler that touches the
 * table at init or for `GET /health` fails here.
 */
export async function runLambdaBench(options: { entries?: Record<string, string> } = {}): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sagasync-bench-lambda-'));
  // The bundles leave the AWS SDK to the runtime: here it is the repo's, found through this link
  // (ES modules resolve from the importing file's directories, not NODE_PATH).
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const fake = await startFakeSecretsManager({
    secrets: { 'sagasync/secret': randomBytes(32).toString('base64'), 'notion/internal-token': `ntn_${randomBytes(20).toString('hex')}` },
  });
  const lines: string[] = [];
  let ok = true;
  try {
    const entries = options.entries ?? (await handlerEntries());
    if (Object.keys(entries).length === 0) {
      return { name: 'lambda', ok: false, lines: ['no handlers in apps/lambda/src/handlers yet: nothing to measure'] };
    }
    const [bundles, [baseline]] = await Promise.all([
      bundleHandlers({ outdir: join(dir, 'handlers'), entries }),
      bundleHandlers({ outdir: join(dir, 'baseline'), entries: { baseline: baselineSource } }),
    ]);

    lines.push(`bundles (goal: each under ${(BUNDLE_LIMIT_BYTES / 1e6).toFixed(0)} MB; AWS SDK external):`);
    for (const bundle of [...bundles, baseline!]) {
      const top = bundle.largest.slice(0, 3).map((l) => `${l.from} ${kb(l.bytes)}`);
      lines.push(`  ${bundle.name.padEnd(12)} ${kb(bundle.bytes).padStart(9)}  ${bundle.ok ? 'ok' : `FAIL: ${bundle.problems.join('; ')}`}  (largest: ${top.join(', ')})`);
    }
    if (bundles.some((b) => !b.ok)) ok = false;

    const env: NodeJS.ProcessEnv = {
      SAGASYNC_STAGE: 'bench',
      SAGASYNC_TABLE: 'sagasync-bench',
      SAGASYNC_SECRET_ID: 'sagasync/secret',
      SAGASYNC_NOTION_SECRET_ID: 'notion/internal-token',
      SAGASYNC_IMPORT_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:SagaSync-bench-import',
      LOG_LEVEL: 'warn',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDBENCHEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'bench-secret-access-key',
      AWS_SESSION_TOKEN: '',
      AWS_PROFILE: '',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: fake.url,
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${await freePort()}`,
      AWS_ENDPOINT_URL_SFN: `http://127.0.0.1:${await freePort()}`,
      AWS_LAMBDA_FUNCTION_NAME: 'sagasync-bench',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
      NODE_OPTIONS: '',
    };

    // Cold starts, interleaved (one of each per round) so drift on a busy machine hits all alike.
    const nodeStart: number[] = [];
    const runs = new Map<string, ColdStart[]>([[baseline!.name, []], ...bundles.map((b) => [b.name, []] as [string, ColdStart[]])]);
    const targets: { bundle: BundleResult; kind: 'http' | 'task'; name: string }[] = [
      { bundle: baseline!, kind: 'http', name: baseline!.name },
      ...bundles.map((bundle) => ({ bundle, kind: kindOf(bundle.name), name: bundle.name })),
    ];
    for (let round = 0; round < RUNS; round += 1) {
      nodeStart.push((await measureNode(['-e', '0'], { cwd: repoRoot })).ms);
      for (const target of targets) runs.get(target.name)!.push(await coldStart(target.bundle.file, target.kind, env));
    }

    const baseRuns = runs.get(baseline!.name)!;
    const baseMs = median(baseRuns.map((r) => r.ms));
    const nodeMs = median(nodeStart);
    lines.push(`cold start: a fresh node imports the bundle and answers one request (median of ${RUNS}; goal: within ${INIT_GOAL}x of the baseline)`);
    lines.push(`  node -e 0                      ${fmtMs(nodeMs).padStart(7)}`);
    lines.push(`  baseline (SDK clients + zod)   ${fmtMs(baseMs).padStart(7)}  init ${fmtMs(median(baseRuns.map((r) => r.initMs)))}${failures(baseRuns)}`);
    if (baseRuns.some((r) => r.outcome === 'init-failed')) ok = false;
    for (const target of targets.slice(1)) {
      const handlerRuns = runs.get(target.name)!;
      const ms = median(handlerRuns.map((r) => r.ms));
      const ratio = ms / baseMs;
      const answered = handlerRuns.filter((r) => r.answerMs !== null).map((r) => r.answerMs!);
      const last = handlerRuns.at(-1)!;
      const answer = last.outcome === 'answered' ? `answered ${last.statusCode ?? 'ok'}` : last.outcome === 'refused' ? `refused the bench input (${clip(last.error)})` : 'init failed';
      const good = ratio <= INIT_GOAL && handlerRuns.every((r) => r.outcome !== 'init-failed') && (target.kind !== 'http' || handlerRuns.every((r) => r.outcome === 'answered' && r.statusCode === 200));
      if (!good) ok = false;
      lines.push(
        `  ${`${target.name} (${target.kind === 'http' ? 'GET /health' : 'task, {}'})`.padEnd(30)} ${fmtMs(ms).padStart(7)}  ${ratio.toFixed(2)}x  init ${fmtMs(median(handlerRuns.map((r) => r.initMs)))}` +
          `${answered.length ? `, answer ${fmtMs(median(answered))}` : ''}; ${answer}${failures(handlerRuns)}  ${good ? 'ok' : 'FAIL'}`,
      );
    }
    lines.push(`  Secrets Manager: ${fake.requestCount()} GetSecretValue calls in ${RUNS * bundles.length} handler cold starts (each container reads its secrets once)`);

    const writeUnits = await writeUnitsPerTitle();
    if (writeUnits) {
      lines.push(...writeUnits.lines);
      if (!writeUnits.ok) ok = false;
    } else {
      lines.push('write units per title: not measured');
    }
    return { name: 'lambda', ok, lines };
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Titles of the import whose write units are priced. */
const WRITE_TITLES = 2_000;

/**
 * Issue 15's third figure: DynamoDB write units per title of an import through the import
 * workflow (run locally as the tests run it, on DynamoDB Local, every write request priced from
 * its own body at the documented on-demand rates, since DynamoDB Local misprices transactions),
 * beside the same records imported straight through the adapter: what staging, chunk answers and
 * the job record add.
 */
async function writeUnitsPerTitle(): Promise<{ lines: string[]; ok: boolean } | null> {
  await import('../../../apps/lambda/test/node20-shim.js');
  const [{ DynamoDBClient, DeleteTableCommand }, { createTable, documentClientFor, createDynamoStorage }, { startDynamoDbLocal }, { parseExportFile }, { importLibrary }, support, local, gen] =
    await Promise.all([
      import('@aws-sdk/client-dynamodb'),
      import('@sagasync/storage-dynamodb'),
      import('@sagasync/test-services'),
      import('@sagasync/audible-parser'),
      import('@sagasync/core'),
      import('../../../apps/lambda/test/support/import-runtime.js'),
      import('../../../apps/lambda/test/support/local-workflow.js'),
      import('./generators/audible-cli.js'),
    ]);
  const { requestWriteUnits } = await import('./support/dynamo-item-size.js');
  const dynamo = await startDynamoDbLocal();
  const dir = mkdtempSync(join(tmpdir(), 'sagasync-bench-wcu-'));
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const meter = { units: 0, requests: new Map<string, number>() };
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string>; body?: string | Uint8Array };
      const target = request.headers?.['x-amz-target'];
      if (target && request.body !== undefined) {
        const body = typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body);
        const units = requestWriteUnits(target, body, ['gsi1pk', 'gsi2pk']);
        if (units !== null) {
          meter.units += units;
          const op = target.replace(/^DynamoDB_\d+\./, '');
          meter.requests.set(op, (meter.requests.get(op) ?? 0) + 1);
        }
      }
      return next(args);
    },
    { step: 'build', name: 'sagasyncBenchWritePrice' },
  );
  try {
    await createTable(client, 'wcu');
    const file = join(dir, 'library.tsv');
    await gen.generateAudibleCliTsv(file, WRITE_TITLES, 21);
    const parsed = await parseExportFile(file);
    if (!parsed.success) throw new Error('the generated library does not parse');
    const records = parsed.value.records;

    // The adapter alone: what any import of these records writes.
    meter.units = 0;
    const storage = createDynamoStorage({ documentClient: documentClientFor(client), tableName: 'wcu' });
    await importLibrary({ storage, ownerId: 'direct' }, records, { commit: true, source: 'library.tsv', listLimit: 0 });
    const direct = meter.units;

    // The workflow: staging, chunks, answers, the job.
    meter.units = 0;
    meter.requests.clear();
    const runtime = await support.testRuntime({ documentClient: documentClientFor(client), tableName: 'wcu' });
    const { execution } = await support.startImportJob(runtime, 'workflow', { records, source: 'library.tsv', commit: true });
    const run = await local.runLocalWorkflow(local.loadWorkflow('import.asl.json'), execution, { tasks: support.importTasks(runtime) });
    if (run.status !== 'succeeded') throw new Error(`the import workflow failed: ${JSON.stringify(run.error)}`);
    const workflow = meter.units;
    const perTitle = (units: number) => (units / WRITE_TITLES).toFixed(2);
    return {
      ok: true,
      lines: [
        `  write units per title (${WRITE_TITLES.toLocaleString('en-US')}-title first import, priced from each request at on-demand rates):`,
        `    through the import workflow   ${perTitle(workflow)} WCU/title (${Math.round(workflow).toLocaleString('en-US')} WCU in ${[...meter.requests].map(([op, n]) => `${n} ${op}`).join(', ')})`,
        `    the adapter alone (baseline)  ${perTitle(direct)} WCU/title; staging, chunk answers and the job add ${perTitle(workflow - direct)}`,
      ],
    };
  } finally {
    await client.send(new DeleteTableCommand({ TableName: 'wcu' })).catch(() => undefined);
    client.destroy();
    dynamo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function coldStart(file: string, kind: 'http' | 'task', env: NodeJS.ProcessEnv): Promise<ColdStart> {
  const run = await measureNode([runner, file, kind], { cwd: repoRoot, env });
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  let report: Omit<ColdStart, 'ms'>;
  try {
    report = JSON.parse(line) as Omit<ColdStart, 'ms'>;
  } catch {
    report = { initMs: NaN, answerMs: null, outcome: 'init-failed', error: `no report (exit ${run.code}): ${run.stderr.trim().split('\n').slice(-3).join(' | ')}` };
  }
  return { ms: run.ms, ...report, answerMs: report.answerMs ?? null };
}

function failures(runs: ColdStart[]): string {
  const failed = runs.filter((r) => r.outcome === 'init-failed');
  return failed.length ? `; ${failed.length}/${runs.length} failed to initialise: ${clip(failed[0]!.error)}` : '';
}

const clip = (text: string | undefined, max = 120): string => {
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}...` : line;
};
const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`;
