export { startFakeNotion, FAKE_NOTION_TOKEN } from './server.js';
export type { FakeNotion, FakeNotionOptions, FakeNotionStats, RequestRecord } from './server.js';
export { FAULT_KINDS, SCRIPTED_FAULT_KINDS } from './faults.js';
export type { FaultKind, FaultOptions, ScriptedFault } from './faults.js';
export { FakeWorkspace } from './state.js';
export type { FakeDatabase, FakeDataSource, FakePage } from './state.js';
export { normaliseId } from './ids.js';
