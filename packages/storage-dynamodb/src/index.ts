/**
 * @sagasync/storage-dynamodb: the library and directory ports on one DynamoDB table
 * (@aws-sdk/lib-dynamodb), with the table's definition and a `createTable` helper the CDK stack
 * and `sagasync store copy` share.
 */
export { tableDefinition, createTableInput, createTable, type TableDefinition } from './table/table-definition.js';
export { createDocumentClient, documentClientFor } from './client/document-client.js';
export { withThrottlingRetry, isThrottling, backoffMs, type RetryOptions } from './client/retry.js';
export { batchWriteAll, BATCH_WRITE_LIMIT, type WriteRequest } from './client/batch-write.js';
