export * from './apply-progress.js';
export * from './history-id.js';
export * from './source-merge.js';
