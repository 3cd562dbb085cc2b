import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RemovalPolicy } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { BundleName } from './functions.js';
import { resourceName } from './names.js';

/** Each workflow's ASL file and the `${Placeholder}` → function each Task invokes. */
export const WORKFLOWS = {
  Import: {
    file: 'import.asl.json',
    functions: {
      ImportStageFunctionArn: 'import-stage',
      ImportLookupFunctionArn: 'import-lookup',
      ImportUpsertFunctionArn: 'import-upsert',
      ImportCascadeFunctionArn: 'import-cascade',
      NotionMirrorFunctionArn: 'notion-mirror',
      ImportFailedFunctionArn: 'import-failed',
    },
  },
  ScheduledSync: {
    file: 'scheduled-sync.asl.json',
    functions: {
      SyncFanoutFunctionArn: 'sync-fanout',
      SyncUserFunctionArn: 'sync-user',
    },
  },
} as const satisfies Record<string, { file: string; functions: Record<string, BundleName> }>;

export type WorkflowName = keyof typeof WORKFLOWS;

/** Reads an ASL file, failing with its path when it is missing or not JSON. */
export function readAsl(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`state machine definition ${path} cannot be read: ${(error as Error).message}`);
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new Error(`state machine definition ${path} is not JSON: ${(error as Error).message}`);
  }
  return text;
}

export interface WorkflowProps {
  stage: string;
  workflow: WorkflowName;
  workflowsDir: string;
  functions: Record<BundleName, lambda.IFunction>;
  logRetention: logs.RetentionDays;
}

/**
 * A state machine from the checked-in ASL (the same file the local workflow tests run), its Lambda
 * ARNs filled in by CloudFormation's DefinitionSubstitutions. The definition goes inline rather than
 * through `DefinitionBody.fromFile`, which would upload it as an S3 asset and hide it from the template.
 */
export class Workflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const { file, functions } = WORKFLOWS[props.workflow];
    const name = resourceName(props.stage, props.workflow);
    const invoked = Object.entries(functions).map(([placeholder, bundle]) => [placeholder, props.functions[bundle]] as const);

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      definitionBody: sfn.DefinitionBody.fromString(readAsl(join(props.workflowsDir, file))),
      definitionSubstitutions: Object.fromEntries(invoked.map(([placeholder, fn]) => [placeholder, fn.functionArn])),
      logs: {
        // The recommended prefix keeps CloudWatch Logs' resource policy for Step Functions small.
        destination: new logs.LogGroup(this, 'Logs', {
          logGroupName: `/aws/vendedlogs/states/${name}`,
          retention: props.logRetention,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
        // Errors only, without state input and output: those carry library data and job tokens.
        level: sfn.LogLevel.ERROR,
        includeExecutionData: false,
      },
    });
    for (const [, fn] of invoked) fn.grantInvoke(this.stateMachine);
  }
}
