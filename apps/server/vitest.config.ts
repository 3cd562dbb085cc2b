import { mergeConfig } from 'vitest/config';
import { packageTestConfig } from '../../tools/build/vitest.js';

// The server runs on SQLite and on a real PostgreSQL, which the global setup starts once per run.
export default mergeConfig(packageTestConfig('server', { testTimeout: 60_000 }), {
  test: { globalSetup: ['./test/global-setup.ts'] },
});
