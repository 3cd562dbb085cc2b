import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { SagaSyncAlarms } from './alarms.js';
import { codeFromBundles, SagaSyncFunctions, type BundleName } from './functions.js';
import { parseStage, resourceName, stackName } from './names.js';
import { LibraryTable } from './table.js';
import { Workflow } from './workflows.js';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_BUNDLE_DIR = join(appDir, 'dist');
export const DEFAULT_WORKFLOWS_DIR = join(appDir, 'workflows');

export interface SagaSyncStackProps extends StackProps {
  /** Part of every resource name, `SagaSync-<stage>-...`. Default `dev`. */
  stage?: string;
  /** Secrets Manager name of the SagaSync secret. Default `sagasync/<stage>/secret`. */
  secretName?: string;
  /** Secrets Manager name of the Notion integration token. Default `notion/internal-token`. */
  notionSecretName?: string;
  /** Each function's code. Default: the esbuild bundles in `dist/<name>/`. */
  codeFor?: (name: BundleName) => lambda.Code;
  /** Where `import.asl.json` and `scheduled-sync.asl.json` are. Default `apps/lambda/workflows`. */
  workflowsDir?: string;
  alarmEmail?: string;
  logRetention?: logs.RetentionDays;
}

/** SagaSync on AWS: the table, the functions, the HTTP API, both workflows, the hourly sync and the alarms. */
export class SagaSyncStack extends Stack {
  readonly stage: string;

  constructor(scope: Construct, props: SagaSyncStackProps = {}) {
    const stage = parseStage(props.stage ?? 'dev');
    super(scope, stackName(stage), { stackName: stackName(stage), description: `SagaSync (${stage})`, ...props });
    this.stage = stage;
    const name = (part: string) => resourceName(stage, part);
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;

    const { table } = new LibraryTable(this, 'Library', { tableName: name('Library') });

    // Referenced by name, never created here: their values must not pass through the template.
    const sagasyncSecret = secretsmanager.Secret.fromSecretNameV2(this, 'SagaSyncSecret', props.secretName ?? `sagasync/${stage}/secret`);
    const notionToken = secretsmanager.Secret.fromSecretNameV2(this, 'NotionToken', props.notionSecretName ?? 'notion/internal-token');

    const functions = new SagaSyncFunctions(this, 'Functions', {
      stage,
      table,
      sagasyncSecret,
      notionToken,
      codeFor: props.codeFor ?? codeFromBundles(DEFAULT_BUNDLE_DIR),
      logRetention,
    }).byName;

    const workflowsDir = props.workflowsDir ?? DEFAULT_WORKFLOWS_DIR;
    const importWorkflow = new Workflow(this, 'Import', { stage, workflow: 'Import', workflowsDir, functions, logRetention }).stateMachine;
    const scheduledSync = new Workflow(this, 'ScheduledSync', { stage, workflow: 'ScheduledSync', workflowsDir, functions, logRetention }).stateMachine;

    const http = functions.http;
    http.addEnvironment('SAGASYNC_IMPORT_STATE_MACHINE_ARN', importWorkflow.stateMachineArn);
    importWorkflow.grantStartExecution(http);

    // No authorizer: the handler authenticates every request itself (bearer tokens, signed webhooks).
    const api = new apigwv2.HttpApi(this, 'Api', {
      apiName: name('Api'),
      description: `SagaSync API (${stage})`,
      defaultIntegration: new HttpLambdaIntegration('Http', http, { payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0 }),
      createDefaultStage: false,
    });
    const apiStage = api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      // A public endpoint in front of paid services: cap what a runaway client can cost.
      throttle: { rateLimit: 50, burstLimit: 100 },
    });

    // EventBridge Scheduler rather than an events.Rule: it has its own role scoped to this one
    // state machine, retries, and names the schedule like every other resource.
    new scheduler.Schedule(this, 'HourlySync', {
      scheduleName: name('HourlySync'),
      description: 'Starts the scheduled sync, which fans out over users.',
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
      target: new schedulerTargets.StepFunctionsStartExecution(scheduledSync, { retryAttempts: 2 }),
    });

    new SagaSyncAlarms(this, 'Alarms', {
      stage,
      stateMachines: { Import: importWorkflow, ScheduledSync: scheduledSync },
      httpFunction: http,
      ...(props.alarmEmail ? { alarmEmail: props.alarmEmail } : {}),
    });

    new CfnOutput(this, 'ApiUrl', { value: apiStage.url, description: 'Base URL of the SagaSync API' });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'ImportStateMachineArn', { value: importWorkflow.stateMachineArn });
    new CfnOutput(this, 'ScheduledSyncStateMachineArn', { value: scheduledSync.stateMachineArn });
  }
}
