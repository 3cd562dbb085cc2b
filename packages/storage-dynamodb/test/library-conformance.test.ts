import { paginateScan } from '@aws-sdk/lib-dynamodb';
import type { StoragePort } from '@sagasync/core';
import { runStorageConformance } from '@sagasync/storage/conformance';
import { createDynamoStorage } from '../src/index.js';
import { suiteTable } from './table.js';

// One table for the suite; every test writes under random owners, so the tests share it.
const table = suiteTable();

/**
 * Every item whose partition key is one of the owner's (`O#<owner>#...`), read with a Scan: fine
 * in a test, and it finds what no Query of the adapter would look for (items under a stray key).
 */
async function rawRows(_store: StoragePort, ownerId: string): Promise<unknown[]> {
  const found: unknown[] = [];
  const pages = paginateScan(
    { client: table.documentClient },
    { TableName: table.tableName, FilterExpression: 'begins_with(pk, :owner)', ExpressionAttributeValues: { ':owner': `O#${ownerId}#` }, ConsistentRead: true },
  );
  for await (const page of pages) found.push(...(page.Items ?? []));
  return found;
}

runStorageConformance({
  name: 'dynamodb',
  create: async () => createDynamoStorage({ documentClient: table.documentClient, tableName: table.tableName }),
  rawRows,
});
