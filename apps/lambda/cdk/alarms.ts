import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { resourceName } from './names.js';

export interface AlarmsProps {
  stage: string;
  stateMachines: Record<string, sfn.IStateMachine>;
  httpFunction: lambda.IFunction;
  /** When set (`-c alarmEmail=...`), alarms mail it through an SNS topic; the address stays out of the repo. */
  alarmEmail?: string;
}

/** A failed or timed-out execution of either workflow, or the API function throwing, raises an alarm. */
export class SagaSyncAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly topic?: sns.Topic;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    const atLeastOnce = {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };
    for (const [name, stateMachine] of Object.entries(props.stateMachines)) {
      this.alarms.push(
        new cloudwatch.Alarm(this, `${name}Failed`, {
          alarmName: resourceName(props.stage, `${name}-ExecutionsFailed`),
          alarmDescription: `A ${name} execution failed.`,
          metric: stateMachine.metricFailed({ period, statistic: cloudwatch.Stats.SUM }),
          ...atLeastOnce,
        }),
        // A timed-out execution is not counted as failed, and no Catch sees it (ScheduledSync has a TimeoutSeconds).
        new cloudwatch.Alarm(this, `${name}TimedOut`, {
          alarmName: resourceName(props.stage, `${name}-ExecutionsTimedOut`),
          alarmDescription: `A ${name} execution timed out.`,
          metric: stateMachine.metricTimedOut({ period, statistic: cloudwatch.Stats.SUM }),
          ...atLeastOnce,
        }),
      );
    }
    this.alarms.push(
      new cloudwatch.Alarm(this, 'HttpErrors', {
        alarmName: resourceName(props.stage, 'Http-Errors'),
        alarmDescription: 'The API function threw or timed out (handled errors are HTTP responses and do not count).',
        metric: props.httpFunction.metricErrors({ period, statistic: cloudwatch.Stats.SUM }),
        ...atLeastOnce,
      }),
    );

    if (props.alarmEmail) {
      this.topic = new sns.Topic(this, 'Topic', { topicName: resourceName(props.stage, 'Alarms') });
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
      for (const alarm of this.alarms) alarm.addAlarmAction(new actions.SnsAction(this.topic));
    }
  }
}
