import { runDirectoryConformance } from '@sagasync/storage/conformance';
import { suiteDatabase } from '../../test/database.js';
import { createPostgresDirectory } from './postgres-directory.js';

// One database for the suite; the directory tests use random ids and names, so they share it.
const db = suiteDatabase();

runDirectoryConformance({
  name: 'postgres',
  create: async () => createPostgresDirectory({ pool: db.pool }),
});
