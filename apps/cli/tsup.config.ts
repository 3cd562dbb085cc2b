import { appConfig } from '../../tools/build/tsup.js';

// better-sqlite3 is a native module: it stays a dependency, loaded from node_modules.
export default appConfig({ shebang: true, external: ['better-sqlite3'] });
