// One DynamoDB Local per test run (tools/test-services); each suite makes its own table in it.
export { dynamoGlobalSetup as default } from '@sagasync/test-services/vitest';
