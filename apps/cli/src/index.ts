export { runCli, VERSION } from './program.js';
export type { CliIo } from './runtime/io.js';
