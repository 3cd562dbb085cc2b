import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { IMPORT_ANSWER_MAX_CHANGES, loadJob } from '@sagasync/api';
import { parseExportFile } from '@sagasync/audible-parser';
import { importLibrary, normaliseSeriesTitle, type LibraryRecords } from '@sagasync/core';
import { startFakeAudible, type FakeAudible } from '@sagasync/fake-audible';
import { createMemoryStorage, dumpOwner, type OwnerDump } from '@sagasync/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAudibleCliTsv } from '../../../tools/bench/src/generators/audible-cli.js';
import { importRunId } from '../src/workflows/staging.js';
import { importTasks, startImportJob, suiteTable, testRuntime } from './support/import-workflow.js';
import { normalisedDump, runClock } from './support/dump.js';
import { loadWorkflow, runLocalWorkflow } from './support/local-workflow.js';

const TITLES = 5_000;

/** Keys that occur more than once in a list. */
function repeated(keys: readonly string[]): string[] {
  const seen = new Set<string>();
  return keys.filter((key) => (seen.has(key) ? true : (seen.add(key), false)));
}

describe(`a ${TITLES.toLocaleString('en-US')}-title import through the workflow, every task run twice`, () => {
  const table = suiteTable();
  const dir = mkdtempSync(join(tmpdir(), 'sagasync-lambda-5000-'));
  const state = { records: null as LibraryRecords | null, source: '', audible: null as FakeAudible | null };
  beforeAll(async () => {
    const file = join(dir, 'library.tsv');
    await generateAudibleCliTsv(file, TITLES, 21);
    const parsed = await parseExportFile(file);
    if (!parsed.success) throw new Error('the generated library does not parse');
    state.records = parsed.value.records;
    state.source = basename(file);
    // A small catalogue: the export names its series by title only, so the lookup has nothing to ask.
    state.audible = await startFakeAudible({ titles: 10, series: 2, seed: 3 });
  });
  afterAll(async () => {
    await state.audible?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends with no duplicates and the store the CLI import of the same file makes', async () => {
    const records = state.records!;
    expect(records.titles).toHaveLength(TITLES);
    const runtime = await testRuntime({ documentClient: table.documentClient, tableName: table.tableName, audibleUrl: state.audible!.apiUrl, clock: runClock() });
    const started = Date.now();
    const { job, execution } = await startImportJob(runtime, 'workflow', { records, source: state.source, commit: true });
    const result = await runLocalWorkflow(loadWorkflow('import.asl.json'), execution, { tasks: importTasks(runtime), twice: 'sequential' });
    const workflowMs = Date.now() - started;
    expect(result.error).toBeNull();
    const chunks = result.calls.filter((c) => c.state === 'UpsertChunk');
    expect(chunks.length / 2).toBeGreaterThan(4);
    // Every task ran twice, and the second run answered as the first.
    for (const call of result.calls) expect(call.error, `${call.state} ${JSON.stringify(call.input)}`).toBeUndefined();
    const answers = new Map<string, unknown[]>();
    for (const call of result.calls) {
      const key = `${call.state} ${JSON.stringify(call.input)}`;
      answers.set(key, [...(answers.get(key) ?? []), call.output]);
    }
    for (const [key, outputs] of answers) {
      expect(outputs.length % 2, key).toBe(0);
      for (let i = 0; i < outputs.length; i += 2) expect(outputs[i + 1], key).toEqual(outputs[i]);
    }
    const done = await loadJob({ storage: runtime.storage, ownerId: 'workflow' }, job.id, runtime.clock());
    expect(done.state).toBe('succeeded');

    // The CLI's import of the same file: one importLibrary over every record (what `sagasync import
    // --commit` runs), on the reference store (the CLI's own is SQLite, not a dependency here). The
    // dump reads both through the port, so adapters that keep the same records print the same lines.
    const cliStarted = Date.now();
    const cli = createMemoryStorage();
    const report = await importLibrary({ storage: cli, ownerId: 'cli', clock: runClock() }, records, { commit: true, source: state.source, kind: 'import', listLimit: IMPORT_ANSWER_MAX_CHANGES });
    const cliMs = Date.now() - cliStarted;
    expect(done.result).toMatchObject({ committed: true, runId: importRunId(job.id), summary: report.summary });

    const dumpStarted = Date.now();
    const [ours, theirs] = await Promise.all([dumpOwner(runtime.storage, 'workflow'), dumpOwner(cli, 'cli')]);
    const dumpMs = Date.now() - dumpStarted;
    console.info(`${TITLES} titles: workflow ${workflowMs} ms (${chunks.length / 2} chunks, every task twice), CLI import ${cliMs} ms, dumps ${dumpMs} ms`);

    // No duplicates: one row per key, one series per name, one history entry per event, one run.
    const of = (dump: OwnerDump, kind: string) => dump.records.filter((r) => r.kind === kind);
    for (const kind of ['titles', 'series', 'progress', 'history', 'baselines', 'seriesAliases', 'syncRuns']) expect(repeated(of(ours, kind).map((r) => r.key)), kind).toEqual([]);
    expect(of(ours, 'titles')).toHaveLength(TITLES);
    expect(of(ours, 'series').length).toBeGreaterThan(500);
    expect(of(ours, 'history').length).toBeGreaterThan(1_000);
    expect(repeated(of(ours, 'series').map((r) => normaliseSeriesTitle(String(r.data.title))))).toEqual([]);
    const event = (r: OwnerDump['records'][number]) => JSON.stringify([r.data.asin, r.data.at, r.data.event, r.data.fromPercent, r.data.toPercent]);
    expect(repeated(of(ours, 'history').map(event))).toEqual([]);
    expect(of(ours, 'syncRuns').map((r) => r.data)).toEqual([expect.objectContaining({ id: importRunId(job.id), kind: 'import', status: 'succeeded' })]);

    expect(normalisedDump(ours)).toEqual(normalisedDump(theirs));
  }, 300_000);
});
