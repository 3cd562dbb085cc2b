// PostgreSQL and DynamoDB Local for the project's run (tools/test-services), for `store copy`.
export { servicesGlobalSetup as default } from '@sagasync/test-services/vitest';
