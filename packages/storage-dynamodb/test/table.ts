import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, inject } from 'vitest';
import { createTable, documentClientFor } from '../src/index.js';

/** A low-level client on the test run's DynamoDB Local (dummy credentials; nothing leaves loopback). */
export function localClient(): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: inject('dynamoEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 3,
  });
}

/**
 * A table of the suite's own on the shared DynamoDB Local, created before the suite's tests and
 * deleted after them. Read `.client`, `.documentClient` and `.tableName` inside tests.
 */
export function suiteTable() {
  const tableName = `sagasync-${randomUUID()}`;
  const state = { client: null as DynamoDBClient | null, documentClient: null as DynamoDBDocumentClient | null };
  beforeAll(async () => {
    state.client = localClient();
    state.documentClient = documentClientFor(state.client);
    await createTable(state.client, tableName);
  });
  afterAll(async () => {
    await state.client?.send(new DeleteTableCommand({ TableName: tableName }));
    state.client?.destroy();
  });
  const need = <T>(value: T | null): T => {
    if (!value) throw new Error('the suite table is only available inside a test');
    return value;
  };
  return {
    tableName,
    get client(): DynamoDBClient {
      return need(state.client);
    },
    get documentClient(): DynamoDBDocumentClient {
      return need(state.documentClient);
    },
  };
}
