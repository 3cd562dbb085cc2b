// The import workflow's Stage state: validate the staged input and split it into chunks.
import { lambdaRuntime } from '../runtime/context.js';
import { stageImport } from '../workflows/stage-import.js';

// Made once per container, at initialisation.
const runtime = await lambdaRuntime();

export const handler = (event: unknown) => stageImport(runtime, event);
