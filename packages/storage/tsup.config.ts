import { libraryConfig } from '../../tools/build/tsup.js';

// Two entries: the main one must never load vitest; the conformance subpath is for test files.
export default libraryConfig({ entry: ['src/index.ts', 'src/conformance/index.ts'], external: ['vitest'] });
