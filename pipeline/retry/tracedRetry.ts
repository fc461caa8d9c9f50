import { withSpan } from '#shared/tracing';
import { type RetryAttempt, type WithRetryOptions, withRetry } from './withRetry.ts';

/**
 * Runs one named external call in its own span with in-call retries ({@link withRetry}). A call
 * that ignores its {@link RetryAttempt} may take no parameter.
 */
export type TracedRetry = <T>(name: string, fn: (attempt: RetryAttempt) => Promise<T>) => Promise<T>;

/**
 * The one `withSpan(withRetry(...))` wrapper the stage cores share: a span named after the call
 * around all its attempts.
 * @param options the record's time budget and logger (see {@link WithRetryOptions}).
 */
export const tracedRetry =
  (options: WithRetryOptions): TracedRetry =>
  (name, fn) =>
    withSpan(name, () => withRetry(name, fn, options));
