import { packageTestConfig } from '../build/vitest.js';

export default packageTestConfig('pack-smoke', { testTimeout: 180_000 });
