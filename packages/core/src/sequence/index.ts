export * from './parse-sequence.js';
export * from './series-key.js';
