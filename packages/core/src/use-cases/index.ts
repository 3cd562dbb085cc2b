export * from './deps.js';
export * from './import-library.js';
export * from './apply-listening-event.js';
export * from './series-context.js';
export * from './build-series-report.js';
export * from './recompute-series.js';
export * from './cleanup-synthetic.js';
