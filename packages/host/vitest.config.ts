import { packageTestConfig } from '../../tools/build/vitest.js';

export default packageTestConfig('host');
