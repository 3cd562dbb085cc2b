// One throwaway PostgreSQL cluster for the project's run (tools/test-services).
export { postgresGlobalSetup as default } from '@sagasync/test-services/vitest';
