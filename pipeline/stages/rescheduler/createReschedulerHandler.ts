import { context as otelContext } from '@opentelemetry/api';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { peekEnvelope } from '#retry/peekEnvelope';
import type { Log } from '#shared/logger';
import { contextFromTraceparent, withSpan } from '#shared/tracing';
import { queueNameFromArnOrUrl } from '#topology/topology';
import { processRecord, type ReschedulerDeps } from './processRecord.ts';

/** Options of {@link createReschedulerHandler}. */
export interface ReschedulerHandlerOptions extends Omit<ReschedulerDeps, 'logger' | 'now'> {
  /** Root logger; each record gets a child `{ stage: 'rescheduler', queue, messageId }`. */
  logger: Log;
  /** Clock. Default `new Date()`. */
  now?: () => Date;
}

/**
 * The rescheduler's Lambda handler over every `<stage>-reschedule` queue. Records are independent
 * and each costs one or two quick AWS calls, so they run concurrently. A record that fails is only
 * reported in `batchItemFailures`: it stays on its reschedule queue, comes back after that queue's
 * visibility timeout, and the queue's own redrive policy bounds how often.
 */
export const createReschedulerHandler = (
  options: ReschedulerHandlerOptions,
): ((event: SQSEvent, context: Context) => Promise<SQSBatchResponse>) => {
  const now = options.now ?? (() => new Date());
  return async (event) => {
    const results = await Promise.all(
      event.Records.map(async (record) => {
        const logger = options.logger.child({
          stage: 'rescheduler',
          queue: queueNameFromArnOrUrl(record.eventSourceARN),
          messageId: record.messageId,
        });
        try {
          const traceparent = peekEnvelope(record.body)?.envelope.traceparent;
          await withSpan(
            'rescheduler process',
            () => processRecord(record, { ...options, now, logger }),
            {},
            traceparent ? contextFromTraceparent(traceparent) : otelContext.active(),
          );
          return undefined;
        } catch (err) {
          logger.error({ err }, 'reschedule_failed');
          return { itemIdentifier: record.messageId };
        }
      }),
    );
    return { batchItemFailures: results.filter((r) => r !== undefined) };
  };
};
