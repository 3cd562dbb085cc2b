import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

/**
 * Runs the checked-in state machines (apps/lambda/workflows/*.asl.json) locally with
 * aws-local-stepfunctions: each Task state bound to a local function (the real task functions, with
 * a test runtime), Waits and retry back-offs made short. The same file the CDK stack deploys,
 * placeholders (`${ImportStageFunctionArn}`) filled with fake ARNs, checked by asl-validator first.
 * Node 20 needs the `Promise.withResolvers` shim (test/node20-shim.ts) loaded before a run.
 */

/** apps/lambda/workflows. */
export const WORKFLOWS_DIR = fileURLToPath(new URL('../../workflows/', import.meta.url));

type EventLogs = ReturnType<StateMachine['run']>['eventLogs'];
/** One event of a run: states entered, exited, failed, retried, caught; Map iterations; the end. */
export type WorkflowEvent = EventLogs extends AsyncGenerator<infer E> ? E : never;

interface AslValidation {
  isValid: boolean;
  errorsText: (separator?: string) => string;
}
const aslValidator = createRequire(import.meta.url)('asl-validator') as (definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }) => AslValidation;

/** A placeholder's fake ARN: `${ImportStageFunctionArn}` → `arn:aws:lambda:us-east-1:123456789012:function:ImportStage`. */
export const fakeArn = (placeholder: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${placeholder.replace(/FunctionArn$/, '')}`;

export interface LoadedWorkflow {
  file: string;
  definition: StateMachineDefinition;
  /** The `${...}` placeholders the file names, e.g. `ImportStageFunctionArn`. */
  placeholders: string[];
  /**
   * Every Task state (in Map and Parallel states too) with the placeholder of the function it
   * invokes: its Resource (a direct Lambda ARN), or the `FunctionName` of an
   * `arn:aws:states:::lambda:invoke` task (whose function gets `Payload` and answers `{Payload}`).
   */
  tasks: { state: string; placeholder: string; integration: 'direct' | 'lambda:invoke' }[];
}

/**
 * Reads an ASL file (a name in apps/lambda/workflows, or a path), fills its placeholders with fake
 * ARNs and validates it with asl-validator; throws listing every error.
 */
export function loadWorkflow(file: string): LoadedWorkflow {
  const path = isAbsolute(file) ? file : join(WORKFLOWS_DIR, file);
  const text = readFileSync(path, 'utf8');
  const placeholders = [...new Set([...text.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]!))];
  const substituted = text.replace(/\$\{([A-Za-z0-9]+)\}/g, (_, name: string) => fakeArn(name));
  const definition = JSON.parse(substituted) as StateMachineDefinition;
  const validation = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
  if (!validation.isValid) throw new Error(`${path} is not a valid state machine:\n${validation.errorsText('\n')}`);
  const byArn = new Map(placeholders.map((p) => [fakeArn(p), p]));
  const tasks: LoadedWorkflow['tasks'] = [];
  const walk = (states: Record<string, unknown>) => {
    for (const [name, raw] of Object.entries(states)) {
      const state = raw as {
        Type: string;
        Resource?: string;
        Parameters?: { FunctionName?: string };
        ItemProcessor?: { States: Record<string, unknown> };
        Iterator?: { States: Record<string, unknown> };
        Branches?: { States: Record<string, unknown> }[];
      };
      if (state.Type === 'Task') {
        const invoke = state.Resource === 'arn:aws:states:::lambda:invoke';
        const arn = invoke ? state.Parameters?.FunctionName : state.Resource;
        const placeholder = arn ? byArn.get(arn) : undefined;
        if (!placeholder) throw new Error(`${path}: Task ${name} does not invoke a \${...FunctionArn} placeholder (${invoke ? 'FunctionName' : 'Resource'} ${arn ?? 'missing'})`);
        tasks.push({ state: name, placeholder, integration: invoke ? 'lambda:invoke' : 'direct' });
      }
      const nested = state.ItemProcessor ?? state.Iterator;
      if (nested) walk(nested.States);
      for (const branch of state.Branches ?? []) walk(branch.States);
    }
  };
  walk(definition.States as Record<string, unknown>);
  return { file: path, definition, placeholders, tasks };
}

export type TaskFunction = (input: unknown) => Promise<unknown>;

/** One call of a task function, as the run made it. */
export interface TaskCall {
  state: string;
  placeholder: string;
  input: unknown;
  output?: unknown;
  error?: { name: string; message: string };
}

export interface LocalRunOptions {
  /** A function for every placeholder, e.g. `{ ImportStageFunctionArn: (input) => stageImport(runtime, input) }`. */
  tasks: Record<string, TaskFunction>;
  /**
   * Run every task twice, as Lambda's and Step Functions' retries may: one after the other (the
   * state gets the second answer, as after a lost first one), or both at once (the state gets
   * the first that succeeds).
   */
  twice?: false | 'sequential' | 'concurrent';
  /** Each event as it happens (to print states as they run). */
  onEvent?: (event: WorkflowEvent) => void;
  /** Retry back-off, in milliseconds, instead of the definition's seconds. Default 20. */
  retryDelayMs?: number;
  /** Waits, in milliseconds, instead of the definition's seconds. Default 0. */
  waitMs?: number;
}

export interface LocalRunResult {
  status: 'succeeded' | 'failed';
  output: unknown;
  /** The execution's error for a failed run (the Fail state's Error and Cause). */
  error: { Error: string; Cause: unknown } | null;
  events: WorkflowEvent[];
  calls: TaskCall[];
}

const clone = <T>(value: T): T => structuredClone(value);

function describeError(error: unknown): { name: string; message: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
}

/** Runs a loaded workflow with `input` locally; resolves with how it ended (a failed run does not throw). */
export async function runLocalWorkflow(workflow: LoadedWorkflow, input: unknown, options: LocalRunOptions): Promise<LocalRunResult> {
  const missing = workflow.placeholders.filter((p) => !options.tasks[p]);
  if (missing.length > 0) throw new Error(`${workflow.file}: no task function for ${missing.join(', ')}`);
  const calls: TaskCall[] = [];
  const once = async (state: string, placeholder: string, stateInput: unknown): Promise<unknown> => {
    const call: TaskCall = { state, placeholder, input: clone(stateInput) };
    calls.push(call);
    try {
      call.output = await options.tasks[placeholder]!(clone(stateInput));
      return call.output;
    } catch (error) {
      call.error = describeError(error);
      throw error;
    }
  };
  const handlers: Record<string, (input: unknown) => Promise<never>> = {};
  for (const { state, placeholder, integration } of workflow.tasks) {
    const direct = async (stateInput: unknown): Promise<unknown> => {
      if (options.twice === 'sequential') {
        await once(state, placeholder, stateInput);
        return (await once(state, placeholder, stateInput));
      }
      if (options.twice === 'concurrent') {
        const [a, b] = await Promise.allSettled([once(state, placeholder, stateInput), once(state, placeholder, stateInput)]);
        if (a.status === 'fulfilled') return a.value;
        if (b.status === 'fulfilled') return b.value;
        throw a.reason;
      }
      return (await once(state, placeholder, stateInput));
    };
    // lambda:invoke hands the function its Payload and the state the invocation's answer.
    handlers[state] =
      integration === 'direct'
        ? (direct as (input: unknown) => Promise<never>)
        : async (stateInput) => ({ StatusCode: 200, ExecutedVersion: '$LATEST', Payload: await direct((stateInput as { Payload?: unknown }).Payload ?? {}) }) as never;
  }
  const waits: Record<string, number> = {};
  const retries: Record<string, number> = {};
  const scan = (states: Record<string, unknown>) => {
    for (const [name, raw] of Object.entries(states)) {
      const state = raw as { Type: string; Retry?: unknown[]; ItemProcessor?: { States: Record<string, unknown> }; Iterator?: { States: Record<string, unknown> }; Branches?: { States: Record<string, unknown> }[] };
      if (state.Type === 'Wait') waits[name] = options.waitMs ?? 0;
      if (state.Retry) retries[name] = options.retryDelayMs ?? 20;
      const nested = state.ItemProcessor ?? state.Iterator;
      if (nested) scan(nested.States);
      for (const branch of state.Branches ?? []) scan(branch.States);
    }
  };
  scan(workflow.definition.States as Record<string, unknown>);

  // The file was validated above; the library's own (older) validator is not asked again.
  const machine = new StateMachine(workflow.definition, { validationOptions: { noValidate: true } });
  const execution = machine.run(input as never, {
    overrides: { taskResourceLocalHandlers: handlers as never, waitTimeOverrides: waits, retryIntervalOverrides: retries },
  });
  const events: WorkflowEvent[] = [];
  const collecting = (async () => {
    for await (const event of execution.eventLogs) {
      events.push(event);
      options.onEvent?.(event);
    }
  })();
  let status: LocalRunResult['status'] = 'succeeded';
  let output: unknown = null;
  try {
    output = await execution.result;
  } catch {
    status = 'failed';
  }
  await collecting;
  const failed = events.find((e) => e.type === 'ExecutionFailed') as { Error: string; Cause: unknown } | undefined;
  return { status, output, error: status === 'failed' ? { Error: failed?.Error ?? 'unknown', Cause: failed?.Cause ?? null } : null, events, calls };
}
