import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AlarmTopology } from '#topology/topology';

/** A queue watched by name. */
export interface WatchedQueue {
  /** Physical queue name (alarm names derive from it). */
  readonly name: string;
  readonly queue: sqs.IQueue;
}

/** Options of {@link Alarms}. */
export interface AlarmsProps {
  /** Physical name of the SNS topic the operator subscribes to. */
  readonly topicName: string;
  /** Every dead-letter queue: alarm as soon as one holds a message. */
  readonly deadLetterQueues: readonly WatchedQueue[];
  /**
   * Every main queue with its stage's alarm thresholds (`topology.stages[name].alarms`): the age
   * alarm fires above `oldestMessageAgeSeconds`.
   */
  readonly mainQueues: readonly (WatchedQueue & { readonly alarms: AlarmTopology })[];
  /** Evaluation period, seconds. */
  readonly periodSeconds: number;
  /** Optional email address subscribed to the topic at deploy time. */
  readonly email?: string | undefined;
}

/**
 * The operator's alarms: one per DLQ (depth > 0: something needs a human) and one per main queue
 * (oldest message older than it could legitimately be: the stage is not consuming). All notify
 * one SNS topic (TLS-only publishing); missing data is not breaching, so an idle stack is quiet.
 */
export class Alarms extends Construct {
  readonly topic: sns.Topic;
  /** Alarm per DLQ name. */
  readonly deadLetterAlarms: Map<string, cloudwatch.Alarm> = new Map();
  /** Alarm per main queue name. */
  readonly ageAlarms: Map<string, cloudwatch.Alarm> = new Map();

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: props.topicName,
      displayName: 'release-herald alarms',
      enforceSSL: true,
    });
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    const notify = new actions.SnsAction(this.topic);
    const period = Duration.seconds(props.periodSeconds);

    for (const { name, queue } of props.deadLetterQueues) {
      const alarm = new cloudwatch.Alarm(this, `Dlq-${name}`, {
        alarmName: `${name}-not-empty`,
        alarmDescription: `${name} holds messages: inspect and redrive them (herald CLI)`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(notify);
      this.deadLetterAlarms.set(name, alarm);
    }
    for (const { name, queue, alarms } of props.mainQueues) {
      const maxAgeSeconds = alarms.oldestMessageAgeSeconds;
      const alarm = new cloudwatch.Alarm(this, `Age-${name}`, {
        alarmName: `${name}-oldest-message-age`,
        alarmDescription: `${name} has a message older than ${maxAgeSeconds} s: its function is not consuming`,
        metric: queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' }),
        threshold: maxAgeSeconds,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(notify);
      this.ageAlarms.set(name, alarm);
    }
  }
}
