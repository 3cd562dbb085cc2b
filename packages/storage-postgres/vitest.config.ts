import { mergeConfig } from 'vitest/config';
import { packageTestConfig } from '../../tools/build/vitest.js';

// One throwaway PostgreSQL cluster per test run, started by the global setup; each suite makes its own database on it.
export default mergeConfig(packageTestConfig('storage-postgres', { testTimeout: 60_000 }), {
  test: { globalSetup: ['./test/global-setup.ts'] },
});
