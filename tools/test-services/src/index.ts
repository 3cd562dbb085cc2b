/**
 * The real databases tests run against, started once per test run from a vitest global setup and
 * shared by the suites (each suite keeps to its own database, table or owners). The vitest global
 * setups are at `@sagasync/test-services/vitest`; this entry needs no vitest (benchmarks use it).
 */
export { startPostgresCluster, POSTGRES_APP_ROLE, type PostgresCluster } from './postgres-cluster.js';
export { startDynamoDbLocal, dynamoDbLocalJarDir, type DynamoDbLocal } from './dynamodb-local.js';
export { freePort } from './free-port.js';
