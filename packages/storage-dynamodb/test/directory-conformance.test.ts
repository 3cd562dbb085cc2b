import { runDirectoryConformance } from '@sagasync/storage/conformance';
import { createDynamoDirectory } from '../src/index.js';
import { suiteTable } from './table.js';

// One table for the suite; the directory tests use random ids and names, so they share it.
const table = suiteTable();

runDirectoryConformance({
  name: 'dynamodb',
  create: async () => createDynamoDirectory({ documentClient: table.documentClient, tableName: table.tableName }),
});
