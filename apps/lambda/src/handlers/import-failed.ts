// The import workflow's RecordFailure state (its Catch): the job and the run end failed.
import { lambdaRuntime } from '../runtime/context.js';
import { recordFailure } from '../workflows/record-failure.js';

// Made once per container, at initialisation.
const runtime = await lambdaRuntime();

export const handler = (event: unknown) => recordFailure(runtime, event);
