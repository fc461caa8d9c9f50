import type { SQSRecord } from 'aws-lambda';
import { METRIC_NAMES, type MetricsPort } from '#adapters/metrics/MetricsPort';
import type { QueuePort } from '#adapters/queue/QueuePort';
import type { RetryTopology, StageName } from '#topology/topology';
import { decide, decideReschedule } from './backoffPolicy.ts';
import type { RecordContext } from './createSqsHandler.ts';
import {
  deadLetterAttributes,
  describeError,
  HERALD_ATTRIBUTES,
  mergeAttributes,
  stringAttributesOf,
} from './heraldAttributes.ts';

/** What routing a failed record needs; fixed for one handler. */
export interface FailureRouting {
  /** Stage whose ladder and queues apply (`herald-stage`). */
  stage: StageName;
  /** The stage's ladder (`topology.stages[stage].retry`, in the handler's profile). */
  retry: RetryTopology;
  /** For ChangeMessageVisibility, reschedule and DLQ sends, and deletes. */
  queue: QueuePort;
  /** The stage's main, reschedule and dead-letter queue names. */
  queues: { source: string; reschedule: string; deadLetter: string };
  /** Counts failed, rescheduled and dead-lettered records. */
  metrics: MetricsPort;
  /** Clock for `herald-failed-at` and HTTP-date Retry-After. */
  now: () => Date;
  /** Jitter source in [0, 1). Default `Math.random`. */
  random?: (() => number) | undefined;
}

/** A record whose stage core threw. */
export interface FailedRecord {
  record: SQSRecord;
  /** Its context; failure lines go to `ctx.logger`. */
  ctx: RecordContext;
  /** Times the rescheduler already put it back on its stage queue. */
  reschedules: number;
  /** What the core threw. */
  error: unknown;
}

/** Deletes a routed record from its source queue; a failed delete is only logged. */
const deleteRouted = async (routing: FailureRouting, { record, ctx }: FailedRecord): Promise<void> => {
  try {
    await routing.queue.delete(routing.queues.source, record.receiptHandle);
  } catch (err) {
    ctx.logger.warn({ err }, 'routed_delete_failed');
  }
};

/** Retry: hides the record for the backoff (a failed visibility change is logged) and reports it. */
const retryLater = async (
  routing: FailureRouting,
  { record, ctx, reschedules, error }: FailedRecord,
  visibilityTimeoutSeconds: number,
): Promise<boolean> => {
  const { receiveCount } = ctx;
  routing.metrics.count(METRIC_NAMES.recordsFailed);
  ctx.logger.warn({ err: error, receiveCount, reschedules, visibilityTimeoutSeconds }, 'record_failed');
  try {
    await routing.queue.changeVisibility(
      routing.queues.source,
      record.receiptHandle,
      visibilityTimeoutSeconds,
    );
  } catch (err) {
    ctx.logger.error({ err, visibilityTimeoutSeconds }, 'visibility_change_failed');
  }
  return true;
};

/**
 * Reschedule: forwards the record to `<stage>-reschedule` with `herald-last-error`, `herald-stage`
 * and `herald-receive-count`, then deletes it; reported instead when the forward fails.
 */
const forwardToReschedule = async (routing: FailureRouting, failed: FailedRecord, reason: string) => {
  const { record, ctx, reschedules, error } = failed;
  const { receiveCount } = ctx;
  const attributes = mergeAttributes(stringAttributesOf(record), {
    [HERALD_ATTRIBUTES.lastError]: describeError(error),
    [HERALD_ATTRIBUTES.stage]: routing.stage,
    [HERALD_ATTRIBUTES.receiveCount]: String(receiveCount),
  });
  try {
    await routing.queue.send(routing.queues.reschedule, [{ body: record.body, attributes }]);
  } catch (err) {
    ctx.logger.error({ err, cause: error, receiveCount, reschedules }, 'reschedule_forward_failed');
    return true;
  }
  routing.metrics.count(METRIC_NAMES.recordsRescheduled);
  // What the rescheduler will do with it, for people reading the log (`npm start` prints it).
  const next = decideReschedule({ reschedules, retry: routing.retry });
  const rescheduleInSeconds = next.action === 'reschedule' ? next.delaySeconds : undefined;
  ctx.logger.warn(
    { err: error, receiveCount, reschedules, reason, rescheduleInSeconds },
    'record_rescheduled',
  );
  await deleteRouted(routing, failed);
  return false;
};

/** Dead: sends the record to `<stage>-dlq` with the `herald-*` reason, then deletes it; reported when the send fails. */
const deadLetter = async (routing: FailureRouting, failed: FailedRecord, reason: string) => {
  const { record, ctx, reschedules, error } = failed;
  const { receiveCount } = ctx;
  const attributes = deadLetterAttributes(stringAttributesOf(record), {
    reason,
    error: describeError(error),
    stage: routing.stage,
    failedAt: routing.now(),
    receiveCount,
    reschedules,
    sourceMessageId: record.messageId,
  });
  try {
    await routing.queue.send(routing.queues.deadLetter, [{ body: record.body, attributes }]);
  } catch (err) {
    ctx.logger.error({ err, cause: error, reason }, 'dead_letter_failed');
    return true;
  }
  routing.metrics.count(METRIC_NAMES.recordsDeadLettered);
  ctx.logger.error({ err: error, receiveCount, reschedules, reason }, 'record_dead_lettered');
  await deleteRouted(routing, failed);
  return false;
};

/**
 * Routes a failed record through the retry ladder ({@link decide}): retry, reschedule or dead
 * letter. Resolves to true when the record must be reported in `batchItemFailures`.
 */
export const routeFailure = async (routing: FailureRouting, failed: FailedRecord): Promise<boolean> => {
  const decision = decide({
    receiveCount: failed.ctx.receiveCount,
    reschedules: failed.reschedules,
    error: failed.error,
    retry: routing.retry,
    random: routing.random,
    nowMs: routing.now().getTime(),
  });
  if (decision.action === 'retry') return retryLater(routing, failed, decision.visibilityTimeoutSeconds);
  if (decision.action === 'reschedule') return forwardToReschedule(routing, failed, decision.reason);
  return deadLetter(routing, failed, decision.reason);
};
