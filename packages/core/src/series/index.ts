export * from './derive-series-status.js';
