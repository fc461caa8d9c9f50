import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { METRIC_NAMES, type MetricsPort, noMetrics } from '#adapters/metrics/MetricsPort';
import type { QueuePort } from '#adapters/queue/QueuePort';
import type { Log } from '#shared/logger';
import { tracingRegistered } from '#shared/tracing';
import { queueName, type RetryProfile, retryOf, type StageName } from '#topology/topology';
import { createBatchHandler } from './createBatchHandler.ts';
import { describeError, receiveCountOf, reschedulesOf } from './heraldAttributes.ts';
import { peekEnvelope } from './peekEnvelope.ts';
import { type FailureRouting, routeFailure } from './routeFailure.ts';
import { traceparentOf } from './traceparentOf.ts';
import { withRecordSpan } from './withRecordSpan.ts';

/** What a record handler gets besides the record. */
export interface RecordContext {
  /**
   * Child logger bound to `{ stage, messageId }` and, for an envelope, its `key`. A handler may
   * replace it with a child of its own
   * (`ctx.logger = ctx.logger.child({ releaseId })`): the failure logs (`record_failed`, ...) use
   * whatever is here when the handler throws.
   */
  logger: Log;
  /** SQS ApproximateReceiveCount (1 on first delivery). */
  receiveCount: number;
  /** Milliseconds the record may still use (the Lambda's remaining time minus `reserveMs`). */
  remainingTimeMs: () => number;
}

/** Options of {@link createSqsHandler}. */
export interface CreateSqsHandlerOptions {
  /** Stage whose queues and ladder (`topology.stages[stage].retry`) apply. */
  stage: StageName;
  /** HERALD_ENV, for queue names. Default none. */
  env?: string;
  /** For ChangeMessageVisibility, reschedule and DLQ sends, and deletes. */
  queue: QueuePort;
  /** Root logger; each record gets a child. */
  logger: Log;
  /** The stage's core. Fails only by throwing; PermanentError/ContractError dead-letter at once. */
  processRecord: (record: SQSRecord, ctx: RecordContext) => Promise<void>;
  /**
   * Records processed at the same time. Default 1 (one after another): batches are small (≤ 10),
   * every stage calls rate-limited APIs (Jira, OpenAI, SES at 14/s) whose limits concurrency
   * would only hit sooner, and each record's `remainingTimeMs` budget is then its own.
   */
  concurrency?: number;
  /**
   * Milliseconds of the invocation held back for routing failures (visibility changes, DLQ and
   * reschedule sends). A record not started when less than this is left is handed back to SQS
   * untouched. Default 3000.
   */
  reserveMs?: number;
  /** Clock for `herald-failed-at` and HTTP-date Retry-After. Default `new Date()`. */
  now?: () => Date;
  /** Jitter source in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Retry timing profile (`HERALD_RETRY_PROFILE`). Default `standard`. */
  retryProfile?: RetryProfile;
  /**
   * Counts each record's outcome (processed, failed, rescheduled, dead-lettered) and is flushed
   * once per batch. Default none.
   */
  metrics?: MetricsPort;
  /**
   * Tracing should be on (the stack set the ADOT layer's wrapper): warn once, at build, with
   * `tracing_not_registered` when no tracer is registered, since every span would then be a
   * silent no-op. Default false.
   */
  expectTracing?: boolean;
}

/** The record span's kind and OpenTelemetry messaging attributes. */
const consumerSpanOf = (sourceQueue: string, messageId: string) => ({
  kind: SpanKind.CONSUMER,
  attributes: {
    'messaging.system': 'aws_sqs',
    'messaging.operation.type': 'process',
    'messaging.destination.name': sourceQueue,
    'messaging.message.id': messageId,
  },
});

/**
 * Builds the Lambda handler of a stage: runs `processRecord` on each record of an SQS batch, each
 * in its own try/catch, child logger and OpenTelemetry span (parented on the envelope's
 * `traceparent`), and routes every failure through the retry ladder ({@link routeFailure}):
 *
 * - retry → reported in `batchItemFailures`, visibility set to the backoff (a failed
 *   ChangeMessageVisibility is logged; the record is still reported);
 * - reschedule → forwarded to `<stage>-reschedule` with `herald-last-error`, `herald-stage` and
 *   `herald-receive-count`, then deleted; if forwarding fails it is only reported, and SQS redrive
 *   (same maxReceiveCount) moves it instead;
 * - dead → sent to `<stage>-dlq` with the `herald-*` reason attributes, then deleted; if that send
 *   fails it is reported instead, so it is never lost.
 *
 * Routed records are deleted explicitly even though the event source mapping deletes every
 * unreported record: should the invocation later time out, the whole batch would come back and
 * the routed ones be dead-lettered or rescheduled twice. A failed delete is only logged.
 * One record never fails another, and the handler itself never throws.
 */
export const createSqsHandler = (
  options: CreateSqsHandlerOptions,
): ((event: SQSEvent, context: Context) => Promise<SQSBatchResponse>) => {
  const { stage, env = '', queue, logger, processRecord } = options;
  const reserveMs = options.reserveMs ?? 3_000;
  const metrics = options.metrics ?? noMetrics;
  const routing: FailureRouting = {
    stage,
    retry: retryOf(stage, options.retryProfile),
    queue,
    queues: {
      source: queueName(stage, 'main', env),
      reschedule: queueName(stage, 'reschedule', env),
      deadLetter: queueName(stage, 'dlq', env),
    },
    metrics,
    now: options.now ?? (() => new Date()),
    random: options.random,
  };
  const sourceQueue = routing.queues.source;
  if (options.expectTracing && !tracingRegistered()) {
    logger.warn(
      { stage, hint: "the layer's @opentelemetry/api must be at least the bundled one" },
      'tracing_not_registered',
    );
  }

  /** Resolves to true when the record must be reported in batchItemFailures. */
  const run = async (record: SQSRecord, lambda: Context): Promise<boolean> => {
    const peeked = peekEnvelope(record.body);
    const reschedules = reschedulesOf(record, peeked?.envelope);
    const ctx: RecordContext = {
      // The envelope's business key, on every line of the record (the failure lines too).
      logger: logger.child({
        stage,
        messageId: record.messageId,
        ...(peeked ? { key: peeked.envelope.key } : {}),
      }),
      receiveCount: receiveCountOf(record),
      remainingTimeMs: () => Math.max(0, lambda.getRemainingTimeInMillis() - reserveMs),
    };

    if (ctx.remainingTimeMs() <= 0) {
      // Out of time before starting: hand it straight back rather than risk a timeout that would
      // fail the whole batch. Visibility 0 makes it receivable again at once.
      ctx.logger.warn({ receiveCount: ctx.receiveCount }, 'record_deferred');
      await queue.changeVisibility(sourceQueue, record.receiptHandle, 0).catch((err: unknown) => {
        ctx.logger.error({ err }, 'visibility_change_failed');
      });
      return true;
    }

    // Read once, here: the stage core's spans are children of this record span.
    return withRecordSpan(
      `${stage} process`,
      traceparentOf(record.body, peeked),
      async (span) => {
        try {
          await processRecord(record, ctx);
          metrics.count(METRIC_NAMES.recordsProcessed);
          return false;
        } catch (error) {
          span.recordException(error instanceof Error ? error : new Error(String(error)));
          span.setStatus({ code: SpanStatusCode.ERROR, message: describeError(error) });
          return await routeFailure(routing, { record, ctx, reschedules, error });
        }
      },
      consumerSpanOf(sourceQueue, record.messageId),
    );
  };

  return createBatchHandler({ stage, logger, run, concurrency: options.concurrency, metrics });
};
