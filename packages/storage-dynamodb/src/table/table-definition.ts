import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

/**
 * The one table both ports live in (single-table design). The CDK stack builds its table from this
 * same object, so tests, `store copy` and AWS use one definition. Every key attribute is a string;
 * items name their kind in `sk` (see the README's access patterns).
 */
export const tableDefinition = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  /** Overloaded indexes: each item kind that needs a second way in writes its own gsi keys. */
  globalSecondaryIndexes: [
    { indexName: 'gsi1', partitionKey: { name: 'gsi1pk', type: 'S' }, sortKey: { name: 'gsi1sk', type: 'S' }, projection: 'ALL' },
    { indexName: 'gsi2', partitionKey: { name: 'gsi2pk', type: 'S' }, sortKey: { name: 'gsi2sk', type: 'S' }, projection: 'ALL' },
  ],
  /** Epoch seconds; DynamoDB deletes expired items in the background, reads still check expiry themselves. */
  timeToLiveAttribute: 'ttl',
  /** On-demand: a library import is bursty and idle between. */
  billingMode: 'PAY_PER_REQUEST',
} as const;

export type TableDefinition = typeof tableDefinition;

/** The CreateTable request for `tableName` (on-demand, both indexes projecting every attribute). */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const d = tableDefinition;
  const attributes = new Map<string, 'S'>();
  for (const key of [d.partitionKey, d.sortKey, ...d.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey])]) attributes.set(key.name, key.type);
  return {
    TableName: tableName,
    BillingMode: d.billingMode,
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: [
      { AttributeName: d.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: d.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: d.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: index.projection },
    })),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates the table when it does not exist, waits until it and its indexes are ACTIVE and turns
 * time-to-live on. Safe to call from several processes at once. `created` says whether this call made it.
 */
export async function createTable(client: DynamoDBClient, tableName: string, options: { timeoutMs?: number } = {}): Promise<{ created: boolean }> {
  let created = false;
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    created = true;
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
      if (Table?.TableStatus === 'ACTIVE' && indexesActive) break;
    } catch (error) {
      // Just created elsewhere and not yet visible.
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    if (Date.now() > deadline) throw new Error(`table ${tableName} did not become ACTIVE in time`);
    await sleep(200);
  }
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  if (status !== 'ENABLED' && status !== 'ENABLING') {
    try {
      await client.send(
        new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true } }),
      );
    } catch (error) {
      // Another process turned it on between our describe and update.
      if (!(error instanceof Error && /already enabled/i.test(error.message))) throw error;
    }
  }
  return { created };
}
