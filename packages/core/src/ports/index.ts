export * from './storage.port.js';
