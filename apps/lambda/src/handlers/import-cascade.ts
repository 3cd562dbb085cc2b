// The import workflow's Cascade state: series recompute, the run's row, the merged answer.
import { lambdaRuntime } from '../runtime/context.js';
import { cascadeImport } from '../workflows/cascade.js';

// Made once per container, at initialisation.
const runtime = await lambdaRuntime();

export const handler = (event: unknown) => cascadeImport(runtime, event);
