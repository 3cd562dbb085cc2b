// The import workflow's LookupSeries state (per chunk): Audible series metadata for the chunk.
import { lambdaRuntime } from '../runtime/context.js';
import { lookupSeries } from '../workflows/lookup-series.js';

// Made once per container, at initialisation.
const runtime = await lambdaRuntime();

export const handler = (event: unknown) => lookupSeries(runtime, event);
