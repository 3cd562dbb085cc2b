import { mergeConfig } from 'vitest/config';
import { packageTestConfig } from '../../tools/build/vitest.js';

// One DynamoDB Local per test run, started by the global setup; each suite makes its own table in it.
export default mergeConfig(packageTestConfig('storage-dynamodb', { testTimeout: 60_000 }), {
  test: { globalSetup: ['./test/global-setup.ts'] },
});
