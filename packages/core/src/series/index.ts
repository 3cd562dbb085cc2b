export * from './derive-series-status.js';
export * from './series-views.js';
