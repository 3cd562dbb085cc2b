import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTable, documentClientFor } from '@sagasync/storage-dynamodb';
import { afterAll, beforeAll, inject } from 'vitest';
import { localDynamoClient } from './import-runtime.js';

/** A table of the suite's own on the run's DynamoDB Local, made before its tests and deleted after. */
export function suiteTable() {
  const tableName = `sagasync-lambda-${randomUUID()}`;
  const state = { client: null as DynamoDBClient | null, documentClient: null as DynamoDBDocumentClient | null };
  beforeAll(async () => {
    state.client = localDynamoClient(inject('dynamoEndpoint'));
    state.documentClient = documentClientFor(state.client);
    await createTable(state.client, tableName);
  });
  afterAll(async () => {
    await state.client?.send(new DeleteTableCommand({ TableName: tableName }));
    state.client?.destroy();
  });
  return {
    tableName,
    get documentClient(): DynamoDBDocumentClient {
      if (!state.documentClient) throw new Error('the suite table is only there inside a test');
      return state.documentClient;
    },
  };
}
