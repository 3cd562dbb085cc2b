// What the import workflow's tests (and the scheduled-sync workflow's) use: a Lambda runtime on
// DynamoDB Local and the fakes, the task functions by placeholder, a job started as the HTTP API
// starts one, and a table of the suite's own. scripts/invoke-sample.ts uses ./import-runtime.js
// (no vitest there).
export * from './import-runtime.js';
export { suiteTable } from './suite-table.js';
