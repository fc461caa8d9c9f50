import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import {
  METRIC_NAMES,
  METRICS_NAMESPACE,
  type MetricName,
  metricDimensions,
} from '#adapters/metrics/MetricsPort';
import type { WatchedQueue } from './Alarms.ts';

/** Options of {@link Dashboard}. */
export interface DashboardProps {
  /** Physical dashboard name (unique in the account, all regions). */
  readonly dashboardName: string;
  /** HERALD_ENV: the `environment` dimension of the ReleaseHerald metrics. */
  readonly envName: string;
  /** Stages whose runner metrics are drawn, in flow order. */
  readonly stages: readonly string[];
  /** Every main queue (age of the oldest message). */
  readonly mainQueues: readonly WatchedQueue[];
  /** Every reschedule queue (age of the oldest message). */
  readonly rescheduleQueues: readonly WatchedQueue[];
  /** Every dead-letter queue (depth and age of the oldest message). */
  readonly deadLetterQueues: readonly WatchedQueue[];
  /** Period of every graph, seconds. */
  readonly periodSeconds: number;
}

/** Graph width in the dashboard's 24-column grid. */
const WIDTH = { half: 12, third: 8, quarter: 6 } as const;

/**
 * The CloudWatch dashboard of release-herald: per stage, records processed, failed (retried),
 * rescheduled and dead-lettered (the batch runner's EMF metrics); emails sent and LLM tokens; the
 * depth of every DLQ; and the age of the oldest message of every queue, main, reschedule and DLQ.
 */
export class Dashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const period = Duration.seconds(props.periodSeconds);
    const herald = (name: MetricName, stage: string, label = stage) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: name,
        dimensionsMap: metricDimensions(stage, props.envName),
        statistic: cloudwatch.Stats.SUM,
        period,
        label,
      });
    const perStage = (title: string, name: MetricName) =>
      new cloudwatch.GraphWidget({
        title,
        width: WIDTH.quarter,
        left: props.stages.map((stage) => herald(name, stage)),
      });
    const queues = (
      title: string,
      watched: readonly WatchedQueue[],
      metric: (q: WatchedQueue) => cloudwatch.IMetric,
      width: number,
    ) => new cloudwatch.GraphWidget({ title, width, left: watched.map(metric) });
    const depth = (q: WatchedQueue) =>
      q.queue.metricApproximateNumberOfMessagesVisible({
        statistic: cloudwatch.Stats.MAXIMUM,
        period,
        label: q.name,
      });
    const age = (q: WatchedQueue) =>
      q.queue.metricApproximateAgeOfOldestMessage({
        statistic: cloudwatch.Stats.MAXIMUM,
        period,
        label: q.name,
      });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      widgets: [
        [
          perStage('Records processed', METRIC_NAMES.recordsProcessed),
          perStage('Records failed (retried)', METRIC_NAMES.recordsFailed),
          perStage('Records rescheduled', METRIC_NAMES.recordsRescheduled),
          perStage('Records dead-lettered', METRIC_NAMES.recordsDeadLettered),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Emails sent',
            width: WIDTH.half,
            left: [herald(METRIC_NAMES.emailsSent, 'send', 'emails')],
          }),
          new cloudwatch.GraphWidget({
            title: 'LLM tokens',
            width: WIDTH.half,
            left: [
              herald(METRIC_NAMES.llmPromptTokens, 'compose', 'prompt'),
              herald(METRIC_NAMES.llmCompletionTokens, 'compose', 'completion'),
            ],
          }),
        ],
        [
          queues('DLQ depth (messages)', props.deadLetterQueues, depth, WIDTH.half),
          queues('Oldest message in a DLQ (s)', props.deadLetterQueues, age, WIDTH.half),
        ],
        [
          queues('Oldest message on a stage queue (s)', props.mainQueues, age, WIDTH.half),
          queues('Oldest message on a reschedule queue (s)', props.rescheduleQueues, age, WIDTH.half),
        ],
      ],
    });
  }
}
