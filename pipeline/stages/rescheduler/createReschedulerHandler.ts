import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createBatchHandler } from '#retry/createBatchHandler';
import { peekEnvelope } from '#retry/peekEnvelope';
import { withRecordSpan } from '#retry/withRecordSpan';
import type { Log } from '#shared/logger';
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
 * The rescheduler's Lambda handler over every `<stage>-reschedule` queue, on the batch loop of
 * every queue consumer ({@link createBatchHandler}). Records are independent and each costs one or
 * two quick AWS calls, so they run concurrently. A record that fails is only reported in
 * `batchItemFailures` (`reschedule_failed`): it stays on its reschedule queue, comes back after
 * that queue's visibility timeout, and the queue's own redrive policy bounds how often.
 */
export const createReschedulerHandler = (
  options: ReschedulerHandlerOptions,
): ((event: SQSEvent, context: Context) => Promise<SQSBatchResponse>) => {
  const now = options.now ?? (() => new Date());
  return createBatchHandler({
    stage: 'rescheduler',
    logger: options.logger,
    concurrency: Number.POSITIVE_INFINITY,
    run: async (record) => {
      const logger = options.logger.child({
        stage: 'rescheduler',
        queue: queueNameFromArnOrUrl(record.eventSourceARN),
        messageId: record.messageId,
      });
      try {
        const traceparent = peekEnvelope(record.body)?.envelope.traceparent;
        await withRecordSpan('rescheduler process', traceparent, () =>
          processRecord(record, { ...options, now, logger }),
        );
        return false;
      } catch (err) {
        logger.error({ err }, 'reschedule_failed');
        return true;
      }
    },
  });
};
