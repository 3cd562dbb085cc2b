import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SagaSyncError, type StoragePort, type Title, type TitleData } from '@sagasync/core';
import { bareTitle } from '@sagasync/storage/conformance';
import { describe, expect, it } from 'vitest';
import { createDynamoStorage, documentClientFor } from '../src/index.js';
import { localClient, suiteTable } from './table.js';

const table = suiteTable();
const ASINS = Array.from({ length: 6 }, (_, i) => `B00000000${i}`);
const SERIES = ['s:1', 's:2', 's:3', 's:4'];

function member(seriesKey: string): TitleData['series'][number] {
  return { seriesKey, seriesAsin: null, seriesTitle: seriesKey, sequence: '1', position: { kind: 'number', value: 1 } };
}

/** A store of its own: its own SDK client, as another process would have. */
function separateStore(): StoragePort {
  return createDynamoStorage({ documentClient: documentClientFor(localClient()), tableName: table.tableName });
}

/** Read-modify-write of every title in one batch, with the versions read as expectations, again after each conflict. */
async function round(store: StoragePort, owner: string, writer: string, n: number): Promise<void> {
  for (let attempt = 1; attempt <= 200; attempt++) {
    const titles = await store.getTitles(owner, ASINS);
    const operations = titles.map(({ ownerId: _owner, version, ...title }: Title) => ({
      op: 'putTitle' as const,
      // Each round moves every title to other series: hints are written and deleted concurrently.
      value: { ...title, authors: [...title.authors, `${writer}-${n}`], series: [member(SERIES[(n + attempt) % 4]!), member(SERIES[(n + attempt + 1) % 4]!)] },
      expectedVersion: version,
    }));
    try {
      await store.applyBatch(owner, operations);
      return;
    } catch (error) {
      if (!SagaSyncError.isInstance(error) || error.code !== 'version_conflict') throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10));
    }
  }
  throw new Error(`${writer} gave up`);
}

async function hintsOf(owner: string): Promise<Set<string>> {
  const answer = await table.documentClient.send(
    new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `O#${owner}#SM` }, ConsistentRead: true }),
  );
  return new Set((answer.Items ?? []).map((item) => `${item.sek}|${item.asin}`));
}

describe('two stores writing the same titles at once', () => {
  it('lose no update, and every membership keeps its hint', async () => {
    const owner = `owner-${randomUUID()}`;
    const [a, b] = [separateStore(), separateStore()];
    await a.applyBatch(
      owner,
      ASINS.map((asin) => ({ op: 'putTitle' as const, value: bareTitle(asin, { series: [member('s:1')] }) })),
    );
    const rounds = 5;
    await Promise.all([
      (async () => {
        for (let n = 0; n < rounds; n++) await round(a, owner, 'a', n);
      })(),
      (async () => {
        for (let n = 0; n < rounds; n++) await round(b, owner, 'b', n);
      })(),
    ]);

    const titles = await a.getTitles(owner, ASINS);
    for (const title of titles) {
      expect([...title.authors].sort()).toEqual([...Array.from({ length: rounds }, (_, n) => [`a-${n}`, `b-${n}`])].flat().sort());
      expect(title.version).toBe(1 + 2 * rounds);
    }
    // The superset the reads rely on: a hint for every membership.
    const hints = await hintsOf(owner);
    for (const title of titles) for (const m of title.series) expect(hints.has(`${m.seriesKey}|${title.asin}`), `${m.seriesKey}|${title.asin}`).toBe(true);
    for (const key of SERIES) {
      const expected = titles.filter((title) => title.series.some((m) => m.seriesKey === key)).map((title) => title.asin)
        .sort();
      expect((await b.listTitles(owner, { seriesKeys: [key] })).items.map((title) => title.asin)).toEqual(expected);
    }
  }, 120_000);

  it('count every unconditional put in the version: a put that lost its read to the other store is planned again', async () => {
    const owner = `owner-${randomUUID()}`;
    const [a, b] = [separateStore(), separateStore()];
    const asin = ASINS[0]!;
    const puts = (store: StoragePort, writer: string) =>
      Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          store.applyBatch(owner, [
            { op: 'putTitle', value: bareTitle(asin, { title: `${writer} ${i}`, series: [member(SERIES[i % 4]!)] }) },
            { op: 'putSetting', key: `${writer}-${i}`, value: i },
          ]),
        ),
      );
    await Promise.all([puts(a, 'a'), puts(b, 'b')]);
    const title = await a.getTitle(owner, asin);
    expect(title?.version).toBe(10);
    expect((await hintsOf(owner)).has(`${title!.series[0]!.seriesKey}|${asin}`)).toBe(true);
    expect((await a.listSettings(owner)).items).toHaveLength(10);
  }, 120_000);
});
