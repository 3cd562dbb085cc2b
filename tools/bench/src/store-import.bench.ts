import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createInlineJobRunner, showSeries } from '@sagasync/api';
import { parseExportFile } from '@sagasync/audible-parser';
import { applyListeningEvent, importLibrary, type LibraryRecords, type StoragePort } from '@sagasync/core';
import { createDynamoStorage, createTable, documentClientFor } from '@sagasync/storage-dynamodb';
import { createPostgresStorage, migratePostgres } from '@sagasync/storage-postgres';
import { openSqliteStorage } from '@sagasync/storage-sqlite';
import { startDynamoDbLocal, startPostgresCluster } from '@sagasync/test-services';
import pg from 'pg';
import { generateAudibleCliTsv } from './generators/audible-cli.js';
import { transactionWriteUnits } from './support/dynamo-item-size.js';
import { fmtMs, type BenchResult } from './support/measure.js';

const TITLES = 10_000;
const clock = () => new Date('2026-12-01T12:00:00.000Z');

interface Capacity {
  read: number;
  /** Write units as DynamoDB Local reports them. */
  write: number;
  /** Write units with transactions counted at the service's documented rate (see below). */
  billedWrite: number;
  /** What DynamoDB Local reported for TransactWriteItems alone. */
  localTransactWrite: number;
  /** Items put by transactions, and their billed size in bytes. */
  putItems: number;
  putBytes: number;
  requests: Map<string, number>;
}
const meter = (): Capacity => ({ read: 0, write: 0, billedWrite: 0, localTransactWrite: 0, putItems: 0, putBytes: 0, requests: new Map() });

/**
 * Issue 13's figures: the same 10,000-title import (core's importLibrary on one parsed library)
 * into SQLite, PostgreSQL and DynamoDB Local in one run, each with its ratio to SQLite; and what
 * DynamoDB charges, from ReturnConsumedCapacity: write units per title on a first import, writes
 * on an unchanged re-import, read units of one series report and one listening event.
 */
export async function runStoreImportBench(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sagasync-bench-stores-'));
  const [cluster, dynamoLocal] = await Promise.all([startPostgresCluster(), startDynamoDbLocal({ heapMb: 1024 })]);
  const cleanups: (() => Promise<void> | void)[] = [() => cluster.stop(), () => dynamoLocal.stop(), () => rmSync(dir, { recursive: true, force: true })];
  try {
    const file = join(dir, 'library-10k.tsv');
    await generateAudibleCliTsv(file, TITLES, 13);
    const parsed = await parseExportFile(file);
    if (!parsed.success) throw new Error('the generated library does not parse');
    const records = parsed.value.records;

    const sqlite = openSqliteStorage({ path: join(dir, 'store.db') });
    cleanups.unshift(() => sqlite.close());

    const admin = new pg.Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE bench');
    await admin.end();
    const pool = new pg.Pool({ connectionString: cluster.adminUrl.replace(/\/postgres$/, '/bench'), max: 4 });
    cleanups.unshift(() => pool.end());
    await migratePostgres(pool);
    const postgres = createPostgresStorage({ pool });

    const client = new DynamoDBClient({ endpoint: dynamoLocal.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    cleanups.unshift(() => client.destroy());
    await createTable(client, 'bench');
    cleanups.unshift(async () => void (await client.send(new DeleteTableCommand({ TableName: 'bench' }))));
    let capacity = meter();
    // DynamoDB Local reports ConsumedCapacity for TransactWriteItems, but not as the service bills
    // it (4 units per KB of one item, however many items the transaction writes; the service bills
    // 2 per KB of each). So each transaction is also priced from its own request body.
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers?: Record<string, string>; body?: string | Uint8Array };
        if (request.headers?.['x-amz-target'] === 'DynamoDB_20120810.TransactWriteItems' && request.body !== undefined) {
          const body = typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body);
          const priced = transactionWriteUnits(JSON.parse(body), ['gsi1pk', 'gsi2pk']);
          capacity.billedWrite += priced.units;
          capacity.putItems += priced.puts;
          capacity.putBytes += priced.bytes;
        }
        return next(args);
      },
      { step: 'build', name: 'sagasyncBenchTransactionPrice' },
    );
    const dynamo = createDynamoStorage({
      documentClient: documentClientFor(client),
      tableName: 'bench',
      onConsumedCapacity: ({ operation, readUnits, writeUnits }) => {
        capacity.read += readUnits;
        capacity.write += writeUnits;
        if (operation === 'TransactWriteItems') capacity.localTransactWrite += writeUnits;
        else capacity.billedWrite += writeUnits;
        capacity.requests.set(operation, (capacity.requests.get(operation) ?? 0) + 1);
      },
    });

    const timed = async (store: StoragePort, owner: string) => {
      const started = performance.now();
      const report = await importLibrary({ storage: store, ownerId: owner, clock }, records, { commit: true, source: 'library-10k.tsv', listLimit: 0 });
      const ms = performance.now() - started;
      if (report.summary.titles.created !== TITLES) throw new Error(`expected ${TITLES} titles created, got ${report.summary.titles.created}`);
      return ms;
    };
    const times: [string, number][] = [
      ['SQLite', await timed(sqlite, 'bench')],
      ['PostgreSQL', await timed(postgres, 'bench')],
    ];
    capacity = meter();
    times.push(['DynamoDB Local', await timed(dynamo, 'bench')]);
    const firstImport = capacity;

    capacity = meter();
    const again = await importLibrary({ storage: dynamo, ownerId: 'bench', clock }, records, { commit: true, source: 'library-10k.tsv', listLimit: 0 });
    const reImport = capacity;

    const seriesName = firstSeriesName(records);
    capacity = meter();
    const ctx = { storage: dynamo, ownerId: 'bench', clock, jobs: createInlineJobRunner(), services: {} };
    const shown = await showSeries(ctx, seriesName);
    if (shown.items.length === 0) throw new Error(`series "${seriesName}" not found`);
    const seriesRead = capacity;

    const finished = new Set(records.progress.filter((p) => p.isFinished).map((p) => p.asin));
    const asin = records.titles.find((t) => t.owned && t.series.length > 0 && !finished.has(t.asin))!.asin;
    capacity = meter();
    await applyListeningEvent({ storage: dynamo, ownerId: 'bench', clock }, { asin, kind: 'finished', source: 'webhook' });
    const event = capacity;

    const sqliteMs = times[0]![1];
    const lines = times.map(([name, ms]) => `${name}: import of ${TITLES.toLocaleString('en-US')} titles ${fmtMs(ms)} (${(ms / sqliteMs).toFixed(2)}x SQLite)`);
    const units = (c: Capacity) =>
      `${c.read.toFixed(1)} RCU, ${c.billedWrite.toFixed(1)} WCU billed (Local reported ${c.write.toFixed(1)}) in ${[...c.requests].map(([op, n]) => `${n} ${op}`).join(', ') || 'no requests'}`;
    lines.push(
      `DynamoDB first import: ${(firstImport.billedWrite / TITLES).toFixed(2)} WCU per title billed at the documented rates (${units(firstImport)}; Local's own transaction figure: ${firstImport.localTransactWrite.toFixed(0)} WCU; ${firstImport.putItems.toLocaleString('en-US')} records put in transactions, ${Math.round(firstImport.putBytes / firstImport.putItems)} bytes on average)`,
      `DynamoDB unchanged re-import: ${reImport.billedWrite.toFixed(1)} WCU (${again.summary.titles.unchanged.toLocaleString('en-US')} titles unchanged; ${units(reImport)})`,
      `DynamoDB one series report ("${seriesName}", ${shown.items[0]!.volumes?.length ?? '?'} volumes): ${units(seriesRead)}`,
      `DynamoDB one listening event (finished): ${units(event)}`,
    );
    // The run log is the one write an unchanged re-import makes (a record that an import ran).
    const reImportLibraryWrites = [...reImport.requests.keys()].some((op) => op === 'BatchWriteItem');
    return { name: 'store-import (issue 13)', lines, ok: !reImportLibraryWrites };
  } finally {
    for (const cleanup of cleanups) {
      try {
        await cleanup();
      } catch {
        // Best effort: the services are stopped whatever else failed.
      }
    }
  }
}

/** The name of the series with the most volumes: the report a reader of a long saga asks for. */
function firstSeriesName(records: LibraryRecords): string {
  const volumes = new Map<string, number>();
  for (const title of records.titles) for (const member of title.series) volumes.set(member.seriesTitle, (volumes.get(member.seriesTitle) ?? 0) + 1);
  const [name] = [...volumes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? [];
  if (!name) throw new Error('no title in a series');
  return name;
}
