// One throwaway PostgreSQL cluster per test run (tools/test-services); each suite makes its own database on it.
export { postgresGlobalSetup as default } from '@sagasync/test-services/vitest';
