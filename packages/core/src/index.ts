export * from './errors/sagasync-error.js';
export * from './errors/result.js';
export * from './model/index.js';
export * from './ports/index.js';
export * from './sequence/index.js';
export * from './util/ids.js';
