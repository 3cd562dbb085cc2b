import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { batchWriteAll, createTable, tableDefinition } from '../src/index.js';
import { suiteTable } from './table.js';

const table = suiteTable();

describe('table definition', () => {
  it('creates the table on demand with both indexes and time-to-live, and a second call finds it', async () => {
    const { Table } = await table.client.send(new DescribeTableCommand({ TableName: table.tableName }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(['gsi1', 'gsi2']);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const ttl = await table.client.send(new DescribeTimeToLiveCommand({ TableName: table.tableName }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: tableDefinition.timeToLiveAttribute, TimeToLiveStatus: 'ENABLED' });
    expect(await createTable(table.client, table.tableName)).toEqual({ created: false });
  });

  it('batch-writes more than 25 items in several requests', async () => {
    const items = Array.from({ length: 60 }, (_, i) => ({ PutRequest: { Item: { pk: 'batch-test', sk: String(i).padStart(3, '0') } } }));
    await batchWriteAll(table.documentClient, table.tableName, items);
    await table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: { pk: 'batch-test', sk: 'z' } }));
  });
});
