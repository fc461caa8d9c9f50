import { type Log, silentLogger } from '#shared/logger';
import { resourceName, STAGES, type StageName, topology } from '#topology/topology';
import type { QueueRef, StackQueues } from './bootstrap.ts';
import { type EventBridgeLambdaHandler, eventBridgeTargetHandler } from './eventBridgeTarget.ts';
import { RESCHEDULE_VISIBILITY_TIMEOUT_SECONDS, RESCHEDULER_FUNCTION } from './constants.ts';
import {
  LocalLambdaRuntime,
  type LocalLambdaRuntimeOptions,
  type SqsLambdaHandler,
} from './LocalLambdaRuntime.ts';

/**
 * Options of {@link LocalRuntime}. The {@link LocalLambdaRuntime} options it names are given to
 * every function's runtime as they are: `concurrency` is pollers per queue (default 1, the
 * runtime of a laptop, not of `maxConcurrency`), `onInvoke`/`onResult` see every function.
 */
export interface LocalRuntimeOptions
  extends Pick<
    LocalLambdaRuntimeOptions,
    'sqs' | 'concurrency' | 'waitTimeSeconds' | 'stopTimeoutMs' | 'logger' | 'onInvoke' | 'onResult'
  > {
  /** Every queue, as {@link bootstrap} returns them. */
  queues: StackQueues;
  /** Handler per stage; a stage without one is not polled (its messages wait in its queue). */
  handlers: Partial<Record<StageName, SqsLambdaHandler>>;
  /** The rescheduler's handler, run on every `<stage>-reschedule` queue. Default none. */
  rescheduler?: SqsLambdaHandler | undefined;
  /** Environment name (`HERALD_ENV`), for function names (`herald-<env>-compose`). Default none. */
  env?: string;
  /**
   * The feedback function on the queue the local SES feedback rule targets (bootstrap's
   * `feedbackQueue`), invoked with each EventBridge event. Default none (SES events wait there).
   */
  feedback?: { queue: QueueRef; handler: EventBridgeLambdaHandler } | undefined;
}

/** The feedback function on its local queue, with the topology's size and timeout. */
export const feedbackRuntime = (
  feedback: { queue: QueueRef; handler: EventBridgeLambdaHandler },
  env: string,
  common: Omit<
    LocalLambdaRuntimeOptions,
    'queue' | 'functionName' | 'handler' | 'batchSize' | 'visibilityTimeoutSeconds' | 'timeoutSeconds'
  > & { logger: Log },
): LocalLambdaRuntime =>
  new LocalLambdaRuntime({
    ...common,
    queue: feedback.queue,
    functionName: resourceName('feedback', env),
    handler: eventBridgeTargetHandler(feedback.handler, common.logger),
    batchSize: 10,
    visibilityTimeoutSeconds: topology.feedback.fn.timeoutSeconds + 5,
    timeoutSeconds: topology.feedback.fn.timeoutSeconds,
    memoryMb: topology.feedback.fn.memoryMb,
  });

/**
 * Every stage function of the topology on its main queue (batch size, visibility timeout and
 * function timeout from the topology), the rescheduler on every reschedule queue and the feedback
 * function on the SES feedback queue: the local stand-in for Lambda's SQS event sources and for
 * the feedback rule's invocations.
 */
export class LocalRuntime {
  /** One runtime per polled queue. */
  readonly runtimes: readonly LocalLambdaRuntime[];

  constructor(options: LocalRuntimeOptions) {
    const { queues, handlers, rescheduler, feedback, env = '', logger = silentLogger(), ...shared } = options;
    const common = { ...shared, logger };
    const runtimes: LocalLambdaRuntime[] = [];
    for (const stage of STAGES) {
      const handler = handlers[stage];
      if (!handler) {
        logger.warn({ stage }, 'stage_not_wired');
        continue;
      }
      const settings = topology.stages[stage];
      runtimes.push(
        new LocalLambdaRuntime({
          ...common,
          queue: queues[stage].main,
          functionName: resourceName(stage, env),
          handler,
          batchSize: settings.batchSize,
          visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
          timeoutSeconds: settings.fn.timeoutSeconds,
          memoryMb: settings.fn.memoryMb,
        }),
      );
    }
    if (rescheduler) {
      for (const stage of STAGES) {
        runtimes.push(
          new LocalLambdaRuntime({
            ...common,
            queue: queues[stage].reschedule,
            functionName: resourceName(RESCHEDULER_FUNCTION, env),
            handler: rescheduler,
            batchSize: topology.rescheduler.batchSize,
            visibilityTimeoutSeconds: RESCHEDULE_VISIBILITY_TIMEOUT_SECONDS,
            timeoutSeconds: topology.rescheduler.fn.timeoutSeconds,
            memoryMb: topology.rescheduler.fn.memoryMb,
          }),
        );
      }
    }
    if (feedback) runtimes.push(feedbackRuntime(feedback, env, common));
    this.runtimes = runtimes;
  }

  /** Starts polling every queue. */
  start(): void {
    for (const runtime of this.runtimes) runtime.start();
  }

  /** Stops every runtime, waiting for in-flight invocations (bounded per runtime). */
  async stop(): Promise<void> {
    await Promise.all(this.runtimes.map((runtime) => runtime.stop()));
  }
}
