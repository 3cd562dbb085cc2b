/** The server's parts, for tests and for embedding it; the bin is `main.ts`. */
export { runServerCli, VERSION, type ServerIo } from './cli/program.js';
export { startServer, type RunningServer } from './lifecycle/start-server.js';
export { createApp, type AppDeps } from './http/app.js';
export { loadSettings, SettingsError, type ServerSettings } from './settings/settings.js';
export { openStores, type Stores } from './stores/open-stores.js';
export { userAdmin, type NewCredentials } from '@sagasync/host';
export { createLogger } from './http/logger.js';
