// The Notion mirror step (the import workflow's loop): pushes until a deadline under the function's
// timeout, leaving 30 s to save the cursor and answer.
import type { Context } from 'aws-lambda';
import { lambdaRuntime } from '../runtime/context.js';
import { notionStep } from '../workflows/notion-step.js';

// Made once per container, at initialisation.
const runtime = await lambdaRuntime();

export const handler = (event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>) =>
  notionStep(runtime, event, context ? { remainingMs: context.getRemainingTimeInMillis() } : {});
