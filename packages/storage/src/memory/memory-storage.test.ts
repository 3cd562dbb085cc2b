import { runStorageConformance } from '../conformance/index.js';
import { createMemoryStorage } from './memory-storage.js';

runStorageConformance({ name: 'memory', create: async () => createMemoryStorage() });
