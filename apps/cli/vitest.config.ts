import { packageTestConfig } from '../../tools/build/vitest.js';

export default packageTestConfig('cli', { testTimeout: 60_000 });
