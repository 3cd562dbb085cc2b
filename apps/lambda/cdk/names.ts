import { LambdaEnvSchema } from '../src/runtime/env.js';

/** The stage rule the functions validate at start-up, so the stack cannot name a stage they reject. */
export function parseStage(value: unknown): string {
  const parsed = LambdaEnvSchema.shape.SAGASYNC_STAGE.safeParse(value);
  if (!parsed.success) throw new Error(`SagaSync stage ${JSON.stringify(value)}: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

/** `SagaSync-<stage>-<part>`: every named resource of a deployment starts with this. */
export function resourceName(stage: string, part: string): string {
  return `SagaSync-${stage}-${part}`;
}

export function stackName(stage: string): string {
  return `SagaSync-${stage}`;
}
