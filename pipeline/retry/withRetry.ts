import pRetry, { AbortError as StopRetrying } from 'p-retry';
import { RetryableError } from '#shared/errors';
import type { Log } from '#shared/logger';
import { isRetryable, retryAfterSeconds } from './isRetryable.ts';

/** What each attempt of {@link withRetry} is given: when it must be done. */
export interface RetryAttempt {
  /**
   * Aborts at {@link RetryAttempt.deadlineMs} with a `DOMException` named `TimeoutError`. Pass it
   * to the call (`fetch`'s `signal`, a port's `{ signal }` option): withRetry cannot stop a call
   * that ignores it.
   */
  signal: AbortSignal;
  /** When the attempt must be done, epoch milliseconds (`Infinity` when time is unbounded). */
  deadlineMs: number;
  /** 1 for the first attempt. */
  attemptNumber: number;
}

/** Options of {@link withRetry}. */
export interface WithRetryOptions {
  /** Milliseconds left for this work (a Lambda's `getRemainingTimeInMillis`, minus any reserve). */
  remainingTimeMs: () => number;
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /**
   * Receives `call_retry` (warn), `call_retry_abandoned` (info) and `call_out_of_time` (info).
   * Default none.
   */
  logger?: Pick<Log, 'info' | 'warn'>;
  /** First backoff, milliseconds, before jitter (×1..2) and doubling. Default 200. */
  minDelayMs?: number;
  /** Largest backoff, milliseconds (a longer Retry-After still wins). Default 5000. */
  maxDelayMs?: number;
  /**
   * Longest single attempt, milliseconds, on top of the deadline from the remaining time. Default
   * none: the adapters carry their own per-request timeouts.
   */
  attemptTimeoutMs?: number;
  /**
   * Least time, milliseconds, an attempt must be able to run (remaining time minus
   * {@link safetyMarginMs}) for it to be started at all. Default {@link MIN_ATTEMPT_BUDGET_MS}.
   */
  minAttemptMs?: number;
}

/** Smallest time, ms, kept free after a wait or an attempt: the record's bookkeeping needs it. */
export const MIN_SAFETY_MARGIN_MS = 5_000;

/**
 * Default {@link WithRetryOptions.minAttemptMs}, milliseconds: an external call given less than
 * 2 s (one HTTPS handshake plus one round trip to a busy API) would most likely be cut off, and
 * a cut-off call costs as much as a finished one (tokens, a possibly sent email) for nothing.
 */
export const MIN_ATTEMPT_BUDGET_MS = 2_000;

/** Longest delay `setTimeout` honours, ms (longer ones fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Time, ms, kept free after the next wait or attempt: 10% of what is left or
 * {@link MIN_SAFETY_MARGIN_MS}, whichever is larger. A call that cannot finish before the Lambda
 * times out loses the whole batch's partial-failure report, which is worse than failing this
 * record now and letting the redelivery ladder take over.
 */
export const safetyMarginMs = (remainingMs: number): number =>
  Math.max(MIN_SAFETY_MARGIN_MS, Math.ceil(remainingMs * 0.1));

/**
 * The first attempt of a call could not be started: less than `minAttemptMs` would be left for
 * it. Retryable: the record goes back to its queue, where a fresh invocation has the time.
 */
export class OutOfTimeError extends RetryableError {
  override name = 'OutOfTimeError';
  /** What was to be called. */
  readonly call: string;
  /** Milliseconds that were left when the attempt was refused. */
  readonly remainingMs: number;

  constructor(call: string, remainingMs: number, minAttemptMs: number) {
    super(
      `out_of_time: ${call} not started with ${remainingMs} ms left (an attempt needs ${minAttemptMs} ms plus a ${safetyMarginMs(remainingMs)} ms margin)`,
    );
    this.call = call;
    this.remainingMs = remainingMs;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `fn`, retrying it (p-retry, exponential backoff with jitter) while it throws errors that
 * {@link isRetryable} accepts, waiting at least the error's Retry-After.
 *
 * Every attempt gets a deadline ({@link RetryAttempt}): `remainingTimeMs()` minus
 * {@link safetyMarginMs} at its start (and at most `attemptTimeoutMs`); its `signal` aborts then.
 * An attempt is not started when that leaves less than `minAttemptMs` (default
 * {@link MIN_ATTEMPT_BUDGET_MS}): withRetry rethrows the last error, or an {@link OutOfTimeError}
 * (retryable) when there was none. It gives up and rethrows the last error when it is not
 * retryable, when `retries` are used up, or when the next attempt would not get `minAttemptMs`
 * after the next wait.
 * @param name what is being called, for logs (`jira.getVersion`, `ses.sendEmail`).
 * @param fn the call; pass `attempt.signal` on to it so an attempt never outlives its deadline.
 */
export const withRetry = async <T>(
  name: string,
  fn: (attempt: RetryAttempt) => Promise<T>,
  options: WithRetryOptions,
): Promise<T> => {
  const {
    remainingTimeMs,
    retries = 3,
    logger,
    minDelayMs = 200,
    maxDelayMs = 5_000,
    attemptTimeoutMs = Number.POSITIVE_INFINITY,
    minAttemptMs = MIN_ATTEMPT_BUDGET_MS,
  } = options;
  /** Time an attempt started with `remainingMs` left may use, before `attemptTimeoutMs`. */
  const usableMs = (remainingMs: number): number => remainingMs - safetyMarginMs(remainingMs);
  let lastError: Error | undefined;

  const attempt = async (attemptNumber: number): Promise<T> => {
    const remainingMs = remainingTimeMs();
    if (usableMs(remainingMs) < minAttemptMs) {
      logger?.info({ call: name, attempt: attemptNumber, remainingMs, minAttemptMs }, 'call_out_of_time');
      // p-retry rethrows what StopRetrying wraps, without asking shouldRetry.
      throw new StopRetrying(lastError ?? new OutOfTimeError(name, remainingMs, minAttemptMs));
    }
    const budgetMs = Math.min(usableMs(remainingMs), attemptTimeoutMs);
    const controller = new AbortController();
    const deadlineMs = Date.now() + budgetMs;
    const timer =
      budgetMs <= MAX_TIMER_MS
        ? setTimeout(() => {
            controller.abort(
              new DOMException(
                `${name} attempt ${attemptNumber} passed its deadline of ${Math.round(budgetMs)} ms`,
                'TimeoutError',
              ),
            );
          }, budgetMs)
        : undefined;
    try {
      return await fn({ signal: controller.signal, deadlineMs, attemptNumber });
    } finally {
      clearTimeout(timer);
    }
  };

  return pRetry(attempt, {
    retries,
    factor: 2,
    minTimeout: minDelayMs,
    maxTimeout: maxDelayMs,
    randomize: true,
    // p-retry sleeps `retryDelay` after this returns true; a longer Retry-After is topped up here
    // so the total wait is max(backoff, Retry-After).
    shouldRetry: async ({ error, attemptNumber, retryDelay }) => {
      lastError = error;
      if (!isRetryable(error)) return false;
      const retryAfterMs = Math.ceil((retryAfterSeconds(error) ?? 0) * 1000);
      const waitMs = Math.max(retryDelay, retryAfterMs);
      const remainingMs = remainingTimeMs();
      if (usableMs(remainingMs - waitMs) < minAttemptMs) {
        logger?.info({ call: name, attempt: attemptNumber, waitMs, remainingMs }, 'call_retry_abandoned');
        return false;
      }
      logger?.warn({ call: name, attempt: attemptNumber, waitMs, err: error }, 'call_retry');
      if (waitMs > retryDelay) await sleep(waitMs - retryDelay);
      return true;
    },
  });
};
