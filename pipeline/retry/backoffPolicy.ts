import { ContractError } from '#contracts/errors';
import { ConfigError } from '#shared/config';
import { PermanentError } from '#shared/errors';
import type { RetryTopology } from '#topology/topology';
import { httpStatusOf, isRetryable, retryAfterSeconds } from './isRetryable.ts';

/** SQS's largest visibility timeout, seconds (12 hours). */
export const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;

/** SQS's largest DelaySeconds; longer reschedules go through a one-time Scheduler schedule. */
export const MAX_SQS_DELAY_SECONDS = 900;

/** What to do with a record whose handler threw. */
export type RetryDecision =
  /** Report it in batchItemFailures and hide it for `visibilityTimeoutSeconds` (0..43200). */
  | { action: 'retry'; visibilityTimeoutSeconds: number }
  /** Last receive on the main queue: forward it to `<stage>-reschedule`. */
  | { action: 'reschedule'; reason: string }
  /** Permanent error or ladder exhausted: send it to `<stage>-dlq` with `reason`. */
  | { action: 'dead'; reason: string };

/** Input of {@link decide}. */
export interface DecideInput {
  /** SQS ApproximateReceiveCount of the record (1 on first delivery). */
  receiveCount: number;
  /** Times the rescheduler already put the message back on its stage queue. */
  reschedules: number;
  /** What the record handler threw. */
  error: unknown;
  /** The stage's ladder (`topology.stages[stage].retry`). */
  retry: RetryTopology;
  /** Uniform random number in [0, 1) for the jitter. Default `Math.random`. */
  random?: () => number;
  /** Clock for HTTP-date Retry-After values, epoch ms. Default `Date.now()`. */
  nowMs?: number;
}

/** What the rescheduler does with a message taken off `<stage>-reschedule`. */
export type RescheduleDecision =
  /** Put it back on `<stage>` after `delaySeconds`: SQS DelaySeconds when `via` is `sqs` (≤ 900 s), else a one-time schedule. */
  | { action: 'reschedule'; delaySeconds: number; via: 'sqs' | 'scheduler' }
  | { action: 'dead'; reason: 'retries_exhausted' };

/** Input of {@link decideReschedule}. */
export interface DecideRescheduleInput {
  /** Times the message was already rescheduled. */
  reschedules: number;
  /** The stage's ladder. */
  retry: RetryTopology;
}

const toSnake = (name: string): string =>
  name
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z\d]+/g, '_')
    .toLowerCase();

/**
 * The DLQ reason of an error that will not be retried: short snake_case code, `:`, detail.
 * `permanent:<PermanentError.reason>`, `contract:<contract>`, `config`, `http_<status>:<name>`,
 * or `not_retryable:<name>`.
 */
export const failureReason = (error: unknown): string => {
  if (error instanceof PermanentError) return `permanent:${error.reason}`;
  if (error instanceof ContractError) return `contract:${error.contract}`;
  if (error instanceof ConfigError) return 'config';
  const name = error instanceof Error ? toSnake(error.name) : typeof error;
  const status = httpStatusOf(error);
  return status === undefined ? `not_retryable:${name}` : `http_${status}:${name}`;
};

/**
 * Exponential backoff with full jitter: a uniform whole number of seconds in
 * [0, min(cap, base·2^(receiveCount−1))].
 */
export const backoffSeconds = (receiveCount: number, retry: RetryTopology, random: () => number): number => {
  const exponent = Math.max(0, Math.floor(receiveCount) - 1);
  // 2^exponent overflows to Infinity long after the cap applies; min() keeps it finite.
  const ceiling = Math.min(retry.backoffCapSeconds, retry.backoffBaseSeconds * 2 ** exponent);
  return Math.floor(random() * (Math.floor(ceiling) + 1));
};

/**
 * The retry ladder as one pure decision (see DESIGN.md "Queues and retries").
 *
 * 1. Not {@link isRetryable} → `dead` at once (reason from {@link failureReason}).
 * 2. `receiveCount >= maxReceiveCount` → `reschedule` (`max_receives:<n>`), or `dead`
 *    (`retries_exhausted`) when every reschedule is used up: forwarding it only for the
 *    rescheduler to dead-letter it would be a pointless hop.
 * 3. Otherwise `retry` after {@link backoffSeconds}, never sooner than the error's Retry-After,
 *    clamped to 0..43200 s.
 */
export const decide = (input: DecideInput): RetryDecision => {
  const { receiveCount, reschedules, error, retry } = input;
  if (!isRetryable(error)) return { action: 'dead', reason: failureReason(error) };

  if (receiveCount >= retry.maxReceiveCount) {
    if (reschedules >= retry.rescheduleDelaysSeconds.length)
      return { action: 'dead', reason: 'retries_exhausted' };
    return { action: 'reschedule', reason: `max_receives:${receiveCount}` };
  }

  const backoff = backoffSeconds(receiveCount, retry, input.random ?? Math.random);
  const floor = Math.ceil(retryAfterSeconds(error, input.nowMs) ?? 0);
  const seconds = Math.max(backoff, floor);
  return {
    action: 'retry',
    visibilityTimeoutSeconds: Math.min(MAX_VISIBILITY_TIMEOUT_SECONDS, Math.max(0, seconds)),
  };
};

/**
 * The rescheduler's half of the ladder: the `reschedules`-th delay of
 * `retry.rescheduleDelaysSeconds`, through SQS when it fits in 900 s, else through Scheduler;
 * `dead` (`retries_exhausted`) once the list is used up.
 */
export const decideReschedule = ({ reschedules, retry }: DecideRescheduleInput): RescheduleDecision => {
  const delaySeconds = retry.rescheduleDelaysSeconds[reschedules];
  if (delaySeconds === undefined) return { action: 'dead', reason: 'retries_exhausted' };
  const delay = Math.max(0, Math.ceil(delaySeconds));
  return {
    action: 'reschedule',
    delaySeconds: delay,
    via: delay <= MAX_SQS_DELAY_SECONDS ? 'sqs' : 'scheduler',
  };
};
