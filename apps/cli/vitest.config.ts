import { mergeConfig } from 'vitest/config';
import { packageTestConfig } from '../../tools/build/vitest.js';

// `store copy` moves stores between SQLite, PostgreSQL and DynamoDB Local: the global setup starts
// the two servers once for the project's run.
export default mergeConfig(packageTestConfig('cli', { testTimeout: 60_000 }), {
  test: { globalSetup: ['./test/global-setup.ts'] },
});
