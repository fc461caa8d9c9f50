import { createHash } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import type { QueuePort } from '#adapters/queue/QueuePort';
import type { SchedulerPort } from '#adapters/scheduler/SchedulerPort';
import { decideReschedule, MAX_SQS_DELAY_SECONDS } from '#retry/backoffPolicy';
import {
  deadLetterAttributes,
  HERALD_ATTRIBUTES,
  mergeAttributes,
  receiveCountOf,
  reschedulesOf,
  stringAttributesOf,
} from '#retry/heraldAttributes';
import { type PeekedEnvelope, peekEnvelope } from '#retry/peekEnvelope';
import { PermanentError } from '#shared/errors';
import type { Log } from '#shared/logger';
import {
  parseQueueName,
  queueName,
  queueNameFromArnOrUrl,
  type RetryProfile,
  retryOf,
  type StageName,
  topology,
} from '#topology/topology';

/** Ports and settings of {@link processRecord}. */
export interface ReschedulerDeps {
  queue: QueuePort;
  /** Scheduler in the herald schedule group, for waits longer than 900 s. */
  scheduler: SchedulerPort;
  /** HERALD_ENV, for queue names. Default none. */
  env?: string;
  /** Clock for schedule times and `herald-failed-at`. */
  now: () => Date;
  /** The record's child logger. */
  logger: Log;
  /** Retry timing profile (`HERALD_RETRY_PROFILE`). Default `standard`. */
  retryProfile?: RetryProfile;
}

/** What the rescheduler did with one message. */
export type RescheduleOutcome =
  | { action: 'requeued'; stage: StageName; delaySeconds: number; reschedules: number }
  | { action: 'scheduled'; stage: StageName; scheduleName: string; at: string; reschedules: number }
  | { action: 'dead_lettered'; stage: StageName; reason: string };

/** Text put in `herald-error` when the message reached the reschedule queue by SQS redrive (no error recorded). */
export const NO_ERROR_RECORDED = 'no error recorded (moved by SQS redrive)';

/** `yyyy-mm-ddThh:mm:ss` in UTC, the argument of a Scheduler `at()` expression. */
export const formatUtcAt = (date: Date): string => date.toISOString().slice(0, 19);

/** Name of the one-time schedule of a long reschedule: `rr-<stage>-<16 hex of sha256(messageId)>`. */
export const rescheduleScheduleName = (stage: StageName, messageId: string): string =>
  `${topology.reschedulePrefix}-${stage}-${createHash('sha256').update(messageId).digest('hex').slice(0, 16)}`;

/** The stage whose reschedule queue the record came from; PermanentError for any other queue. */
export const stageOfRecord = (record: Pick<SQSRecord, 'eventSourceARN'>, env = ''): StageName => {
  const name = queueNameFromArnOrUrl(record.eventSourceARN);
  const parsed = parseQueueName(name, env);
  if (parsed?.role !== 'reschedule') {
    throw new PermanentError(
      'unknown_source_queue',
      `${name} is not a reschedule queue of environment '${env}'`,
    );
  }
  return parsed.stage;
};

const withReschedules = (peeked: PeekedEnvelope, reschedules: number): string =>
  JSON.stringify({ ...peeked.json, reschedules });

/**
 * Takes one message off `<stage>-reschedule` and applies {@link decideReschedule}:
 *
 * - `sqs` → back on `<stage>` with DelaySeconds, its reschedule count + 1 (in the envelope, or in
 *   `herald-reschedules` for bodies that are not envelopes, such as ingest's raw EventBridge
 *   events), other `herald-*` attributes kept;
 * - `scheduler` → a one-time UTC schedule `rr-<stage>-<hash>` that delivers the envelope (count + 1)
 *   to `<stage>`, with `<stage>-dlq` as its dead-letter target;
 * - `dead` → `<stage>-dlq` with the reason attributes and the last error it carried.
 *
 * Throws when a send or the schedule fails (the handler reports the record; nothing is deleted).
 */
export const processRecord = async (record: SQSRecord, deps: ReschedulerDeps): Promise<RescheduleOutcome> => {
  const env = deps.env ?? '';
  const stage = stageOfRecord(record, env);
  const peeked = peekEnvelope(record.body);
  const reschedules = reschedulesOf(record, peeked?.envelope);
  const carried = stringAttributesOf(record);
  const decision = decideReschedule({ reschedules, retry: retryOf(stage, deps.retryProfile) });
  const mainQueue = queueName(stage, 'main', env);
  const next = reschedules + 1;

  if (decision.action === 'dead') {
    const lastError = carried[HERALD_ATTRIBUTES.lastError] ?? NO_ERROR_RECORDED;
    const receiveCount = Number(carried[HERALD_ATTRIBUTES.receiveCount]) || receiveCountOf(record);
    const attributes = deadLetterAttributes(carried, {
      reason: decision.reason,
      error: lastError,
      stage,
      failedAt: deps.now(),
      receiveCount,
      reschedules,
      sourceMessageId: record.messageId,
    });
    await deps.queue.send(queueName(stage, 'dlq', env), [{ body: record.body, attributes }]);
    deps.logger.error({ stage, reschedules, reason: decision.reason, lastError }, 'record_dead_lettered');
    return { action: 'dead_lettered', stage, reason: decision.reason };
  }

  const requeue = async (delaySeconds: number): Promise<RescheduleOutcome> => {
    const body = peeked ? withReschedules(peeked, next) : record.body;
    const attributes = peeked
      ? carried
      : mergeAttributes(carried, { [HERALD_ATTRIBUTES.reschedules]: String(next) });
    await deps.queue.send(mainQueue, [{ body, attributes, delaySeconds }]);
    deps.logger.info({ stage, reschedules: next, delaySeconds }, 'record_requeued');
    return { action: 'requeued', stage, delaySeconds, reschedules: next };
  };

  if (decision.via === 'sqs') return requeue(decision.delaySeconds);

  const input = peeked ? withReschedules(peeked, next) : undefined;
  if (input === undefined || input.length > topology.scheduleInputLimit) {
    // A schedule delivers only a body: message attributes cannot ride it, so a body that is not an
    // envelope would lose its herald-reschedules counter (and loop forever). Such bodies, and any
    // too large for Scheduler's Input, take SQS's longest delay instead: the wait is shorter than
    // configured, but the counter still advances and the ladder still ends.
    deps.logger.info({ stage, wantedDelaySeconds: decision.delaySeconds }, 'reschedule_delay_shortened');
    return requeue(MAX_SQS_DELAY_SECONDS);
  }

  const scheduleName = rescheduleScheduleName(stage, record.messageId);
  const at = formatUtcAt(new Date(deps.now().getTime() + decision.delaySeconds * 1000));
  const [targetArn, deadLetterArn] = await Promise.all([
    deps.queue.arnOf(mainQueue),
    deps.queue.arnOf(queueName(stage, 'dlq', env)),
  ]);
  await deps.scheduler.create({
    name: scheduleName,
    at,
    timeZone: 'UTC',
    targetArn,
    input,
    description: `reschedule ${next} of a ${stage} message (${record.messageId})`,
    // The message lives only in the schedule until it fires: an invocation Scheduler cannot
    // deliver must land in the stage's DLQ, not vanish.
    deadLetterArn,
  });
  deps.logger.info({ stage, reschedules: next, scheduleName, at }, 'record_schedule_created');
  return { action: 'scheduled', stage, scheduleName, at, reschedules: next };
};
