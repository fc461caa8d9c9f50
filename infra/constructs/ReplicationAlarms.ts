import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** Options of {@link ReplicationAlarms}. */
export interface ReplicationAlarmsProps {
  /** Physical name of the ledger global table (the same in every region). */
  readonly tableName: string;
  /** The other regions this region's replica replicates to (DynamoDB's `ReceivingRegion`). */
  readonly receivingRegions: readonly string[];
  /** Above this replication latency, milliseconds, the region switch's handover guard no longer covers replication. */
  readonly thresholdMs: number;
  /** Evaluation period, seconds. */
  readonly periodSeconds: number;
  /** Topic the alarms notify. */
  readonly topic: sns.ITopic;
}

/**
 * One alarm per receiving region on the ledger's `ReplicationLatency` (AWS/DynamoDB, milliseconds,
 * dimensions TableName and ReceivingRegion, published in the sending region): `herald region
 * activate` waits out the send timeout plus a replication allowance between the old region's
 * last claim and the new region's first, so a latency above that allowance means a switch made
 * now could let both regions claim the same email. Missing data (no writes) is not breaching.
 */
export class ReplicationAlarms extends Construct {
  /** Alarm per receiving region. */
  readonly alarms: Map<string, cloudwatch.Alarm> = new Map();

  constructor(scope: Construct, id: string, props: ReplicationAlarmsProps) {
    super(scope, id);
    const notify = new actions.SnsAction(props.topic);
    for (const region of props.receivingRegions) {
      const alarm = new cloudwatch.Alarm(this, `Latency-${region}`, {
        alarmName: `${props.tableName}-replication-to-${region}`,
        alarmDescription:
          `${props.tableName} replicates to ${region} slower than ${props.thresholdMs} ms: do not switch the ` +
          'active region (herald region activate) until it recovers, or accept duplicates (docs/DEPLOY.md)',
        metric: new cloudwatch.Metric({
          namespace: 'AWS/DynamoDB',
          metricName: 'ReplicationLatency',
          dimensionsMap: { TableName: props.tableName, ReceivingRegion: region },
          period: Duration.seconds(props.periodSeconds),
          statistic: 'Maximum',
        }),
        threshold: props.thresholdMs,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(notify);
      this.alarms.set(region, alarm);
    }
  }
}
