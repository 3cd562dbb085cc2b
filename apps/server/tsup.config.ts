import { appConfig } from '../../tools/build/tsup.js';

// better-sqlite3 is a native module: it stays a dependency, loaded from node_modules. pg asks for
// pg-native only when told to use it, which SagaSync never does.
export default appConfig({ shebang: true, external: ['better-sqlite3', 'pg-native'] });
