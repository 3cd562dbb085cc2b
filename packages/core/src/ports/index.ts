export * from './storage.port.js';
export * from './page.js';
export * from './directory.port.js';
