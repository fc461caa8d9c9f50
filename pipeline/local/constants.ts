import { type StageName, topology } from '#topology/topology';

/**
 * Receives of one message the rescheduler gets on a `<stage>-reschedule` queue before SQS
 * redrives it to `<stage>-dlq`: the rescheduler failing this often on one message (it only moves
 * messages) means it cannot be moved. Not in the topology yet; the CDK stack uses the same
 * number (`infraSettings.rescheduleMaxReceiveCount`).
 */
export const RESCHEDULE_REDRIVE_MAX_RECEIVE_COUNT = 5;

/**
 * `maxReceiveCount` of the redrive policy of `<stage>-reschedule`: the stage's own
 * `maxReceiveCount` plus {@link RESCHEDULE_REDRIVE_MAX_RECEIVE_COUNT}. moto keeps a message's
 * receive count when it redrives it, so a message arrives on the reschedule queue with the
 * count it had on the main queue; a bare 3 would send it on to the DLQ at its first receive
 * there. On AWS (and LocalStack) the rescheduler gets a few more attempts, which is harmless.
 */
export const rescheduleRedriveMaxReceiveCount = (stage: StageName): number =>
  topology.stages[stage].retry.maxReceiveCount + RESCHEDULE_REDRIVE_MAX_RECEIVE_COUNT;

/**
 * Visibility timeout of every `<stage>-reschedule` queue, seconds: 6 times the rescheduler's
 * function timeout, as AWS recommends for an SQS event source. Not in the topology yet.
 */
export const RESCHEDULE_VISIBILITY_TIMEOUT_SECONDS = topology.rescheduler.fn.timeoutSeconds * 6;

/** Function name of the rescheduler (one function consuming every reschedule queue). */
export const RESCHEDULER_FUNCTION = 'rescheduler';
