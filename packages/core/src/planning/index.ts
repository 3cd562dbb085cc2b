export * from './merge-records.js';
export * from './plan-import.js';
