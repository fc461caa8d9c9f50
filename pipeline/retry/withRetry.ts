import pRetry from 'p-retry';
import type { Log } from '#shared/logger';
import { isRetryable, retryAfterSeconds } from './isRetryable.ts';

/** Options of {@link withRetry}. */
export interface WithRetryOptions {
  /** Milliseconds left for this work (a Lambda's `getRemainingTimeInMillis`, minus any reserve). */
  remainingTimeMs: () => number;
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** Receives `call_retry` (warn) and `call_retry_abandoned` (info). Default none. */
  logger?: Pick<Log, 'info' | 'warn'>;
  /** First backoff, milliseconds, before jitter (×1..2) and doubling. Default 200. */
  minDelayMs?: number;
  /** Largest backoff, milliseconds (a longer Retry-After still wins). Default 5000. */
  maxDelayMs?: number;
}

/** Smallest time, ms, kept free after a wait: the next attempt and the record's bookkeeping need it. */
export const MIN_SAFETY_MARGIN_MS = 5_000;

/**
 * Time, ms, that must remain after the next wait for a retry to be worth starting: 10% of what
 * is left or {@link MIN_SAFETY_MARGIN_MS}, whichever is larger. A retry that cannot finish
 * before the Lambda times out loses the whole batch's partial-failure report, which is worse
 * than failing this record now and letting the redelivery ladder take over.
 */
export const safetyMarginMs = (remainingMs: number): number =>
  Math.max(MIN_SAFETY_MARGIN_MS, Math.ceil(remainingMs * 0.1));

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `fn`, retrying it (p-retry, exponential backoff with jitter) while it throws errors that
 * {@link isRetryable} accepts, waiting at least the error's Retry-After. Gives up and rethrows the
 * last error when it is not retryable, when `retries` are used up, or when the next wait plus
 * {@link safetyMarginMs} would not fit in `remainingTimeMs()`.
 * @param name what is being called, for logs (`jira.getVersion`, `ses.sendEmail`).
 */
export const withRetry = async <T>(
  name: string,
  fn: () => Promise<T>,
  options: WithRetryOptions,
): Promise<T> => {
  const { remainingTimeMs, retries = 3, logger, minDelayMs = 200, maxDelayMs = 5_000 } = options;
  return pRetry(() => fn(), {
    retries,
    factor: 2,
    minTimeout: minDelayMs,
    maxTimeout: maxDelayMs,
    randomize: true,
    // p-retry sleeps `retryDelay` after this returns true; a longer Retry-After is topped up here
    // so the total wait is max(backoff, Retry-After).
    shouldRetry: async ({ error, attemptNumber, retryDelay }) => {
      if (!isRetryable(error)) return false;
      const retryAfterMs = Math.ceil((retryAfterSeconds(error) ?? 0) * 1000);
      const waitMs = Math.max(retryDelay, retryAfterMs);
      const remainingMs = remainingTimeMs();
      if (waitMs + safetyMarginMs(remainingMs) > remainingMs) {
        logger?.info({ call: name, attempt: attemptNumber, waitMs, remainingMs }, 'call_retry_abandoned');
        return false;
      }
      logger?.warn({ call: name, attempt: attemptNumber, waitMs, err: error }, 'call_retry');
      if (waitMs > retryDelay) await sleep(waitMs - retryDelay);
      return true;
    },
  });
};
