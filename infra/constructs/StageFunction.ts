import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import type { StageTopology } from '#topology/topology';
import { HeraldFunction, type HeraldFunctionProps } from './HeraldFunction.ts';
import type { StageQueues } from './StageQueues.ts';

/** Options of {@link StageFunction}. */
export interface StageFunctionProps extends Omit<HeraldFunctionProps, 'settings'> {
  /** The stage (topology.stages[name]): memory, timeout, batch size, window, concurrency. */
  readonly stage: StageTopology;
  /** The stage's queue trio. */
  readonly queues: StageQueues;
  /** Event source maximum concurrency. Default the topology's `fn.maxConcurrency`. */
  readonly maxConcurrency?: number | undefined;
  /** Event source batch size. Default the topology's `batchSize`. */
  readonly batchSize?: number | undefined;
}

/**
 * A queue stage's function: consumes `<stage>` with partial batch failures (the batch size,
 * batching window and maximum concurrency of the topology) and may send to its own
 * `<stage>-reschedule` and `<stage>-dlq` (permanent errors go straight to the DLQ). Receive,
 * delete and ChangeMessageVisibility (redelivery backoff) on the main queue come with the event
 * source.
 */
export class StageFunction extends Construct {
  readonly handler: HeraldFunction;

  constructor(scope: Construct, id: string, props: StageFunctionProps) {
    super(scope, id);
    const { stage, queues, maxConcurrency, batchSize, ...functionProps } = props;
    this.handler = new HeraldFunction(this, 'Handler', { ...functionProps, settings: stage.fn });
    this.handler.fn.addEventSource(
      new SqsEventSource(queues.main, {
        batchSize: batchSize ?? stage.batchSize,
        maxBatchingWindow:
          stage.batchWindowSeconds > 0 ? Duration.seconds(stage.batchWindowSeconds) : undefined,
        reportBatchItemFailures: true,
        maxConcurrency: maxConcurrency ?? stage.fn.maxConcurrency,
      }),
    );
    queues.reschedule.grantSendMessages(this.handler.role);
    queues.dlq.grantSendMessages(this.handler.role);
  }
}
