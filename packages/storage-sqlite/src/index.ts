export { openSqliteStorage, type SqliteStorage, type SqliteStorageOptions } from './sqlite-storage.js';
export { migrations, SCHEMA_VERSION } from './migrations.js';
