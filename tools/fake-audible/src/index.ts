export { startFakeAudible } from './server.js';
export type { FakeAudible, FakeAudibleCounters, FakeAudibleOptions, FakeAudibleState, FakeAuthRequest, FakeFaults, MalformedIn, QueuedFault } from './server.js';
export { generateLibrary } from './generate-library.js';
export type { FakeContributor, FakeFinishedEvent, FakeLibrary, FakeMembership, FakeOwnership, FakeProduct, GenerateOptions } from './generate-library.js';
export type { FakeDevice } from './auth-state.js';
