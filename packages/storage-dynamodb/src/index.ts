/**
 * @sagasync/storage-dynamodb: the library and directory ports on one DynamoDB table
 * (@aws-sdk/lib-dynamodb), with the table's definition and a `createTable` helper the CDK stack
 * and `sagasync store copy` share.
 */
export { tableDefinition, createTableInput, createTable, type TableDefinition } from './table/table-definition.js';
export { createDocumentClient, documentClientFor } from './client/document-client.js';
export { withThrottlingRetry, isThrottling, backoffMs, type RetryOptions } from './client/retry.js';
export { batchWriteAll, BATCH_WRITE_LIMIT, type WriteRequest } from './client/batch-write.js';

// directory port
export { createDynamoDirectory, type DynamoDirectoryOptions } from './directory/dynamo-directory.js';

// library port
export { createDynamoStorage, DYNAMO_MAX_OPERATIONS_PER_BATCH, type DynamoStorageOptions } from './library/dynamo-storage.js';
export type { ConsumedCapacity } from './library/table-client.js';
