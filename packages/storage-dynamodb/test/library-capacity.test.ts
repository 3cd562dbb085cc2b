import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { importLibrary, type LibraryRecords } from '@sagasync/core';
import { bareTitle } from '@sagasync/storage/conformance';
import { describe, expect, it } from 'vitest';
import { createDynamoStorage, documentClientFor, type ConsumedCapacity } from '../src/index.js';
import { suiteTable } from './table.js';

const table = suiteTable();
const ASIN = 'B000000001';
const CLOCK = () => new Date('2024-03-01T10:00:00.000Z');
const member = { seriesKey: 'B0SERIES01', seriesAsin: 'B0SERIES01', seriesTitle: 'Saga', sequence: '1', position: { kind: 'number' as const, value: 1 } };

/** A document client on the suite table that records every request's input. */
function recording(): { client: DynamoDBDocumentClient; inputs: Record<string, unknown>[] } {
  const inputs: Record<string, unknown>[] = [];
  const client = documentClientFor(table.client);
  const send = client.send.bind(client) as (command: { input: Record<string, unknown> }) => Promise<unknown>;
  client.send = ((command: { input: Record<string, unknown> }) => {
    inputs.push(command.input);
    return send(command);
  }) as typeof client.send;
  return { client, inputs };
}

/** `n` titles in series of 5, every third with progress. */
function library(n: number): LibraryRecords {
  const titles = Array.from({ length: n }, (_, i) => {
    const key = `B0SER${String(Math.floor(i / 5)).padStart(5, '0')}`;
    return {
      asin: `B${String(i + 1).padStart(9, '0')}`,
      title: `Volume ${i + 1}`,
      authors: ['An Author'],
      narrators: ['A Narrator'],
      owned: true,
      series: [{ seriesKey: key, seriesAsin: key, seriesTitle: `Saga ${Math.floor(i / 5)}`, sequence: String((i % 5) + 1), position: { kind: 'number' as const, value: (i % 5) + 1 } }],
    };
  });
  const progress = titles.filter((_, i) => i % 3 === 0).map((t) => ({ asin: t.asin, percentComplete: 35, isFinished: false, observedAt: '2024-02-01T00:00:00.000Z' }));
  return { titles, series: [], progress };
}

describe('consumed capacity', () => {
  it('is reported for every request, with the API call and the port method, only when asked for', async () => {
    const owner = `owner-${randomUUID()}`;
    const used: ConsumedCapacity[] = [];
    const store = createDynamoStorage({ documentClient: table.documentClient, tableName: table.tableName, onConsumedCapacity: (capacity) => used.push(capacity) });
    await store.applyBatch(owner, [{ op: 'putTitle', value: bareTitle(ASIN, { series: [member] }) }]);
    await store.getTitle(owner, ASIN);
    await store.listTitles(owner, { seriesKeys: ['B0SERIES01'] });
    const seen = (operation: string, method: string) => used.filter((c) => c.operation === operation && c.method === method);
    expect(seen('BatchWriteItem', 'applyBatch')[0]?.writeUnits).toBe(2); // the hint and its gsi1 copy
    expect(seen('UpdateItem', 'applyBatch')[0]?.writeUnits).toBe(1); // the hint sequence
    // DynamoDB Local does answer ConsumedCapacity for TransactWriteItems (though not by the real rules: see the docs).
    expect(seen('TransactWriteItems', 'applyBatch')[0]?.writeUnits).toBeGreaterThan(0);
    expect(seen('GetItem', 'getTitle')[0]).toMatchObject({ readUnits: 1, writeUnits: 0 });
    expect(seen('Query', 'listTitles')).toHaveLength(1);
    expect(seen('BatchGetItem', 'listTitles')[0]?.readUnits).toBe(1);

    const { client, inputs } = recording();
    const quiet = createDynamoStorage({ documentClient: client, tableName: table.tableName });
    await quiet.applyBatch(owner, [{ op: 'putTitle', value: bareTitle(ASIN, { series: [member], title: 'Again' }) }]);
    await quiet.listTitles(owner, { seriesKeys: ['B0SERIES01'] });
    expect(inputs.length).toBeGreaterThan(3);
    expect(inputs.filter((input) => input.ReturnConsumedCapacity !== undefined)).toEqual([]);
  });

  it('an import of unchanged records writes nothing but its sync-run row', async () => {
    const owner = `owner-${randomUUID()}`;
    const used: ConsumedCapacity[] = [];
    const store = createDynamoStorage({ documentClient: table.documentClient, tableName: table.tableName, onConsumedCapacity: (capacity) => used.push(capacity) });
    const records = library(200);
    const first = await importLibrary({ storage: store, ownerId: owner, clock: CLOCK }, records, { commit: true, source: 'library.tsv' });
    expect(first.summary.titles.created).toBe(200);
    used.length = 0;

    const again = await importLibrary({ storage: store, ownerId: owner, clock: CLOCK }, records, { commit: true, source: 'library.tsv' });
    expect(again.summary.titles).toMatchObject({ created: 0, updated: 0, unchanged: 200 });
    const writes = used.filter((capacity) => capacity.writeUnits > 0);
    expect(writes.map((capacity) => capacity.operation)).toEqual(['TransactWriteItems']);
    expect(used.filter((capacity) => ['BatchWriteItem', 'UpdateItem', 'PutItem', 'DeleteItem'].includes(capacity.operation))).toEqual([]);
  });
});
