// The import workflow's UpsertChunk state (per chunk): import the chunk's records.
import { lambdaRuntime } from '../runtime/context.js';
import { upsertChunk } from '../workflows/upsert-chunk.js';

// Made once per container, at initialisation.
const runtime = await lambdaRuntime();

export const handler = (event: unknown) => upsertChunk(runtime, event);
