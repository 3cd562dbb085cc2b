import { mergeConfig } from 'vitest/config';
import { packageTestConfig } from '../../tools/build/vitest.js';

// Workflows run locally (aws-local-stepfunctions) against one DynamoDB Local per test run, started
// by the global setup; each suite makes its own table in it.
export default mergeConfig(packageTestConfig('lambda', { testTimeout: 120_000, setupFiles: ['./test/node20-shim.ts'] }), {
  test: { include: ['cdk/**/*.test.ts'], globalSetup: ['./test/global-setup.ts'] },
});
