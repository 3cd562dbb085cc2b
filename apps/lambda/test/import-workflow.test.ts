import { readdirSync } from 'node:fs';
import { loadJob } from '@sagasync/api';
import { importLibrary, readSequence, type LibraryRecords, type TitleRecord } from '@sagasync/core';
import { startFakeAudible, type FakeAudible, type FakeLibrary } from '@sagasync/fake-audible';
import { saveNotionConnection } from '@sagasync/host';
import { normaliseId, startFakeNotion, type FakeNotion } from '@sagasync/fake-notion';
import { loadDatabases, setupNotion } from '@sagasync/notion-mirror';
import { createMemoryStorage, dumpOwner } from '@sagasync/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LambdaRuntime } from '../src/runtime/context.js';
import { importRunId, KINDS } from '../src/workflows/staging.js';
import { importTasks, startImportJob, suiteTable, testRuntime } from './support/import-workflow.js';
import { normalisedDump, runClock } from './support/dump.js';
import { loadWorkflow, runLocalWorkflow, WORKFLOWS_DIR, type LocalRunResult } from './support/local-workflow.js';

const NOW = new Date('2026-11-25T10:00:00.000Z');
/** A clock that moves a millisecond a call: distinct, repeatable timestamps. */
function tickingClock(start = NOW): () => Date {
  let ms = start.getTime();
  return () => new Date(ms++);
}

/** The owned titles of a fake-audible account as an export gives them: series named by ASIN, no volumes not owned. */
function recordsOfAccount(library: FakeLibrary): LibraryRecords {
  const titles: TitleRecord[] = [];
  for (const owned of library.owned) {
    const p = library.products.get(owned.asin)!;
    if (p.kind !== 'book') continue;
    titles.push({
      asin: p.asin,
      title: p.title,
      subtitle: p.subtitle,
      authors: p.authors.map((a) => a.name),
      narrators: p.narrators.map((n) => n.name),
      runtimeMinutes: p.runtimeMinutes,
      releaseDate: p.releaseDate,
      language: p.language,
      marketplace: 'us',
      owned: true,
      series: p.memberships.map((m) => ({ seriesKey: m.seriesAsin, seriesAsin: m.seriesAsin, seriesTitle: library.products.get(m.seriesAsin)!.title, ...readSequence(m.sequence) })),
    });
  }
  const asins = new Set(titles.map((t) => t.asin));
  const progress = library.owned
    .filter((o) => asins.has(o.asin) && (o.percentComplete > 0 || o.isFinished))
    .map((o) => ({ asin: o.asin, percentComplete: o.percentComplete, isFinished: o.isFinished, observedAt: o.positionUpdatedAt ?? o.purchaseDate }));
  return { titles, series: [], progress };
}

function stateNames(result: LocalRunResult): string[] {
  return result.events.filter((e) => e.type === 'StateEntered').map((e) => (e as { state: { name: string } }).state.name);
}

describe('workflow definitions', () => {
  it('are valid Amazon States Language (asl-validator), every Task invoking a function placeholder', () => {
    const files = readdirSync(WORKFLOWS_DIR).filter((f) => f.endsWith('.asl.json'));
    expect(files).toContain('import.asl.json');
    for (const file of files) expect(() => loadWorkflow(file), file).not.toThrow();
    const imported = loadWorkflow('import.asl.json');
    expect(imported.placeholders.sort()).toEqual(
      ['ImportCascadeFunctionArn', 'ImportFailedFunctionArn', 'ImportLookupFunctionArn', 'ImportStageFunctionArn', 'ImportUpsertFunctionArn', 'NotionMirrorFunctionArn'].sort(),
    );
  });
});

describe('import workflow, run locally on DynamoDB Local with fake-audible and fake-notion', () => {
  const table = suiteTable();
  const workflow = loadWorkflow('import.asl.json');
  const fakes = { audible: null as FakeAudible | null, notion: null as FakeNotion | null };
  beforeAll(async () => {
    fakes.audible = await startFakeAudible({ titles: 24, series: 5, seed: 11, now: () => NOW.getTime() });
    fakes.notion = await startFakeNotion({ seed: 4 });
  });
  afterAll(async () => {
    await fakes.audible?.close();
    await fakes.notion?.close();
  });

  const runtimeFor = (clock = tickingClock()) =>
    testRuntime({
      documentClient: table.documentClient,
      tableName: table.tableName,
      audibleUrl: fakes.audible!.apiUrl,
      notionUrl: fakes.notion!.url,
      notionToken: fakes.notion!.token,
      clock,
    });

  async function connectNotion(runtime: LambdaRuntime, ownerId: string) {
    const parentPageId = fakes.notion!.state.addParentPage();
    await setupNotion({ storage: runtime.storage, ownerId, notion: { token: fakes.notion!.token, baseUrl: fakes.notion!.url, requestsPerSecond: 1000 } }, { parentPageId });
  }

  /** Live (not trashed) pages of a data source in the fake, by their ASIN or series key. */
  async function livePages(runtime: LambdaRuntime, ownerId: string) {
    const dbs = (await loadDatabases(runtime.storage, ownerId))!;
    const pagesOf = (dataSourceId: string) => [...fakes.notion!.state.pages.values()].filter((p) => !p.inTrash && !p.dataSourceRow && normaliseId(p.dataSourceId) === normaliseId(dataSourceId));
    return { books: pagesOf(dbs.books.dataSourceId), series: pagesOf(dbs.series.dataSourceId) };
  }

  for (const twice of ['sequential', 'concurrent'] as const) {
    it(`imports a small library end to end with every task run twice (${twice}): the lookup adds volumes not owned, Notion gets each page once`, async () => {
      const runtime = await runtimeFor();
      const ownerId = `alice-${twice}`;
      await connectNotion(runtime, ownerId);
      const library = fakes.audible!.state.library;
      const records = recordsOfAccount(library);
      const seriesAsins = [...new Set(records.titles.flatMap((t) => t.series.map((m) => m.seriesAsin!)))];
      const volumes = new Set(seriesAsins.flatMap((s) => library.products.get(s)!.children.map((c) => c.asin)));
      const notOwned = [...volumes].filter((asin) => !records.titles.some((t) => t.asin === asin));
      expect(notOwned.length).toBeGreaterThan(3);

      const { job, execution } = await startImportJob(runtime, ownerId, { records, source: 'library.json', commit: true });
      const result = await runLocalWorkflow(workflow, execution, { tasks: importTasks(runtime, { notion: { requestsPerSecond: 1000, maxWrites: 10 } }), twice });
      expect(result.error).toBeNull();
      expect(result.status).toBe('succeeded');
      const states = stateNames(result);
      expect(states.slice(0, 2)).toEqual(['Stage', 'Chunks']);
      expect(states).toContain('LookupSeries');
      expect(states).toContain('UpsertChunk');
      // The Notion loop went round (10 writes a step) until the cursor was done.
      expect(states.filter((s) => s === 'NotionStep').length).toBeGreaterThan(2);
      expect(states.at(-1)).toBe('Succeeded');
      // No state carries a library: ids, chunk numbers, counts and cursors only.
      for (const event of result.events) expect(JSON.stringify(event).length).toBeLessThan(4_000);

      const done = await loadJob({ storage: runtime.storage, ownerId }, job.id, runtime.clock());
      expect(done.state).toBe('succeeded');
      const stored = (await runtime.storage.listTitles(ownerId)).items;
      expect(stored.filter((t) => t.owned).map((t) => t.asin).sort()).toEqual(records.titles.map((t) => t.asin).sort());
      expect(stored.filter((t) => !t.owned).map((t) => t.asin).sort()).toEqual(notOwned.sort());
      expect(done.result).toMatchObject({ committed: true, runId: importRunId(job.id), summary: { titles: { created: stored.length, updated: 0, unchanged: 0 } } });
      const series = (await runtime.storage.listSeries(ownerId)).items;
      expect(series.map((s) => s.key).sort()).toEqual(seriesAsins.sort());
      expect(series.every((s) => s.catalogueComplete)).toBe(true);
      const runs = (await runtime.storage.listSyncRuns(ownerId, { kind: 'import' })).items;
      expect(runs).toEqual([expect.objectContaining({ id: importRunId(job.id), status: 'succeeded' })]);

      const pages = await livePages(runtime, ownerId);
      expect(pages.books).toHaveLength(stored.length);
      expect(pages.series).toHaveLength(series.length);
      expect((await runtime.storage.listMirrorRecords(ownerId, { table: 'books' })).items).toHaveLength(stored.length);
      expect((await runtime.storage.listSyncRuns(ownerId, { kind: 'notion_push' })).items).toHaveLength(1);
    });
  }

  it('fails a bad library: the job records the field, nothing of the library is written, the execution fails', async () => {
    const runtime = await runtimeFor();
    const ownerId = 'bob';
    const records = recordsOfAccount(fakes.audible!.state.library);
    const bad = { ...records, titles: records.titles.map((t, i) => (i === 3 ? { ...t, asin: 'not an asin' } : t)) };
    const { job, execution } = await startImportJob(runtime, ownerId, { records: bad, commit: true });
    const result = await runLocalWorkflow(workflow, execution, { tasks: importTasks(runtime), twice: 'sequential' });
    expect(result.status).toBe('failed');
    expect(result.error?.Error).toBe('SagaSync.ImportFailed');
    expect(stateNames(result)).toEqual(['Stage', 'RecordFailure', 'Failed']);
    const failed = await loadJob({ storage: runtime.storage, ownerId }, job.id, runtime.clock());
    expect(failed).toMatchObject({ state: 'failed', result: null, error: { code: 'invalid_input', location: 'job.records.titles.3.asin' } });
    expect(failed.error?.message).toMatch(/^job\.records\.titles\.3\.asin: /);
    expect((await runtime.storage.listTitles(ownerId)).items).toEqual([]);
    expect((await runtime.storage.listSeries(ownerId)).items).toEqual([]);
    expect((await runtime.storage.listProgress(ownerId)).items).toEqual([]);
    expect((await runtime.storage.listSyncRuns(ownerId)).items).toEqual([]);
    expect((await runtime.storage.listSettings(ownerId)).items).toEqual([]);
    expect((await runtime.storage.listExpiring(ownerId, KINDS.plan, runtime.clock())).items).toEqual([]);
  });
  it('previews through the workflow: the answer of a commit, nothing written, Notion skipped', async () => {
    const runtime = await runtimeFor();
    const ownerId = 'carol';
    await connectNotion(runtime, ownerId);
    const records = recordsOfAccount(fakes.audible!.state.library);
    const { job, execution } = await startImportJob(runtime, ownerId, { records, commit: false });
    const result = await runLocalWorkflow(workflow, execution, { tasks: importTasks(runtime, { notion: { requestsPerSecond: 1000 } }) });
    expect(result.status).toBe('succeeded');
    expect(result.calls.find((c) => c.state === 'NotionStep')?.output).toMatchObject({ done: true, skipped: 'preview' });
    const done = await loadJob({ storage: runtime.storage, ownerId }, job.id, runtime.clock());
    expect(done).toMatchObject({ state: 'succeeded', result: { committed: false, runId: null, summary: { titles: { created: expect.any(Number) as number } } } });
    expect((done.result as { summary: { titles: { created: number } } }).summary.titles.created).toBeGreaterThan(records.titles.length);
    expect((await runtime.storage.listTitles(ownerId)).items).toEqual([]);
    expect((await runtime.storage.listSyncRuns(ownerId)).items).toEqual([]);
    // The series cache is a write too: a preview keeps what it fetched to itself.
    expect((await runtime.storage.listSettings(ownerId)).items.filter((s) => s.key.startsWith('audible-series:'))).toEqual([]);
  });

  it('retries a task that fails with SagaSync.Retryable, then goes on; a task that keeps failing ends the job failed with the run logged failed', async () => {
    const runtime = await runtimeFor();
    const records = recordsOfAccount(fakes.audible!.state.library);
    const tasks = importTasks(runtime, { notion: { requestsPerSecond: 1000 } });
    const throttled = () => Object.assign(new Error('rate_limited: DynamoDB kept throttling'), { name: 'SagaSync.Retryable' });

    // Twice throttled, then through: the state's Retry absorbs it.
    let failures = 2;
    const flaky = { ...tasks, ImportUpsertFunctionArn: async (input: unknown) => (failures-- > 0 ? Promise.reject(throttled()) : tasks.ImportUpsertFunctionArn!(input)) };
    const first = await startImportJob(runtime, 'dave', { records, commit: true });
    const ok = await runLocalWorkflow(workflow, first.execution, { tasks: flaky });
    expect(ok.status).toBe('succeeded');
    expect(ok.events.filter((e) => e.type === 'StateRetried')).toHaveLength(2);

    // Throttled for good: after the retries the Catch records the failure.
    const stuck = { ...tasks, ImportCascadeFunctionArn: () => Promise.reject(throttled()) };
    const second = await startImportJob(runtime, 'erin', { records, commit: true });
    const failed = await runLocalWorkflow(workflow, second.execution, { tasks: stuck });
    expect(failed.status).toBe('failed');
    expect(stateNames(failed).slice(-2)).toEqual(['RecordFailure', 'Failed']);
    expect(failed.calls.filter((c) => c.state === 'Cascade')).toHaveLength(7);
    const job = await loadJob({ storage: runtime.storage, ownerId: 'erin' }, second.job.id, runtime.clock());
    expect(job).toMatchObject({ state: 'failed', error: { code: 'rate_limited', message: 'DynamoDB kept throttling (gave up after retries)' } });
    const runs = (await runtime.storage.listSyncRuns('erin', { kind: 'import' })).items;
    expect(runs).toEqual([expect.objectContaining({ id: importRunId(second.job.id), status: 'failed', error: 'DynamoDB kept throttling (gave up after retries)' })]);
    expect(runs[0]!.counts.created).toBeGreaterThan(0);
  });

  it('a Notion mirror that fails after the import: the job says the library is in, the import run stays succeeded', async () => {
    const runtime = await runtimeFor();
    const ownerId = 'frank';
    await connectNotion(runtime, ownerId);
    const records = recordsOfAccount(fakes.audible!.state.library);
    // The Notion token is refused: not something a retry mends.
    const refused = await testRuntime({ documentClient: table.documentClient, tableName: table.tableName, audibleUrl: fakes.audible!.apiUrl, notionUrl: fakes.notion!.url, notionToken: 'secret_wrong', clock: tickingClock() });
    const { job, execution } = await startImportJob(runtime, ownerId, { records, commit: true });
    const result = await runLocalWorkflow(workflow, execution, { tasks: { ...importTasks(runtime), NotionMirrorFunctionArn: importTasks(refused, { notion: { requestsPerSecond: 1000 } }).NotionMirrorFunctionArn! } });
    expect(result.status).toBe('failed');
    const failed = await loadJob({ storage: runtime.storage, ownerId }, job.id, runtime.clock());
    expect(failed.state).toBe('failed');
    expect(failed.error?.message).toMatch(/^the library was imported, but the Notion mirror failed: /);
    expect((await runtime.storage.listSyncRuns(ownerId, { kind: 'import' })).items).toEqual([expect.objectContaining({ id: importRunId(job.id), status: 'succeeded' })]);
    expect((await runtime.storage.listTitles(ownerId)).items.length).toBeGreaterThan(records.titles.length);
  });
  it("mirrors with the user's own stored Notion token when they stored one, over the deployment's", async () => {
    const runtime = await runtimeFor();
    const ownerId = 'hank';
    await connectNotion(runtime, ownerId);
    await saveNotionConnection(runtime.storage, runtime.sealer, ownerId, { token: fakes.notion!.token }, runtime.clock());
    // The deployment's token is refused; the user's is the one Notion accepts.
    const deploymentWrong = await testRuntime({ documentClient: table.documentClient, tableName: table.tableName, audibleUrl: fakes.audible!.apiUrl, notionUrl: fakes.notion!.url, notionToken: 'secret_wrong', clock: tickingClock() });
    const records = recordsOfAccount(fakes.audible!.state.library);
    const { job, execution } = await startImportJob(runtime, ownerId, { records, commit: true });
    const result = await runLocalWorkflow(workflow, execution, { tasks: { ...importTasks(runtime), NotionMirrorFunctionArn: importTasks(deploymentWrong, { notion: { requestsPerSecond: 1000 } }).NotionMirrorFunctionArn! } });
    expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
    expect((await loadJob({ storage: runtime.storage, ownerId }, job.id, runtime.clock())).state).toBe('succeeded');
    expect((await runtime.storage.listMirrorRecords(ownerId, { table: 'books' })).items.length).toBeGreaterThan(0);
  });
  it('imports a chunk whose series lookup failed as it came, with a note saying so', async () => {
    const runtime = await runtimeFor();
    const ownerId = 'gina';
    const records = recordsOfAccount(fakes.audible!.state.library);
    const tasks = importTasks(runtime);
    const unreachable = () => Promise.reject(Object.assign(new Error('GET /1.0/catalog/products failed with HTTP 403'), { name: 'SagaSync.auth_failed' }));
    const { job, execution } = await startImportJob(runtime, ownerId, { records, commit: true });
    const result = await runLocalWorkflow(workflow, execution, { tasks: { ...tasks, ImportLookupFunctionArn: unreachable } });
    expect(result.status).toBe('succeeded');
    expect(result.events.some((e) => e.type === 'StateCaught')).toBe(true);
    const done = await loadJob({ storage: runtime.storage, ownerId }, job.id, runtime.clock());
    expect(done.state).toBe('succeeded');
    expect((done.result as { notes: string[] }).notes).toEqual(expect.arrayContaining([expect.stringMatching(/^the Audible series lookup failed \(SagaSync\.auth_failed\)/)]));
    expect((await runtime.storage.listTitles(ownerId)).items.map((t) => t.asin).sort()).toEqual(records.titles.map((t) => t.asin).sort());
  });
  it('imports a series larger than a chunk in parts, one after the other, ending as one import of the same records does', async () => {
    const runtime = await testRuntime({ documentClient: table.documentClient, tableName: table.tableName, audibleUrl: fakes.audible!.apiUrl, clock: runClock() });
    const big = 'B0BIGSAGA1';
    const title = (asin: string, name: string, series: TitleRecord['series']): TitleRecord => ({
      asin,
      title: name,
      subtitle: `${name}: ${'a long subtitle of the far shore and the second age, '.repeat(3)}`,
      authors: ['Ada Quill'],
      narrators: ['Cleo Vale', 'Dev Marsh'],
      owned: true,
      series,
    });
    const titles = Array.from({ length: 1_200 }, (_, i) =>
      title(`B2${String(i).padStart(8, '0')}`, `The Long Saga ${i + 1}`, [{ seriesKey: big, seriesAsin: big, seriesTitle: 'The Long Saga', ...readSequence(String(i + 1)) }]),
    );
    for (let i = 0; i < 300; i++) titles.push(title(`B3${String(i).padStart(8, '0')}`, `Standalone ${i}`, []));
    const records: LibraryRecords = {
      titles,
      series: [{ key: big, asin: big, title: 'The Long Saga', catalogueComplete: true }],
      progress: titles.filter((_, i) => i % 3 === 0).map((t, i) => ({ asin: t.asin, percentComplete: 30, isFinished: false, observedAt: new Date(Date.UTC(2025, 0, 1 + (i % 300))).toISOString() })),
    };
    const { job, execution } = await startImportJob(runtime, 'hugo', { records, source: 'big.json', commit: true });
    const result = await runLocalWorkflow(workflow, execution, { tasks: importTasks(runtime), twice: 'concurrent' });
    expect(result.status).toBe('succeeded');
    const stage = result.calls.find((c) => c.state === 'Stage')!.output as { chunks: number[] };
    expect(stage.chunks.length).toBeGreaterThan(3);
    // Of each chunk's two runs at once, one imported; the other found it claimed (and would be retried).
    const upserts = result.calls.filter((c) => c.state === 'UpsertChunk');
    expect(upserts.filter((c) => c.error).map((c) => c.error!.name)).toEqual(stage.chunks.map(() => 'SagaSync.Retryable'));

    const reference = createMemoryStorage();
    const report = await importLibrary({ storage: reference, ownerId: 'hugo', clock: runClock() }, records, { commit: true, source: 'big.json' });
    const done = await loadJob({ storage: runtime.storage, ownerId: 'hugo' }, job.id, runtime.clock());
    // The series the later parts plan again is counted once, as in one import.
    expect(done.result).toMatchObject({ summary: report.summary });
    expect(normalisedDump(await dumpOwner(runtime.storage, 'hugo'))).toEqual(normalisedDump(await dumpOwner(reference, 'hugo')));
  });
});
