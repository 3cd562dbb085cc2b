import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SagaSyncError, VersionConflictError, type SeriesData } from '@sagasync/core';
import { bareTitle } from '@sagasync/storage/conformance';
import { describe, expect, it } from 'vitest';
import { createDynamoStorage, documentClientFor } from '../src/index.js';
import { suiteTable } from './table.js';

const table = suiteTable();
const ASIN = 'B000000001';
const T0 = '2024-03-01T10:00:00.000Z';
const series = (title: string): SeriesData => ({ key: 'B0SERIES01', asin: null, title, catalogueComplete: false, createdAt: T0, updatedAt: T0 });
const owner = () => `owner-${randomUUID()}`;
// Short backoffs: these tests retry on purpose.
const retry = { baseMs: 1, capMs: 5 };

/** A document client on the suite table that runs `before` ahead of every request and counts them by command. */
function watched(before: (command: object, count: number) => Promise<void> | void = () => {}) {
  const counts = new Map<string, number>();
  const client: DynamoDBDocumentClient = documentClientFor(table.client);
  const send = client.send.bind(client) as (command: object) => Promise<unknown>;
  client.send = (async (command: object) => {
    const name = command.constructor.name;
    const count = (counts.get(name) ?? 0) + 1;
    counts.set(name, count);
    await before(command, count);
    return send(command);
  }) as typeof client.send;
  return { counts, store: createDynamoStorage({ documentClient: client, tableName: table.tableName, retry }) };
}

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: `Transaction cancelled [${codes.join(', ')}]`, $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

async function failure(action: Promise<unknown>): Promise<SagaSyncError> {
  const error = await action.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!SagaSyncError.isInstance(error)) throw new Error(`expected a SagaSyncError, got ${String(error)}`);
  return error;
}

describe('transaction cancellations', () => {
  it("a caller's expectation that fails at commit is a VersionConflictError naming the version DynamoDB found", async () => {
    const id = owner();
    const { store } = watched();
    await store.applyBatch(id, [{ op: 'putSeries', value: series('v1') }]);
    await store.applyBatch(id, [{ op: 'putSeries', value: series('v2') }]);
    // An expected version is not read first: it is the transaction's condition, checked by DynamoDB.
    const error = await failure(
      store.applyBatch(id, [
        { op: 'putSetting', key: 'untouched', value: 1 },
        { op: 'putSeries', value: series('stale'), expectedVersion: 1 },
      ]),
    );
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error.details).toMatchObject({ entity: 'series', key: 'B0SERIES01', expected: 1, actual: 2 });
    expect(await store.getSetting(id, 'untouched')).toBeNull();
  });

  it('a condition of our own that fails (someone wrote between our read and our commit) plans the batch again', async () => {
    const id = owner();
    const other = createDynamoStorage({ documentClient: table.documentClient, tableName: table.tableName });
    await other.applyBatch(id, [{ op: 'putTitle', value: bareTitle(ASIN, { title: 'v1' }) }]);
    const { store, counts } = watched(async (command, count) => {
      if (command instanceof TransactWriteCommand && count === 1) await other.applyBatch(id, [{ op: 'putTitle', value: bareTitle(ASIN, { title: 'concurrent' }) }]);
    });
    await store.applyBatch(id, [{ op: 'putTitle', value: bareTitle(ASIN, { title: 'mine' }) }]);
    expect(counts.get('TransactWriteCommand')).toBe(2);
    expect(counts.get('BatchGetCommand')).toBe(2);
    expect(await store.getTitle(id, ASIN)).toMatchObject({ title: 'mine', version: 3 });
  });

  it('a transaction conflict is planned again; one still in progress is sent again with its token; a validation error is a storage failure', async () => {
    const id = owner();
    const tokens: unknown[] = [];
    const conflicted = watched((command, count) => {
      if (!(command instanceof TransactWriteCommand)) return;
      tokens.push(command.input.ClientRequestToken);
      if (count === 1) throw cancelled('None', 'TransactionConflict');
      if (count === 2) throw Object.assign(new Error('in progress'), { name: 'TransactionInProgressException' });
    });
    await conflicted.store.applyBatch(id, [
      { op: 'putSetting', key: 'a', value: 1 },
      { op: 'putSetting', key: 'b', value: 2 },
    ]);
    expect(conflicted.counts.get('TransactWriteCommand')).toBe(3);
    expect(tokens[1]).not.toBe(tokens[0]);
    expect(tokens[2]).toBe(tokens[1]);
    expect(await conflicted.store.getSetting(id, 'b')).toBe(2);

    const invalid = watched((command) => {
      if (command instanceof TransactWriteCommand) throw cancelled('ValidationError');
    });
    const error = await failure(invalid.store.applyBatch(id, [{ op: 'putSetting', key: 'c', value: 3 }]));
    expect(error.code).toBe('storage_failure');
    expect(invalid.counts.get('TransactWriteCommand')).toBe(1);
  });

  it('a transaction throttled on every attempt gives up with rate_limited; one that keeps conflicting with version_conflict', async () => {
    const id = owner();
    const throttled = watched((command) => {
      if (command instanceof TransactWriteCommand) throw cancelled('ThrottlingError');
    });
    expect((await failure(throttled.store.applyBatch(id, [{ op: 'putSetting', key: 'a', value: 1 }]))).code).toBe('rate_limited');
    expect(throttled.counts.get('TransactWriteCommand')).toBe(8);

    const conflicting = watched((command) => {
      if (command instanceof TransactWriteCommand) throw cancelled('TransactionConflict');
    });
    expect((await failure(conflicting.store.applyBatch(id, [{ op: 'putSetting', key: 'a', value: 1 }]))).code).toBe('version_conflict');
  });
});

describe('throttling', () => {
  it('a request throttled twice is sent a third time and succeeds', async () => {
    const id = owner();
    const { store, counts } = watched((command, count) => {
      if (command instanceof GetCommand && count <= 2) throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ThrottlingException' });
    });
    await store.applyBatch(id, [{ op: 'putTitle', value: bareTitle(ASIN) }]);
    expect(await store.getTitle(id, ASIN)).toMatchObject({ asin: ASIN, version: 1 });
    expect(counts.get('GetCommand')).toBe(3);
  });

  it('a request throttled on every attempt fails with rate_limited', async () => {
    const { store, counts } = watched((command) => {
      if (command instanceof GetCommand) throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
    });
    expect((await failure(store.getTitle(owner(), ASIN))).code).toBe('rate_limited');
    expect(counts.get('GetCommand')).toBe(8);
  });
});
