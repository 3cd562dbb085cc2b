export { openSqliteStorage, type SqliteStorage, type SqliteStorageOptions } from './sqlite-storage.js';
export { migrations, SCHEMA_VERSION } from './migrations.js';
export { openSqliteDirectory, type SqliteDirectory, type SqliteDirectoryOptions } from './directory/sqlite-directory.js';
export { directoryTablesMigration } from './directory/schema.js';
export { SAGASYNC_APPLICATION_ID } from './open-database.js';
export { storeLocationProblem } from './store-files.js';
