// The scheduled sync's ListDueUsers state: a page of due users' ids.
import { lambdaRuntime } from '../runtime/context.js';
import { listDueUsers } from '../sync/list-due-users.js';

// Made once per container, at initialisation.
const runtime = await lambdaRuntime();

export const handler = (event: unknown) => listDueUsers(runtime, event);
