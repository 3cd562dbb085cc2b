import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { applyListeningEvent, importLibrary, readAll, recomputeSeries, type DirectoryPort, type StoragePort, type UseCaseContext } from '@sagasync/core';
import { startFakeNotion, type FakeNotion } from '@sagasync/fake-notion';
import { startFakeSecretsManager, type FakeSecretsManager } from '@sagasync/fake-secrets-manager';
import { loadDatabases, pushToNotion, PUSH_LEASE, setupNotion, type NotionConnectionOptions, type NotionDatabases } from '@sagasync/notion-mirror';
import { createDynamoDirectory, createDynamoStorage, createTable, documentClientFor } from '@sagasync/storage-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dynamoOwnerPartitions } from '../src/reset/dynamo-partitions.js';
import { resetCommand } from '../src/reset/command.js';
import { libraryTableName } from '../src/reset/plan-reset.js';
import { ResetStepError, runReset, surveyReset, type ResetDeps } from '../src/reset/run-reset.js';
import { demoAsins, failingOnce, libraryDump, libraryExport, recordsOf, runResetScript, timeless } from './reset-support/fixtures.js';

// The reset end to end on DynamoDB Local, tools/fake-notion and tools/fake-secrets-manager: the
// script as `npm run reset` runs it, and the steps in process for interruptions.

const SEEDED_AT = new Date('2026-01-10T12:00:00.000Z');
const RESET_AT = new Date('2026-02-01T12:00:00.000Z');
/** The first export: the Ember Throne, Starwake, Hollow Pines and Ledger of Kings series. */
const FIRST = demoAsins(1, 15);
/** The export a reset imports: Hollow Pines gone, Copper & Quill, Tidewater and standalones new. */
const SECOND = [...demoAsins(4, 6), ...demoAsins(13, 21)];
const GONE = FIRST.filter((asin) => !SECOND.includes(asin));

interface Seeded {
  id: string;
  name: string;
  databases: NotionDatabases;
  /** Pages the user made by hand: one SagaSync adopted (it has an ASIN), one it never mirrored. */
  ownPages: { adopted: string; unrelated: string };
}

describe('npm run reset', () => {
  const stage = `r${Math.random().toString(36).slice(2, 10)}`;
  const tableName = libraryTableName(stage);
  let client: DynamoDBClient;
  let documentClient: DynamoDBDocumentClient;
  let storage: StoragePort;
  let directory: DirectoryPort;
  let notionFake: FakeNotion;
  let secrets: FakeSecretsManager;
  let notion: NotionConnectionOptions;
  let dir: string;
  let firstExport: string;
  let secondExport: string;
  let env: Record<string, string>;
  const users: Record<string, Seeded> = {};

  const ctx = (ownerId: string, at = SEEDED_AT): UseCaseContext => ({ storage, ownerId, clock: () => at });

  /** A user with the first export imported, a manual finish, kept records, and the library mirrored into Notion. */
  async function seedUser(name: string): Promise<Seeded> {
    const user = await directory.createUser({ id: `${name}-${stage}`, name, createdAt: SEEDED_AT.toISOString() });
    const c = ctx(user.id);
    await importLibrary(c, await recordsOf(firstExport), { commit: true, source: 'first.tsv' });
    await recomputeSeries(c);
    // Later than the export's 42 %: without a reset, importing the export again would leave it finished.
    await applyListeningEvent(c, { asin: 'B0DEMO0004', kind: 'finished', source: 'manual' });
    await storage.applyBatch(user.id, [
      { op: 'putSetting', key: 'rules', value: { novellasRequired: true, inferGaps: true } },
      { op: 'putCredential', value: { name: 'audible:us:me@example.com', ciphertext: 'c2VhbGVkIGJsb2I=', updatedAt: SEEDED_AT.toISOString() } },
      { op: 'putDecision', value: { source: 'goodreads', trackerId: 'gr-1', asin: 'B0DEMO0013', decision: 'link', decidedAt: SEEDED_AT.toISOString() } },
      { op: 'putSeriesAlias', value: { alias: 'hollow pines', seriesKey: (await storage.listSeries(user.id)).items[0]!.key, createdAt: SEEDED_AT.toISOString() } },
    ]);
    const parent = notionFake.state.addParentPage(`SagaSync of ${name}`);
    const { databases } = await setupNotion({ ...c, notion }, { parentPageId: parent });
    const title = (text: string) => ({ title: [{ type: 'text', text: { content: text } }] });
    const adopted = notionFake.state.createByHand(databases.books.dataSourceId, { Title: title('Ledger of Kings'), ASIN: { rich_text: [{ type: 'text', text: { content: 'B0DEMO0013' } }] } });
    const unrelated = notionFake.state.createByHand(databases.books.dataSourceId, { Title: title('My reading notes') });
    const push = await pushToNotion({ ...c, notion });
    expect(push.failures).toEqual([]);
    return { id: user.id, name, databases, ownPages: { adopted, unrelated } };
  }

  /** SagaSync's pages (those it created) and the user's own, trashed or not. */
  function notionPages(user: Seeded) {
    const all = [user.databases.books.dataSourceId, user.databases.series.dataSourceId].flatMap((id) => notionFake.state.listPages(id, { includeTrashed: true }));
    const own = new Set([user.ownPages.adopted, user.ownPages.unrelated]);
    return {
      sagasync: all.filter((p) => !own.has(p.id)),
      own: all.filter((p) => own.has(p.id)),
    };
  }

  async function expectLeaseFree(ownerId: string): Promise<void> {
    const lease = await storage.acquireLease(ownerId, { name: PUSH_LEASE, holder: 'a-push', ttlMs: 5_000, now: new Date() });
    expect(lease).not.toBeNull();
    await storage.releaseLease(ownerId, PUSH_LEASE, 'a-push');
  }

  const resetDeps = (ownerId: string, store: StoragePort = storage): ResetDeps => ({
    storage: store,
    ownerId,
    clock: () => RESET_AT,
    partitions: dynamoOwnerPartitions(documentClient, tableName),
    notion,
  });

  beforeAll(async () => {
    client = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 3 });
    documentClient = documentClientFor(client);
    await createTable(client, tableName);
    storage = createDynamoStorage({ documentClient, tableName });
    directory = createDynamoDirectory({ documentClient, tableName });
    notionFake = await startFakeNotion({ seed: 15 });
    notion = { token: notionFake.token, baseUrl: notionFake.url, requestsPerSecond: 200, burst: 20 };
    secrets = await startFakeSecretsManager({ secrets: { [`sagasync/${stage}/secret`]: 'a'.repeat(44), 'notion/internal-token': notionFake.token } });
    dir = mkdtempSync(join(tmpdir(), 'sagasync-reset-'));
    firstExport = libraryExport(dir, 'first.tsv', FIRST);
    secondExport = libraryExport(dir, 'second.tsv', SECOND);
    env = {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
      AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
      SAGASYNC_NOTION_API_URL: notionFake.url,
      INIT_CWD: dir,
    };
    for (const name of ['alice', 'bob', 'carol', 'erin']) users[name] = await seedUser(name);
    // The reference: what a fresh import of the second export and a series recompute store.
    const dave = await directory.createUser({ id: `dave-${stage}`, name: 'dave', createdAt: SEEDED_AT.toISOString() });
    await importLibrary(ctx(dave.id, RESET_AT), await recordsOf(secondExport), { commit: true, source: 'second.tsv' });
    await recomputeSeries(ctx(dave.id, RESET_AT));
  });

  afterAll(async () => {
    await notionFake?.close();
    await secrets?.close();
    await client?.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
    client?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the plan on --dry-run and changes nothing, in the store or in Notion', async () => {
    const alice = users.alice!;
    const before = await libraryDump(storage, alice.id, ['series', 'titles', 'progress', 'history', 'baselines', 'settings', 'mirrorRecords', 'syncRuns', 'links', 'trackerBooks']);
    const notionRequests = notionFake.stats.total;
    secrets.resetRequests();

    const run = await runResetScript(['--stage', stage, '--user', 'Alice', '--file', 'second.tsv', '--dry-run'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('reset:');
    expect(run.stdout).toContain(`Reset of user "alice" (${alice.id}) on stage ${stage}: table ${tableName}`);
    expect(run.stdout).toMatch(/archive SagaSync's Notion pages: move 14 book pages and \d+ series pages to the Notion trash; stop mirroring 1 page of the user's own/);
    expect(run.stdout).toMatch(/empty the owner's library: delete .*15 titles/);
    expect(run.stdout).toContain('3. import the export: second.tsv (audible-cli library export (TSV), 12 rows): 12 titles');
    expect(run.stdout).toMatch(/Kept: .*settings \(.*notion\.databases.*rules.*\); 1 stored credential; 1 match decision/);
    expect(run.stdout).toContain('Dry run: nothing was changed.');

    expect(await libraryDump(storage, alice.id, ['series', 'titles', 'progress', 'history', 'baselines', 'settings', 'mirrorRecords', 'syncRuns', 'links', 'trackerBooks'])).toEqual(before);
    expect(notionFake.stats.total).toBe(notionRequests);
    expect(notionPages(alice).sagasync.every((p) => !p.inTrash)).toBe(true);
    // The token was read from Secrets Manager (through the SDK's endpoint setting) for the plan's check.
    expect(secrets.readCount('notion/internal-token')).toBe(1);
  });

  it('refuses bad input with one line and exit code 2, changing nothing', async () => {
    writeFileSync(join(dir, 'broken.json'), '{"not": "an export"');
    const before = await libraryDump(storage, users.alice!.id);
    // Found by the script against the deployment (DynamoDB Local here), as a process.
    const deployed: [string[], RegExp][] = [
      [['--stage', 'nosuchstage', '--user', 'alice', '--file', secondExport], /^reset: there is no table SagaSync-nosuchstage-Library \(us-east-1\): is stage "nosuchstage" deployed there\?/],
      [['--stage', stage, '--user', 'mallory', '--file', secondExport], /^reset: there is no user "mallory" in /],
      // No terminal to ask at, and no --yes.
      [['--stage', stage, '--user', 'alice', '--file', secondExport], /^reset: a reset deletes the library and asks first, but no one is at a terminal; nothing was changed \(pass --yes/],
    ];
    const runs = await Promise.all(deployed.map(([args]) => runResetScript(args, env)));
    for (const [i, run] of runs.entries()) {
      const [args, message] = deployed[i]!;
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(2);
      expect(run.stderr.trim().split('\n').at(-1), args.join(' ')).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }

    // Found before anything is read from AWS: in process.
    const local: [string[], RegExp][] = [
      [['--stage', stage, '--user', 'alice', '--file', 'missing.tsv'], /^reset: --file .*missing\.tsv does not exist; nothing was changed$/],
      [['--stage', stage, '--user', 'alice', '--file', join(dir, 'broken.json')], /^reset: broken\.json is not a valid export/],
      [['--stage', 'Not A Stage', '--user', 'alice', '--file', secondExport], /^reset: --stage "Not A Stage": a stage is lowercase/],
      [['--stage', stage, '--file', secondExport], /^reset: --user is required/],
      [['--stage', stage, '--user', 'alice', '--file', secondExport, '--bogus'], /^reset: Unknown option '--bogus'/],
      [['--stage', stage, '--user', 'alice', '--file', secondExport, '--notion-rps', 'fast'], /^reset: --notion-rps "fast"/],
    ];
    for (const [args, message] of local) {
      const err: string[] = [];
      const io = { out: () => undefined, err: (text: string) => void err.push(text), isTTY: false, prompt: async () => null };
      expect(await resetCommand(args, { env: { INIT_CWD: dir }, io }), args.join(' ')).toBe(2);
      expect(err, args.join(' ')).toHaveLength(1);
      expect(err[0]!.trimEnd(), args.join(' ')).toMatch(message);
    }
    expect(await libraryDump(storage, users.alice!.id)).toEqual(before);
  });

  it('asks at a terminal first, and an answer other than yes changes nothing', async () => {
    const before = await libraryDump(storage, users.alice!.id);
    // In process, with the SDK pointed at the fakes through its own environment settings.
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const questions: string[] = [];
      const out: string[] = [];
      const err: string[] = [];
      const io = { out: (line: string) => void out.push(line), err: (text: string) => void err.push(text), isTTY: true, prompt: async (q: string) => (questions.push(q), 'n') };
      expect(await resetCommand(['--stage', stage, '--user', 'alice', '--file', 'second.tsv'], { env, io })).toBe(1);
      expect(questions).toEqual([`Reset the library of "alice" on stage ${stage}? This cannot be undone. [y/N] `]);
      expect(out[0]).toMatch(/^Reset of user "alice"/);
      expect(err).toEqual(['reset: cancelled; nothing was changed\n']);
    } finally {
      for (const key of Object.keys(env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
    expect(await libraryDump(storage, users.alice!.id)).toEqual(before);
  });

  it('archives only SagaSync pages, empties the library, imports the new export and recomputes series', async () => {
    const alice = users.alice!;
    const carol = users.carol!;
    const carolBefore = await libraryDump(storage, carol.id, ['series', 'titles', 'progress', 'history', 'baselines', 'settings', 'credentials', 'decisions', 'mirrorRecords', 'links', 'trackerBooks', 'seriesAliases']);
    const runsBefore = (await readAll((cursor) => storage.listSyncRuns(alice.id, { cursor }))).length;
    const databasesBefore = await loadDatabases(storage, alice.id);

    const run = await runResetScript(['--stage', stage, '--user', 'alice', '--file', secondExport, '--yes', '--notion-rps', '100'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/\[1\/4\] archive SagaSync's Notion pages: done\n[^]*\[4\/4\] recompute series: done/);
    expect(run.stdout).toMatch(/Notion: moved 14 book pages and \d+ series pages to the trash, released 1 page of the user's own/);
    expect(run.stdout).toMatch(/Imported: 12 titles created/);

    // Notion: every page SagaSync made is in the trash; the user's own pages are not.
    const pages = notionPages(alice);
    expect(pages.sagasync.length).toBeGreaterThan(14);
    expect(pages.sagasync.filter((p) => !p.inTrash)).toEqual([]);
    expect(pages.own.map((p) => p.inTrash)).toEqual([false, false]);
    // Another user's pages, in their own databases, are untouched.
    expect(notionPages(carol).sagasync.filter((p) => p.inTrash)).toEqual([]);

    // The library is the second export's, as a fresh import of it stores it (up to the times written).
    const titles = (await storage.listTitles(alice.id)).items.map((t) => t.asin);
    expect(titles).toEqual([...SECOND].sort());
    for (const asin of GONE) {
      expect(await storage.getProgress(alice.id, asin)).toBeNull();
      expect((await storage.listHistory(alice.id, asin)).items).toEqual([]);
    }
    // The manual finish was emptied with the rest: the export's 42 % stands.
    expect(await storage.getProgress(alice.id, 'B0DEMO0004')).toMatchObject({ percentComplete: 42, isFinished: false });
    expect(timeless(await libraryDump(storage, alice.id))).toEqual(timeless(await libraryDump(storage, `dave-${stage}`)));
    expect((await storage.listSeries(alice.id)).items.map((s) => s.title)).not.toContain('Hollow Pines Mysteries');

    // Kept: the Notion databases (the next push mirrors into them), rules, credentials, decisions, the run log.
    expect(await loadDatabases(storage, alice.id)).toEqual(databasesBefore);
    expect(await storage.getSetting(alice.id, 'rules')).toEqual({ novellasRequired: true, inferGaps: true });
    expect((await storage.listCredentialNames(alice.id)).items).toEqual(['audible:us:me@example.com']);
    expect((await storage.listDecisions(alice.id)).items).toHaveLength(1);
    expect((await readAll((cursor) => storage.listSyncRuns(alice.id, { cursor }))).length).toBe(runsBefore + 1);
    // The push lease the reset held is free again.
    await expectLeaseFree(alice.id);

    // Another owner's library is untouched.
    expect(await libraryDump(storage, carol.id, ['series', 'titles', 'progress', 'history', 'baselines', 'settings', 'credentials', 'decisions', 'mirrorRecords', 'links', 'trackerBooks', 'seriesAliases'])).toEqual(
      carolBefore,
    );

    // The next push mirrors the new library into the same databases, adopting the user's page again.
    const push = await pushToNotion({ ...ctx(alice.id), notion });
    expect(push.failures).toEqual([]);
    expect(push.books.created + push.books.adopted).toBeGreaterThanOrEqual(12);
  });

  it('finishes a reset interrupted after the Notion step (and again during the import) when run again', async () => {
    const bob = users.bob!;
    const steps: string[] = [];

    // 1. Stops while emptying, after every SagaSync page went to the trash.
    const first = failingOnce(storage, 'deleteTitle');
    const stopped = await runReset({ ...resetDeps(bob.id, first), onStep: (e) => steps.push(`${e.step}:${e.state}`) }, { records: await recordsOf(secondExport), source: 'second.tsv' }).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(ResetStepError);
    expect((stopped as ResetStepError).step).toBe('empty');
    expect(steps).toEqual(['notion:started', 'notion:done', 'empty:started']);
    expect(notionPages(bob).sagasync.filter((p) => !p.inTrash)).toEqual([]);
    expect((await storage.listMirrorRecords(bob.id)).items).toEqual([]);
    // The push lease was released: the next run (or a push) need not wait for it to expire.
    await expectLeaseFree(bob.id);

    // 2. Run again: it empties what was left, and stops in the import.
    const second = failingOnce(storage, 'putTitle');
    const again = await runReset(resetDeps(bob.id, second), { records: await recordsOf(secondExport), source: 'second.tsv' }).catch((e: unknown) => e);
    expect((again as ResetStepError).step).toBe('import');

    // 3. Once more, to the end.
    const requests = notionFake.stats.total;
    const summary = await runReset(resetDeps(bob.id), { records: await recordsOf(secondExport), source: 'second.tsv' });
    expect(summary.notion).toMatchObject({ skipped: false, trashed: { books: 0, series: 0 } });
    expect(notionFake.stats.total - requests).toBe(0);
    expect(summary.series.total).toBeGreaterThan(0);

    // The same end state as one uninterrupted reset: a fresh import of the export, at the same time.
    expect(await libraryDump(storage, bob.id)).toEqual(await libraryDump(storage, `dave-${stage}`));
    expect(notionPages(bob).own.map((p) => p.inTrash)).toEqual([false, false]);
  });

  it('waits for a running Notion push, then stops having changed nothing', async () => {
    const erin = users.erin!;
    const before = await libraryDump(storage, erin.id);
    const held = await storage.acquireLease(erin.id, { name: PUSH_LEASE, holder: 'a-push', ttlMs: 60_000, now: new Date() });
    expect(held).not.toBeNull();
    try {
      const error = await runReset({ ...resetDeps(erin.id), pushLeaseWaitMs: 300 }, { records: await recordsOf(secondExport), source: 'second.tsv' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'store_locked', message: expect.stringContaining('a Notion push is running') });
    } finally {
      await storage.releaseLease(erin.id, PUSH_LEASE, 'a-push');
    }
    expect(await libraryDump(storage, erin.id)).toEqual(before);
    expect(notionPages(erin).sagasync.filter((p) => p.inTrash)).toEqual([]);
    // The survey a plan is made from reads only.
    const survey = await surveyReset({ ...resetDeps(erin.id), notion: null });
    expect(survey.notion).toMatchObject({ configured: true, trashed: { books: 14 }, released: 1 });
    expect(survey.inventory.deletes).toMatchObject({ titles: 15, progress: 15, seriesAliases: 1, mirrorRecords: survey.notion.trashed.books + survey.notion.trashed.series + 1 });
    expect(survey.inventory.keeps).toMatchObject({ credentials: 1, decisions: 1, settings: expect.arrayContaining(['notion.databases', 'rules']) });
    expect(await libraryDump(storage, erin.id)).toEqual(before);
  });
});
