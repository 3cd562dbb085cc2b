import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { createTableInput } from '@sagasync/storage-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_NAMES, codeFromBundles } from './functions.js';
import { DEFAULT_WORKFLOWS_DIR, SagaSyncStack, type SagaSyncStackProps } from './sagasync-stack.js';
import { WORKFLOWS } from './workflows.js';

// ---- helpers: read a template by what things are called, not by logical ids ----

interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}
type Resources = Record<string, CfnResource>;
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

const NAMING: Record<string, [label: string, property: string]> = {
  'AWS::DynamoDB::GlobalTable': ['table', 'TableName'],
  'AWS::Lambda::Function': ['fn', 'FunctionName'],
  'AWS::Logs::LogGroup': ['logs', 'LogGroupName'],
  'AWS::StepFunctions::StateMachine': ['sm', 'StateMachineName'],
  'AWS::Scheduler::Schedule': ['schedule', 'Name'],
  'AWS::ApiGatewayV2::Api': ['api', 'Name'],
  'AWS::CloudWatch::Alarm': ['alarm', 'AlarmName'],
  'AWS::SNS::Topic': ['topic', 'TopicName'],
};

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function nameOf(resource: CfnResource): string | undefined {
  const naming = NAMING[resource.Type];
  const name = naming ? resource.Properties?.[naming[1]] : undefined;
  return typeof name === 'string' ? name : undefined;
}

/** `fn:SagaSync-dev-Http` for a named resource, `Type:logicalId` otherwise. */
function labelOf(resources: Resources, logicalId: string): string {
  const resource = resources[logicalId];
  if (!resource) throw new Error(`no resource ${logicalId}`);
  const name = nameOf(resource);
  return name ? `${NAMING[resource.Type]![0]}:${name}` : `${resource.Type}:${logicalId}`;
}

/** Ref, Fn::GetAtt Arn and Fn::Join as a string (`{fn:SagaSync-dev-Http}:*`); anything else as JSON. */
function render(resources: Resources, value: unknown): string {
  if (typeof value === 'string') return value;
  const v = (value ?? {}) as Record<string, unknown>;
  if (typeof v.Ref === 'string') return v.Ref.startsWith('AWS::') ? `{${v.Ref}}` : `{${labelOf(resources, v.Ref)}}`;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[1] === 'Arn') return `{${labelOf(resources, String(getAtt[0]))}}`;
  const join = v['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) return join[1].map((part: unknown) => render(resources, part)).join(join[0]);
  return JSON.stringify(value);
}

/** Every Task state of a definition, inside Map and Parallel states too. */
function taskStates(definition: { States: Record<string, unknown> }): { Resource: string; TimeoutSeconds?: number }[] {
  return Object.values(definition.States).flatMap((value) => {
    const state = value as { Type: string; Resource: string; TimeoutSeconds?: number; ItemProcessor?: { States: Record<string, unknown> }; Iterator?: { States: Record<string, unknown> }; Branches?: { States: Record<string, unknown> }[] };
    const nested = [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])].filter((d) => d !== undefined);
    return [...(state.Type === 'Task' ? [state] : []), ...nested.flatMap(taskStates)];
  });
}

const ofType = (resources: Resources, type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

/** For every IAM policy: whose role it is (`fn:...`, `sm:...`, `schedule:...`) and its statements. */
function policiesByPrincipal(resources: Resources): Map<string, Statement[]> {
  const roleOwner = new Map<string, string>();
  const roleRef = (value: unknown) => (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0];
  for (const [id, r] of Object.entries(resources)) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::Lambda::Function') roleOwner.set(roleRef(p.Role)!, labelOf(resources, id));
    if (r.Type === 'AWS::StepFunctions::StateMachine') roleOwner.set(roleRef(p.RoleArn)!, labelOf(resources, id));
    if (r.Type === 'AWS::Scheduler::Schedule') roleOwner.set(roleRef((p.Target as { RoleArn: unknown }).RoleArn)!, labelOf(resources, id));
  }
  const byPrincipal = new Map<string, Statement[]>();
  for (const [id, policy] of ofType(resources, 'AWS::IAM::Policy')) {
    const roles = asArray(policy.Properties!.Roles as { Ref: string }[]);
    expect(roles, `${id} is attached to one role`).toHaveLength(1);
    const owner = roleOwner.get(roles[0]!.Ref);
    if (!owner) throw new Error(`policy ${id} belongs to role ${roles[0]!.Ref}, which no function, state machine or schedule uses`);
    const statements = (policy.Properties!.PolicyDocument as { Statement: Statement[] }).Statement;
    byPrincipal.set(owner, [...(byPrincipal.get(owner) ?? []), ...statements]);
  }
  return byPrincipal;
}

// ---- the stack under test ----

const inlineCode = () => lambda.Code.fromInline('exports.handler = async () => {};');

function synth(props: SagaSyncStackProps = {}) {
  const stack = new SagaSyncStack(new App(), { codeFor: inlineCode, ...props });
  const template = Template.fromStack(stack);
  const json = template.toJSON() as { Resources: Resources; Outputs: Record<string, { Value: unknown }> };
  return { stack, template, resources: json.Resources, outputs: json.Outputs };
}

const FUNCTION_NAMES = ['Http', 'ImportStage', 'ImportLookup', 'ImportUpsert', 'ImportCascade', 'NotionMirror', 'ImportFailed', 'SyncFanout', 'SyncUser'];

/** Who may touch what, written out here rather than derived from the stack's own tables. */
const ACCESS = {
  Http: { table: 'readWrite', secret: true, notion: true },
  ImportStage: { table: 'readWrite', secret: true, notion: false },
  ImportLookup: { table: 'readWrite', secret: true, notion: false },
  ImportUpsert: { table: 'readWrite', secret: true, notion: false },
  ImportCascade: { table: 'readWrite', secret: true, notion: false },
  NotionMirror: { table: 'readWrite', secret: true, notion: true },
  ImportFailed: { table: 'readWrite', secret: false, notion: false },
  SyncFanout: { table: 'read', secret: false, notion: false },
  SyncUser: { table: 'readWrite', secret: true, notion: false },
} as const;

const TABLE_READ = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'];
const TABLE_WRITE = ['dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
/** Step Functions' log delivery: AWS offers these on `*` only. */
const LOG_DELIVERY = [
  'logs:CreateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:DescribeLogGroups',
  'logs:DescribeResourcePolicies',
  'logs:GetLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:UpdateLogDelivery',
];

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

describe('SagaSync CDK stack', () => {
  it('has both workflow definitions to deploy', () => {
    for (const { file } of Object.values(WORKFLOWS)) expect(existsSync(join(DEFAULT_WORKFLOWS_DIR, file)), `${file} in ${DEFAULT_WORKFLOWS_DIR}`).toBe(true);
  });

  describe.each(['dev', 'prod'])('stage %s', (stage) => {
    let t: ReturnType<typeof synth>;
    const n = (part: string) => `SagaSync-${stage}-${part}`;
    const table = `{table:${n('Library')}}`;
    const secretArn = (name: string) => `arn:{AWS::Partition}:secretsmanager:{AWS::Region}:{AWS::AccountId}:secret:${name}-??????`;
    const sagasyncSecret = `sagasync/${stage}/secret`;
    const notionToken = 'notion/internal-token';

    beforeAll(() => {
      t = synth(stage === 'dev' ? {} : { stage });
    });

    it('names the stack and every named resource SagaSync-<stage>-', () => {
      expect(t.stack.stackName).toBe(`SagaSync-${stage}`);
      const names = Object.values(t.resources).flatMap((r) => nameOf(r) ?? []);
      // table, 9 functions, 9 + 2 log groups, 2 state machines, API, schedule, 5 alarms
      expect(names).toHaveLength(30);
      for (const name of names) expect(name.replace(/^\/aws\/(lambda|vendedlogs\/states)\//, '')).toMatch(new RegExp(`^SagaSync-${stage}-[A-Za-z-]+$`));
      // Everything else (roles, policies, routes) gets a CloudFormation name from the stack's.
      expect(JSON.stringify(t.resources)).not.toMatch(stage === 'dev' ? /SagaSync-prod/ : /SagaSync-dev|sagasync\/dev/);
    });

    it('builds the table from the storage adapter definition', () => {
      const expected = createTableInput(n('Library'));
      const [[, tableResource]] = ofType(t.resources, 'AWS::DynamoDB::GlobalTable') as [[string, CfnResource]];
      const p = tableResource.Properties!;
      expect(p.TableName).toBe(n('Library'));
      expect(p.KeySchema).toEqual(expected.KeySchema);
      expect(sorted((p.AttributeDefinitions as { AttributeName: string }[]).map((a) => JSON.stringify(a)))).toEqual(
        sorted(expected.AttributeDefinitions!.map((a) => JSON.stringify(a))),
      );
      expect(p.GlobalSecondaryIndexes).toEqual(expected.GlobalSecondaryIndexes);
      expect(p.BillingMode).toBe(expected.BillingMode);
      expect(p.TimeToLiveSpecification).toEqual({ AttributeName: 'ttl', Enabled: true });
      expect(p.Replicas).toEqual([expect.objectContaining({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })]);
      t.template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });

    it('has nine arm64 nodejs22.x functions with exactly their environment', () => {
      const functions = ofType(t.resources, 'AWS::Lambda::Function');
      expect(sorted(functions.map(([, f]) => nameOf(f)!))).toEqual(sorted(FUNCTION_NAMES.map(n)));
      const importArn = `{sm:${n('Import')}}`;
      for (const [, f] of functions) {
        const p = f.Properties!;
        const short = nameOf(f)!.slice(n('').length) as keyof typeof ACCESS;
        expect(p).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' });
        expect(p.LoggingConfig).toEqual({ LogGroup: expect.anything() });
        const env = Object.fromEntries(
          Object.entries((p.Environment as { Variables: Record<string, unknown> }).Variables).map(([k, v]) => [k, render(t.resources, v)]),
        );
        expect(env, short).toEqual({
          SAGASYNC_STAGE: stage,
          SAGASYNC_TABLE: table,
          NODE_OPTIONS: '--enable-source-maps',
          // A function is told of a secret only when it may read it: the runtime reads what it is told.
          ...(ACCESS[short].secret ? { SAGASYNC_SECRET_ID: sagasyncSecret } : {}),
          ...(ACCESS[short].notion ? { SAGASYNC_NOTION_SECRET_ID: notionToken } : {}),
          ...(short === 'Http' ? { SAGASYNC_IMPORT_STATE_MACHINE_ARN: importArn } : {}),
        });
        if (short === 'Http') expect(p.Timeout).toBeLessThanOrEqual(29);
        // One Notion step at a time across executions: Notion limits the integration (about 3 requests a second).
        expect(p.ReservedConcurrentExecutions, short).toBe(short === 'NotionMirror' ? 1 : undefined);
      }
    });

    it('serves the HTTP API from the http function on a $default route without an authorizer', () => {
      t.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { Name: n('Api'), ProtocolType: 'HTTP' });
      const [[integrationId, integration]] = ofType(t.resources, 'AWS::ApiGatewayV2::Integration') as [[string, CfnResource]];
      expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
      expect(render(t.resources, integration.Properties!.IntegrationUri)).toBe(`{fn:${n('Http')}}`);
      const routes = ofType(t.resources, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties!);
      expect(routes).toEqual([expect.objectContaining({ RouteKey: '$default', Target: { 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] } })]);
      expect(routes[0]!.AuthorizationType ?? 'NONE').toBe('NONE');
      t.template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
      t.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: '$default', AutoDeploy: true });
      const permissions = ofType(t.resources, 'AWS::Lambda::Permission').map(([, r]) => r.Properties!);
      expect(permissions.map((p) => [p.Principal, render(t.resources, p.FunctionName)])).toEqual([['apigateway.amazonaws.com', `{fn:${n('Http')}}`]]);
    });

    it('deploys both ASL files with every placeholder substituted by the functions it should invoke', () => {
      const machines = Object.fromEntries(ofType(t.resources, 'AWS::StepFunctions::StateMachine').map(([, r]) => [nameOf(r)!, r.Properties!]));
      expect(Object.keys(machines).sort()).toEqual([n('Import'), n('ScheduledSync')]);
      const expectedFunctions = {
        Import: ['ImportStage', 'ImportLookup', 'ImportUpsert', 'ImportCascade', 'NotionMirror', 'ImportFailed'],
        ScheduledSync: ['SyncFanout', 'SyncUser'],
      };
      for (const [workflow, { file }] of Object.entries(WORKFLOWS)) {
        const p = machines[n(workflow)]!;
        const definition = p.DefinitionString as string;
        expect(typeof definition).toBe('string');
        expect(definition).toBe(readFileSync(join(DEFAULT_WORKFLOWS_DIR, file), 'utf8'));
        const substitutions = p.DefinitionSubstitutions as Record<string, unknown>;
        const placeholders = sorted([...definition.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!));
        expect(placeholders, `${file} placeholders`).toEqual(sorted(Object.keys(substitutions)));
        const resolved = definition.replace(/\$\{(\w+)\}/g, (_, key: string) => render(t.resources, substitutions[key]));
        expect(resolved).not.toContain('${');
        const invoked = sorted([...resolved.matchAll(/\{fn:([\w-]+)\}/g)].map((m) => m[1]!));
        expect(invoked, workflow).toEqual(sorted(expectedFunctions[workflow as keyof typeof expectedFunctions].map(n)));
        // A Task's TimeoutSeconds must leave room for the function's own timeout, so a slow call
        // ends as a Lambda error (which Retry and Catch name) rather than States.Timeout.
        for (const task of taskStates(JSON.parse(resolved))) {
          if (task.TimeoutSeconds === undefined) continue;
          const fn = Object.values(t.resources).find((r) => `{fn:${nameOf(r)}}` === task.Resource)!;
          expect(fn.Properties!.Timeout as number, task.Resource).toBeLessThan(task.TimeoutSeconds);
        }
        expect((p.LoggingConfiguration as { Level: string }).Level).toBe('ERROR');
        expect(render(t.resources, (p.LoggingConfiguration as { Destinations: { CloudWatchLogsLogGroup: { LogGroupArn: unknown } }[] }).Destinations[0]!.CloudWatchLogsLogGroup.LogGroupArn)).toBe(
          `{logs:/aws/vendedlogs/states/${n(workflow)}}`,
        );
      }
      for (const [, group] of ofType(t.resources, 'AWS::Logs::LogGroup')) expect(group.Properties!.RetentionInDays, nameOf(group)).toBeGreaterThan(0);
    });

    it('grants each role only what it needs: no wildcard actions, resources limited to the table, secrets, functions and state machine', () => {
      const byPrincipal = policiesByPrincipal(t.resources);
      for (const [principal, statements] of byPrincipal) {
        for (const s of statements) {
          expect(s.Effect, principal).toBe('Allow');
          for (const action of asArray(s.Action)) expect(action, principal).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
          const resources = asArray(s.Resource).map((r) => render(t.resources, r));
          // The only `*`: Step Functions' log delivery actions, which have no resource-level permissions.
          if (resources.includes('*')) expect(sorted(asArray(s.Action)), principal).toEqual(LOG_DELIVERY);
        }
      }
      const resourcesOf = (principal: string) => sorted(byPrincipal.get(principal)!.flatMap((s) => asArray(s.Resource).map((r) => render(t.resources, r))));
      const actionsOf = (principal: string) => sorted(byPrincipal.get(principal)!.flatMap((s) => asArray(s.Action)));
      const fnArns = (names: string[]) => names.flatMap((name) => [`{fn:${n(name)}}`, `{fn:${n(name)}}:*`]);

      expect(sorted(byPrincipal.keys())).toEqual(sorted([...FUNCTION_NAMES.map((f) => `fn:${n(f)}`), `sm:${n('Import')}`, `sm:${n('ScheduledSync')}`, `schedule:${n('HourlySync')}`]));
      for (const [name, access] of Object.entries(ACCESS)) {
        const principal = `fn:${n(name)}`;
        expect(resourcesOf(principal), principal).toEqual(
          sorted([
            `{logs:/aws/lambda/${n(name)}}`,
            table,
            `${table}/index/*`,
            ...(access.secret ? [secretArn(sagasyncSecret)] : []),
            ...(access.notion ? [secretArn(notionToken)] : []),
            ...(name === 'Http' ? [`{sm:${n('Import')}}`] : []),
          ]),
        );
        expect(actionsOf(principal), principal).toEqual(
          sorted([
            'logs:CreateLogStream',
            'logs:PutLogEvents',
            ...TABLE_READ,
            ...(access.table === 'readWrite' ? TABLE_WRITE : []),
            ...(access.secret || access.notion ? ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] : []),
            ...(name === 'Http' ? ['states:StartExecution'] : []),
          ]),
        );
      }
      expect(resourcesOf(`sm:${n('Import')}`)).toEqual(sorted(['*', ...fnArns(['ImportStage', 'ImportLookup', 'ImportUpsert', 'ImportCascade', 'NotionMirror', 'ImportFailed'])]));
      expect(resourcesOf(`sm:${n('ScheduledSync')}`)).toEqual(sorted(['*', ...fnArns(['SyncFanout', 'SyncUser'])]));
      for (const machine of ['Import', 'ScheduledSync']) expect(actionsOf(`sm:${n(machine)}`)).toEqual(sorted([...LOG_DELIVERY, 'lambda:InvokeFunction']));
      expect(resourcesOf(`schedule:${n('HourlySync')}`)).toEqual([`{sm:${n('ScheduledSync')}}`]);
      expect(actionsOf(`schedule:${n('HourlySync')}`)).toEqual(['states:StartExecution']);

      // No managed policies (such as AWSLambdaBasicExecutionRole, which writes to any log group) or inline ones.
      for (const [id, role] of ofType(t.resources, 'AWS::IAM::Role')) {
        expect(role.Properties!.ManagedPolicyArns, id).toBeUndefined();
        expect(role.Properties!.Policies, id).toBeUndefined();
      }
      for (const type of ['AWS::IAM::ManagedPolicy', 'AWS::IAM::User', 'AWS::IAM::Group', 'AWS::SecretsManager::Secret']) t.template.resourceCountIs(type, 0);
    });

    it('starts the scheduled sync every hour', () => {
      const [[, schedule]] = ofType(t.resources, 'AWS::Scheduler::Schedule') as [[string, CfnResource]];
      expect(schedule.Properties).toMatchObject({ Name: n('HourlySync'), ScheduleExpression: 'rate(1 hour)', State: 'ENABLED' });
      expect(render(t.resources, (schedule.Properties!.Target as { Arn: unknown }).Arn)).toBe(`{sm:${n('ScheduledSync')}}`);
    });

    it('alarms on a failed or timed-out execution of each state machine and on http function errors', () => {
      const alarms = ofType(t.resources, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!);
      for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
        const onMetric = alarms.filter((a) => a.MetricName === metric);
        expect(onMetric.map((a) => render(t.resources, (a.Dimensions as { Value: unknown }[])[0]!.Value)).sort(), metric).toEqual([
          `{sm:${n('Import')}}`,
          `{sm:${n('ScheduledSync')}}`,
        ]);
        for (const a of onMetric) {
          expect(a).toMatchObject({ Namespace: 'AWS/States', Statistic: 'Sum', Period: 300, Threshold: 1, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
        }
      }
      expect(alarms.find((a) => a.MetricName === 'Errors')).toMatchObject({ Namespace: 'AWS/Lambda', Threshold: 1, Period: 300 });
      expect(alarms).toHaveLength(5);
      // No topic unless an address is given at deploy time.
      t.template.resourceCountIs('AWS::SNS::Topic', 0);
      for (const a of alarms) expect(a.AlarmActions).toBeUndefined();
    });

    it('outputs the API URL, the table name and both state machine ARNs', () => {
      const outputs = Object.fromEntries(Object.entries(t.outputs).map(([k, o]) => [k, render(t.resources, o.Value)]));
      expect(outputs).toMatchObject({
        ApiUrl: expect.stringMatching(/^https:\/\/\{api:SagaSync-[a-z]+-Api\}\.execute-api\./),
        TableName: table,
        ImportStateMachineArn: `{sm:${n('Import')}}`,
        ScheduledSyncStateMachineArn: `{sm:${n('ScheduledSync')}}`,
      });
      expect(outputs.ApiUrl).toContain(`{api:${n('Api')}}`);
    });
  });

  it('takes other secret names and sends alarms to an address given at deploy time', () => {
    const { template, resources } = synth({ secretName: 'custom/sagasync', notionSecretName: 'custom/notion', alarmEmail: 'ops@example.invalid' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'SagaSync-dev-Http',
      Environment: { Variables: Match.objectLike({ SAGASYNC_SECRET_ID: 'custom/sagasync', SAGASYNC_NOTION_SECRET_ID: 'custom/notion' }) },
    });
    const policies = JSON.stringify(ofType(resources, 'AWS::IAM::Policy'));
    expect(policies).toContain(':secret:custom/sagasync-??????');
    expect(policies).toContain(':secret:custom/notion-??????');
    expect(policies).not.toContain('sagasync/dev/secret');
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'SagaSync-dev-Alarms' });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.invalid' });
    for (const [, alarm] of ofType(resources, 'AWS::CloudWatch::Alarm')) {
      expect(asArray(alarm.Properties!.AlarmActions).map((a) => render(resources, a))).toEqual(['{topic:SagaSync-dev-Alarms}']);
    }
  });

  it('rejects a stage the functions would reject', () => {
    expect(() => new SagaSyncStack(new App(), { stage: 'Prod_1', codeFor: inlineCode })).toThrow(/stage "Prod_1"/);
  });

  it('asks for the bundles when they are missing, naming them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sagasync-bundles-'));
    try {
      mkdirSync(join(dir, 'http'));
      writeFileSync(join(dir, 'http', 'index.mjs'), 'export const handler = async () => ({});\n');
      expect(() => codeFromBundles(dir)).toThrow(/bundles missing .*import-stage.*sync-user.*npm run build -w @sagasync\/lambda/);
      for (const name of BUNDLE_NAMES) {
        mkdirSync(join(dir, name), { recursive: true });
        writeFileSync(join(dir, name, 'index.mjs'), 'export const handler = async () => ({});\n');
      }
      expect(codeFromBundles(dir)('sync-user')).toBeInstanceOf(lambda.AssetCode);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
