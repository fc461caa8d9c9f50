import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DLQ_RETENTION_SECONDS, queueName, type StageTopology } from '#topology/topology';

/** Options of {@link StageQueues}. */
export interface StageQueuesProps {
  /** The stage (topology.stages[name]). */
  readonly stage: StageTopology;
  /** Environment name in resource names; empty for none. */
  readonly envName: string;
  /**
   * Visibility timeout of the reschedule queue, seconds
   * (`topology.rescheduleQueue.visibilityTimeoutSeconds`: 6 × the rescheduler's timeout).
   */
  readonly rescheduleVisibilitySeconds: number;
  /**
   * `maxReceiveCount` of the reschedule queue's redrive to the DLQ
   * (`rescheduleRedriveMaxReceiveCount(stage, …)` of the topology). Where SQS keeps the receive
   * count across a redrive it counts on from the main queue's, so it must exceed the stage's own.
   */
  readonly rescheduleMaxReceiveCount: number;
}

/** Properties every queue of the stack shares: SQS-managed SSE and TLS-only access. */
export const secureQueueProps = {
  encryption: sqs.QueueEncryption.SQS_MANAGED,
  enforceSSL: true,
} as const satisfies sqs.QueueProps;

/**
 * A stage's three queues: `<stage>` (main; SQS redrives to the reschedule queue after the
 * topology's maxReceiveCount), `<stage>-reschedule` (read by the rescheduler; redrives to the DLQ
 * if the rescheduler keeps failing) and `<stage>-dlq` (terminal, 14 days).
 */
export class StageQueues extends Construct {
  /** `<stage>`: what the stage function consumes. */
  readonly main: sqs.Queue;
  /** `<stage>-reschedule`: what the rescheduler consumes. */
  readonly reschedule: sqs.Queue;
  /** `<stage>-dlq`: terminal. */
  readonly dlq: sqs.Queue;

  constructor(scope: Construct, id: string, props: StageQueuesProps) {
    super(scope, id);
    const { stage, envName } = props;
    if (props.rescheduleMaxReceiveCount <= stage.retry.maxReceiveCount) {
      throw new Error(
        `${stage.name}: the reschedule queue's maxReceiveCount (${props.rescheduleMaxReceiveCount}) must exceed ` +
          `the main queue's (${stage.retry.maxReceiveCount}): where SQS keeps the receive count across a redrive, ` +
          'the rescheduler would get no attempt',
      );
    }
    if (stage.visibilityTimeoutSeconds < 6 * stage.fn.timeoutSeconds) {
      throw new Error(
        `${stage.name}: visibility timeout ${stage.visibilityTimeoutSeconds} s must be at least 6 × the ` +
          `function timeout (${stage.fn.timeoutSeconds} s)`,
      );
    }
    this.dlq = new sqs.Queue(this, 'Dlq', {
      ...secureQueueProps,
      queueName: queueName(stage.name, 'dlq', envName),
      retentionPeriod: Duration.seconds(DLQ_RETENTION_SECONDS),
    });
    this.reschedule = new sqs.Queue(this, 'Reschedule', {
      ...secureQueueProps,
      queueName: queueName(stage.name, 'reschedule', envName),
      retentionPeriod: Duration.seconds(stage.retentionSeconds),
      visibilityTimeout: Duration.seconds(props.rescheduleVisibilitySeconds),
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: props.rescheduleMaxReceiveCount },
    });
    this.main = new sqs.Queue(this, 'Main', {
      ...secureQueueProps,
      queueName: queueName(stage.name, 'main', envName),
      retentionPeriod: Duration.seconds(stage.retentionSeconds),
      visibilityTimeout: Duration.seconds(stage.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.reschedule, maxReceiveCount: stage.retry.maxReceiveCount },
    });
  }
}
