import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { EmfMetrics } from '#adapters/metrics/EmfMetrics';
import { SqsQueue } from '#adapters/queue/SqsQueue';
import { createSqsHandler, type RecordContext } from '#retry/createSqsHandler';
import { type Config, loadConfig } from '#shared/config';
import { createLogger, type Log } from '#shared/logger';
import type { StageName } from '#topology/topology';

/** A stage's Lambda handler over its SQS queue. */
export type SqsStageHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** What every queue stage's `handler.ts` builds once at module scope, from {@link sqsStageWiring}. */
export interface SqsStageWiring {
  /** The environment, read and checked once (cold start). */
  config: Config;
  /** `HERALD_ENV`, for resource names. */
  env: string;
  /** EMF lines on stdout, which CloudWatch turns into the ReleaseHerald metrics (one flush per batch). */
  metrics: EmfMetrics;
  /**
   * The root logger. createSqsHandler binds `stage` to each record's child, so a line logged
   * outside a record needs a `child({ stage })` of its own.
   */
  logger: Log;
  /** The stage's SQS client: the batch runner's deletes and routing, and the core's sends. */
  queue: SqsQueue;
  /** The stage's handler around its core: retry ladder, record spans, metrics, partial batch failures. */
  handlerFor: (processRecord: (record: SQSRecord, ctx: RecordContext) => Promise<void>) => SqsStageHandler;
}

/**
 * The wiring every queue stage (ingest, enrich, schedule, compose, send) shares: config, metrics,
 * root logger and queue, and its createSqsHandler with the retry profile and the tracing check
 * (tracing is expected when the stack set the ADOT layer's wrapper, `AWS_LAMBDA_EXEC_WRAPPER`).
 * Imports nothing a stage's bundle would not carry anyway.
 * @param stage the stage whose queues, ladder and metrics dimension apply.
 */
export const sqsStageWiring = (stage: StageName): SqsStageWiring => {
  const config = loadConfig();
  const env = config.HERALD_ENV;
  const metrics = new EmfMetrics({ stage, env });
  const logger = createLogger({ level: config.LOG_LEVEL, file: config.LOG_FILE });
  const queue = new SqsQueue({});
  const handlerFor: SqsStageWiring['handlerFor'] = (processRecord) =>
    createSqsHandler({
      retryProfile: config.HERALD_RETRY_PROFILE,
      stage,
      env,
      metrics,
      expectTracing: config.AWS_LAMBDA_EXEC_WRAPPER !== undefined,
      queue,
      logger,
      processRecord,
    });
  return { config, env, metrics, logger, queue, handlerFor };
};
