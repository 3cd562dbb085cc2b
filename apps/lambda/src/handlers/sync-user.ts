// The scheduled sync's SyncUser state (per user, inside the Map).
import { lambdaRuntime } from '../runtime/context.js';
import { syncOneUser } from '../sync/sync-one-user.js';

// Made once per container, at initialisation.
const runtime = await lambdaRuntime();

export const handler = (event: unknown) => syncOneUser(runtime, event);
