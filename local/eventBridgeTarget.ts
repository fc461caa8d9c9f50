import type { Context, EventBridgeEvent, SQSBatchItemFailure } from 'aws-lambda';
import type { Log } from '#shared/logger';
import type { SqsLambdaHandler } from './LocalLambdaRuntime.ts';

/** A Lambda handler invoked with an EventBridge event (a rule target), e.g. the feedback stage. */
export type EventBridgeLambdaHandler = (
  event: EventBridgeEvent<string, unknown>,
  context: Context,
) => Promise<unknown>;

/**
 * Runs an EventBridge-invoked handler from a queue, the local stand-in for a rule that invokes a
 * function asynchronously: each record's body is the event as EventBridge delivers it to an SQS
 * target; a record whose invocation throws is reported in `batchItemFailures` (and logged as
 * `event_target_failed`), so SQS delivers it again and its redrive policy plays Lambda's retries
 * and on-failure DLQ.
 */
export const eventBridgeTargetHandler =
  (handler: EventBridgeLambdaHandler, logger: Pick<Log, 'warn'>): SqsLambdaHandler =>
  async (event, context) => {
    const batchItemFailures: SQSBatchItemFailure[] = [];
    for (const record of event.Records) {
      try {
        await handler(JSON.parse(record.body) as EventBridgeEvent<string, unknown>, context);
      } catch (err) {
        logger.warn({ err, messageId: record.messageId }, 'event_target_failed');
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
