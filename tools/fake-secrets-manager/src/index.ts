export { startFakeSecretsManager } from './server.js';
export type { FakeSecretsManager, FakeSecretsManagerFault, FakeSecretsManagerOptions, FakeSecretsManagerRequest, FakeSecretVersion } from './server.js';
