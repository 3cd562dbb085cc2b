import { packageTestConfig } from '../build/vitest.js';

export default packageTestConfig('fake-secrets-manager');
