import { createHttpHandler } from '../http/http-handler.js';
import { lambdaRuntime } from '../runtime/context.js';

// Initialisation: environment, stores and secrets, once per container.
const handle = createHttpHandler(await lambdaRuntime());

export const handler = handle;
