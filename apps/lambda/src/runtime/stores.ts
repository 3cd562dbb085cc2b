import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DirectoryPort, StoragePort } from '@sagasync/core';
import { createDocumentClient, createDynamoDirectory, createDynamoStorage } from '@sagasync/storage-dynamodb';

export interface LambdaStores {
  storage: StoragePort;
  directory: DirectoryPort;
  documentClient: DynamoDBDocumentClient;
}

/**
 * The library and directory ports on the deployment's one table. Made once per container (at
 * initialisation) and reused by every invocation; the SDK client keeps its connections.
 */
export function openLambdaStores(options: { tableName: string; documentClient?: DynamoDBDocumentClient }): LambdaStores {
  const documentClient = options.documentClient ?? createDocumentClient();
  return {
    storage: createDynamoStorage({ documentClient, tableName: options.tableName }),
    directory: createDynamoDirectory({ documentClient, tableName: options.tableName }),
    documentClient,
  };
}
