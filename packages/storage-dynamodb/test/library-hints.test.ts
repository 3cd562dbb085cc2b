import { randomUUID } from 'node:crypto';
import { DeleteCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page, Title, TitleData } from '@sagasync/core';
import { bareTitle } from '@sagasync/storage/conformance';
import { describe, expect, it } from 'vitest';
import { createDynamoStorage, documentClientFor } from '../src/index.js';
import { suiteTable } from './table.js';

const table = suiteTable();
const ASIN = 'B000000001';

function member(seriesKey: string): TitleData['series'][number] {
  return { seriesKey, seriesAsin: null, seriesTitle: seriesKey, sequence: '1', position: { kind: 'number', value: 1 } };
}
const inSeries = (...keys: string[]) => bareTitle(ASIN, { series: keys.map(member) });
const asins = (page: Page<Title>) => page.items.map((title) => title.asin);

/** A document client on the suite table whose requests fail where `fault` says, as a crash there would. */
function failing(fault: (command: object) => Error | undefined): DynamoDBDocumentClient {
  const client = documentClientFor(table.client);
  const send = client.send.bind(client) as (command: object) => Promise<unknown>;
  client.send = (async (command: object) => {
    const error = fault(command);
    if (error) throw error;
    return send(command);
  }) as typeof client.send;
  return client;
}

const store = (documentClient: DynamoDBDocumentClient = table.documentClient) => createDynamoStorage({ documentClient, tableName: table.tableName });

/** The owner's hints as stored, `series|asin`, read with a Query of their partition. */
async function hintsOf(owner: string): Promise<string[]> {
  const answer = await table.documentClient.send(
    new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `O#${owner}#SM` }, ConsistentRead: true }),
  );
  return (answer.Items ?? []).map((item) => `${item.sek}|${item.asin}`);
}

describe('series membership hints', () => {
  it('a transaction that fails after its hints were written shows nothing wrong, and the next write of the title cleans up', async () => {
    const owner = `owner-${randomUUID()}`;
    await store().applyBatch(owner, [{ op: 'putTitle', value: inSeries('s:0') }]);

    const crashing = store(failing((command) => (command instanceof TransactWriteCommand ? new Error('simulated crash before the commit') : undefined)));
    await expect(crashing.applyBatch(owner, [{ op: 'putTitle', value: inSeries('s:1', 's:2') }])).rejects.toThrow('simulated crash');

    // The hints are a superset; every read checks them against the title.
    expect(await hintsOf(owner)).toEqual([`s:0|${ASIN}`, `s:1|${ASIN}`, `s:2|${ASIN}`]);
    expect(asins(await store().listTitles(owner, { seriesKeys: ['s:1', 's:2'] }))).toEqual([]);
    expect(asins(await store().listTitles(owner, { seriesKeys: ['s:0'] }))).toEqual([ASIN]);
    expect(await store().getTitle(owner, ASIN)).toMatchObject({ version: 1, series: [member('s:0')] });

    await store().applyBatch(owner, [{ op: 'putTitle', value: inSeries('s:3') }]);
    expect(await hintsOf(owner)).toEqual([`s:3|${ASIN}`]);
    expect(asins(await store().listTitles(owner, { seriesKeys: ['s:0', 's:1', 's:2', 's:3'] }))).toEqual([ASIN]);
  });

  it('a rerun of the failed batch needs the hints it left and keeps them', async () => {
    const owner = `owner-${randomUUID()}`;
    const batch = [{ op: 'putTitle' as const, value: inSeries('s:1'), expectedVersion: null }];
    const crashing = store(failing((command) => (command instanceof TransactWriteCommand ? new Error('simulated crash before the commit') : undefined)));
    await expect(crashing.applyBatch(owner, batch)).rejects.toThrow('simulated crash');
    expect(asins(await store().listTitles(owner, { seriesKeys: ['s:1'] }))).toEqual([]);

    await store().applyBatch(owner, batch);
    expect(await hintsOf(owner)).toEqual([`s:1|${ASIN}`]);
    expect(asins(await store().listTitles(owner, { seriesKeys: ['s:1'] }))).toEqual([ASIN]);
  });

  it('a crash after the commit, before the stale hints are deleted, still lists right, and the rerun deletes them', async () => {
    const owner = `owner-${randomUUID()}`;
    await store().applyBatch(owner, [{ op: 'putTitle', value: inSeries('s:0') }]);

    const noCleanup = store(failing((command) => (command instanceof DeleteCommand ? new Error('simulated crash after the commit') : undefined)));
    // The batch committed: the caller is told so, whatever the cleanup met.
    expect(await noCleanup.applyBatch(owner, [{ op: 'putTitle', value: inSeries('s:1') }])).toEqual({ applied: 1 });
    expect(await hintsOf(owner)).toEqual([`s:0|${ASIN}`, `s:1|${ASIN}`]);
    expect(asins(await store().listTitles(owner, { seriesKeys: ['s:0'] }))).toEqual([]);
    expect(asins(await store().listTitles(owner, { seriesKeys: ['s:1'] }))).toEqual([ASIN]);

    // The same write again (an import run a second time) finds the leftover through the title's index partition.
    await store().applyBatch(owner, [{ op: 'putTitle', value: inSeries('s:1') }]);
    expect(await hintsOf(owner)).toEqual([`s:1|${ASIN}`]);
  });

  it('a title deleted after a failed write leaves no hint at all', async () => {
    const owner = `owner-${randomUUID()}`;
    await store().applyBatch(owner, [{ op: 'putTitle', value: inSeries('s:0', 's:1') }]);
    const crashing = store(failing((command) => (command instanceof TransactWriteCommand ? new Error('simulated crash before the commit') : undefined)));
    await expect(crashing.applyBatch(owner, [{ op: 'putTitle', value: inSeries('s:2') }])).rejects.toThrow('simulated crash');
    await store().applyBatch(owner, [{ op: 'deleteTitle', asin: ASIN }]);
    expect(await hintsOf(owner)).toEqual([]);
  });

  it('writes no hint that exists already: an update that keeps the series sends no BatchWriteItem', async () => {
    const owner = `owner-${randomUUID()}`;
    await store().applyBatch(owner, [{ op: 'putTitle', value: inSeries('s:0', 's:1') }]);
    const operations: string[] = [];
    const watched = createDynamoStorage({
      documentClient: table.documentClient,
      tableName: table.tableName,
      onConsumedCapacity: (capacity) => operations.push(capacity.operation),
    });
    await watched.applyBatch(owner, [{ op: 'putTitle', value: { ...inSeries('s:1', 's:0'), title: 'Renamed' } }]);
    expect(operations).not.toContain('BatchWriteItem');
    expect(operations).toContain('TransactWriteItems');
    expect(await hintsOf(owner)).toEqual([`s:0|${ASIN}`, `s:1|${ASIN}`]);
  });
});
