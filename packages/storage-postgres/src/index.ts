export { createPostgresStorage, POSTGRES_MAX_OPERATIONS_PER_BATCH, type PostgresStorageOptions } from './postgres-storage.js';
export { createPostgresDirectory, type PostgresDirectoryOptions } from './directory/postgres-directory.js';
export { migratePostgres, postgresMigrations, POSTGRES_SCHEMA_VERSION } from './migrations.js';
export { describeTarget } from './postgres-errors.js';
export { createPostgresPool, PreparingClient } from './pool.js';
