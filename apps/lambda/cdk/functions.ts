import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { resourceName } from './names.js';

interface FunctionSpec {
  /** The `SagaSync-<stage>-<name>` part and the construct id. */
  name: string;
  memoryMb: number;
  timeout: Duration;
  /** Read-only functions get no write actions on the table. */
  table: 'read' | 'readWrite';
  /** Unseals stored Audible credentials or verifies tokens and webhook signatures. */
  sagasyncSecret: boolean;
  /** At most this many at once across all executions (Notion limits an integration, not a run). */
  concurrency?: number;
  notionToken: boolean;
}

/**
 * One function per handler bundle (scripts/bundle.mjs writes dist/<bundle>/index.mjs). Access is
 * per function: import-failed only records the failed run and sync-fanout only lists the users to
 * sync, so neither gets a secret, and sync-fanout only reads.
 */
export const FUNCTION_SPECS = {
  // API Gateway gives up after 30 s.
  http: { name: 'Http', memoryMb: 1024, timeout: Duration.seconds(29), table: 'readWrite', sagasyncSecret: true, notionToken: true },
  'import-stage': { name: 'ImportStage', memoryMb: 1024, timeout: Duration.minutes(5), table: 'readWrite', sagasyncSecret: true, notionToken: false },
  'import-lookup': { name: 'ImportLookup', memoryMb: 1024, timeout: Duration.minutes(5), table: 'readWrite', sagasyncSecret: true, notionToken: false },
  'import-upsert': { name: 'ImportUpsert', memoryMb: 1024, timeout: Duration.minutes(5), table: 'readWrite', sagasyncSecret: true, notionToken: false },
  'import-cascade': { name: 'ImportCascade', memoryMb: 1024, timeout: Duration.minutes(5), table: 'readWrite', sagasyncSecret: true, notionToken: false },
  // Stops 30 s before its timeout (getRemainingTimeInMillis) and hands the workflow a cursor.
  'notion-mirror': { name: 'NotionMirror', memoryMb: 512, timeout: Duration.minutes(5), table: 'readWrite', sagasyncSecret: true, notionToken: true, concurrency: 1 },
  'import-failed': { name: 'ImportFailed', memoryMb: 256, timeout: Duration.seconds(30), table: 'readWrite', sagasyncSecret: false, notionToken: false },
  // Under its state's TimeoutSeconds (60), so a slow page fails as a Lambda error the Retry knows.
  'sync-fanout': { name: 'SyncFanout', memoryMb: 256, timeout: Duration.seconds(45), table: 'read', sagasyncSecret: false, notionToken: false },
  'sync-user': { name: 'SyncUser', memoryMb: 1024, timeout: Duration.minutes(5), table: 'readWrite', sagasyncSecret: true, notionToken: false },
} as const satisfies Record<string, FunctionSpec>;

export type BundleName = keyof typeof FUNCTION_SPECS;
export const BUNDLE_NAMES = Object.keys(FUNCTION_SPECS) as BundleName[];

/**
 * What the storage adapter calls (it never scans, and transactions are authorised per item action),
 * rather than CDK's grantReadWriteData, which adds Scan, DescribeTable and stream reads.
 */
export const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;
export const TABLE_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem'] as const;

/** Code from the esbuild bundles; fails naming every missing bundle rather than at the first asset. */
export function codeFromBundles(bundleDir: string): (name: BundleName) => lambda.Code {
  const missing = BUNDLE_NAMES.filter((name) => !existsSync(join(bundleDir, name, 'index.mjs')));
  if (missing.length > 0) {
    throw new Error(
      `Lambda bundles missing in ${bundleDir}: ${missing.join(', ')}. Build them first: npm run build -w @sagasync/lambda (node scripts/bundle.mjs).`,
    );
  }
  // meta.json is esbuild's build report, not code; the source map stays for --enable-source-maps.
  return (name) => lambda.Code.fromAsset(join(bundleDir, name), { exclude: ['meta.json'] });
}

export interface SagaSyncFunctionsProps {
  stage: string;
  table: dynamodb.ITableV2;
  sagasyncSecret: secretsmanager.ISecret;
  notionToken: secretsmanager.ISecret;
  codeFor: (name: BundleName) => lambda.Code;
  logRetention: logs.RetentionDays;
}

export class SagaSyncFunctions extends Construct {
  readonly byName: Record<BundleName, lambda.Function>;

  constructor(scope: Construct, id: string, props: SagaSyncFunctionsProps) {
    super(scope, id);
    const entries = BUNDLE_NAMES.map((bundle) => [bundle, this.makeFunction(bundle, FUNCTION_SPECS[bundle], props)] as const);
    this.byName = Object.fromEntries(entries) as Record<BundleName, lambda.Function>;
  }

  private makeFunction(bundle: BundleName, spec: FunctionSpec, props: SagaSyncFunctionsProps): lambda.Function {
    const functionName = resourceName(props.stage, spec.name);
    const logGroup = new logs.LogGroup(this, `${spec.name}Logs`, {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role instead of the default one, whose AWSLambdaBasicExecutionRole may write to any log group.
    const role = new iam.Role(this, `${spec.name}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${functionName}: its log group, the table${spec.sagasyncSecret ? ', the SagaSync secret' : ''}${spec.notionToken ? ', the Notion token' : ''}`,
    });
    logGroup.grantWrite(role);

    const environment: Record<string, string> = {
      SAGASYNC_STAGE: props.stage,
      SAGASYNC_TABLE: props.table.tableName,
      NODE_OPTIONS: '--enable-source-maps',
    };
    // A function reads only the secrets it may read (the runtime reads what these name, at start).
    if (spec.sagasyncSecret) environment.SAGASYNC_SECRET_ID = props.sagasyncSecret.secretName;
    if (spec.notionToken) environment.SAGASYNC_NOTION_SECRET_ID = props.notionToken.secretName;

    const fn = new lambda.Function(this, spec.name, {
      functionName,
      description: `SagaSync ${bundle} (${props.stage})`,
      code: props.codeFor(bundle),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: spec.timeout,
      environment,
      role,
      logGroup,
      ...(spec.concurrency !== undefined ? { reservedConcurrentExecutions: spec.concurrency } : {}),
    });

    props.table.grant(fn, ...(spec.table === 'read' ? TABLE_READ : [...TABLE_READ, ...TABLE_WRITE]));
    if (spec.sagasyncSecret) props.sagasyncSecret.grantRead(fn);
    if (spec.notionToken) props.notionToken.grantRead(fn);
    return fn;
  }
}
