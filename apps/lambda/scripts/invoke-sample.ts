// `npm run invoke:sample`: the import workflow on the example library (examples/library.tsv and
// examples/series-metadata.json), run locally as the tests run it: the checked-in ASL with
// aws-local-stepfunctions, each Task state bound to the real task function, against DynamoDB
// Local, fake-audible and fake-notion (all started here, all on loopback, stopped at the end).
// Prints each state as it runs and the finished job; exits 0 when the job succeeded.
import '../test/node20-shim.js';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { loadJob } from '@sagasync/api';
import { parseExportFile } from '@sagasync/audible-parser';
import type { LibraryRecords } from '@sagasync/core';
import { startFakeAudible } from '@sagasync/fake-audible';
import { startFakeNotion } from '@sagasync/fake-notion';
import { setupNotion } from '@sagasync/notion-mirror';
import { createTable, documentClientFor } from '@sagasync/storage-dynamodb';
import { startDynamoDbLocal } from '@sagasync/test-services';
import { importTasks, localDynamoClient, startImportJob, testRuntime } from '../test/support/import-runtime.js';
import { loadWorkflow, runLocalWorkflow, type WorkflowEvent } from '../test/support/local-workflow.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
const FILES = ['library.tsv', 'series-metadata.json'];
const OWNER = 'sample';

async function exampleRecords(): Promise<LibraryRecords> {
  const records: LibraryRecords = { titles: [], series: [], progress: [] };
  for (const file of FILES) {
    const parsed = await parseExportFile(`${EXAMPLES}${file}`, { fileName: file });
    if (!parsed.success) throw new Error(`examples/${file} does not parse: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    records.titles.push(...parsed.value.records.titles);
    records.series.push(...parsed.value.records.series);
    records.progress.push(...parsed.value.records.progress);
  }
  return records;
}

/** What a state added to or changed in its input (its result, where its ResultPath put it). */
function added(input: unknown, output: unknown): unknown {
  if (typeof input !== 'object' || input === null || typeof output !== 'object' || output === null || Array.isArray(output)) return output;
  const before = input as Record<string, unknown>;
  const changed = Object.entries(output).filter(([key, value]) => JSON.stringify(before[key]) !== JSON.stringify(value));
  return changed.length === 0 ? undefined : Object.fromEntries(changed);
}

/** Long lists cut to their first three, with a count of the rest. */
function shortened(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) => (Array.isArray(v) && v.length > 3 && typeof v[0] === 'object' ? [...v.slice(0, 3), `... ${v.length - 3} more`] : v));
}

function printEvent(event: WorkflowEvent): void {
  const at = new Date(event.timestamp).toISOString().slice(11, 23);
  const e = event as { type: string; state?: { name: string; input?: unknown; output?: unknown }; index?: number; Error?: string; Cause?: unknown; retry?: { attempt: number } };
  const where = e.state ? `${e.state.name}${e.index !== undefined ? `[${e.index}]` : ''}` : '';
  switch (e.type) {
    case 'StateEntered':
      console.log(`${at}  -> ${where}`);
      break;
    case 'StateExited':
      {
        const result = added(e.state?.input, e.state?.output);
        console.log(`${at}  <- ${where}${result === undefined ? '' : `  ${JSON.stringify(result)}`}`);
      }
      break;
    case 'StateRetried':
      console.log(`${at}  ~  ${where} retried (attempt ${e.retry?.attempt ?? '?'})`);
      break;
    case 'StateFailed':
    case 'StateCaught':
    case 'ExecutionFailed':
      console.log(`${at}  !  ${e.type} ${where} ${e.Error ?? ''} ${typeof e.Cause === 'string' ? e.Cause : ''}`.trimEnd());
      break;
    case 'ExecutionSucceeded':
      console.log(`${at}  execution succeeded`);
      break;
    default:
      break;
  }
}

async function main(): Promise<number> {
  const stops: (() => Promise<void> | void)[] = [];
  try {
    console.log('Starting DynamoDB Local, fake-audible and fake-notion ...');
    const dynamo = await startDynamoDbLocal();
    stops.push(() => dynamo.stop());
    const audible = await startFakeAudible({ titles: 10, series: 2, seed: 1 });
    stops.push(() => audible.close());
    const notion = await startFakeNotion({ seed: 1 });
    stops.push(() => notion.close());

    const client = localDynamoClient(dynamo.endpoint);
    stops.push(() => client.destroy());
    const tableName = `sagasync-sample-${randomUUID().slice(0, 8)}`;
    await createTable(client, tableName);
    const runtime = await testRuntime({ documentClient: documentClientFor(client), tableName, audibleUrl: audible.apiUrl, notionUrl: notion.url, notionToken: notion.token });
    // The sample owner mirrors to Notion: databases set up on a page of the fake workspace.
    await setupNotion({ storage: runtime.storage, ownerId: OWNER, notion: { token: notion.token, baseUrl: notion.url, requestsPerSecond: 100 } }, { parentPageId: notion.state.addParentPage('SagaSync sample') });

    const records = await exampleRecords();
    const { job, execution } = await startImportJob(runtime, OWNER, { records, source: FILES.join(' + '), commit: true });
    console.log(`Import job ${job.id}: ${records.titles.length} titles, ${records.series.length} series, ${records.progress.length} progress reports; execution input ${JSON.stringify(execution)}`);
    const workflow = loadWorkflow('import.asl.json');
    const result = await runLocalWorkflow(workflow, execution, { tasks: importTasks(runtime, { notion: { requestsPerSecond: 100 } }), onEvent: printEvent, waitMs: 100 });

    const finished = await loadJob({ storage: runtime.storage, ownerId: OWNER }, job.id, runtime.clock());
    const stored = await runtime.storage.listTitles(OWNER);
    console.log(`\nExecution ${result.status}. The store holds ${stored.items.length} titles; Notion holds ${notion.state.pages.size} pages.`);
    console.log(`GET /api/jobs/${job.id}:`);
    console.log(JSON.stringify(shortened(finished), null, 2));
    return result.status === 'succeeded' && finished.state === 'succeeded' ? 0 : 1;
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
