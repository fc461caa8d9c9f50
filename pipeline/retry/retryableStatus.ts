/** Options of {@link isRetryableStatus}. */
export interface RetryableStatusOptions {
  /**
   * Further statuses a service documents as transient, e.g. OpenAI's 409 (a lock timeout its own
   * SDK retries). Default none.
   */
  alsoRetryable?: readonly number[];
}

/**
 * The one HTTP status rule: 408, 429 and 5xx are worth another attempt. 501 (Not Implemented)
 * and 505 (HTTP Version Not Supported) will not change with time and are left out.
 */
export const isRetryableStatus = (status: number, options: RetryableStatusOptions = {}): boolean =>
  status === 408 ||
  status === 429 ||
  (status >= 500 && status <= 599 && status !== 501 && status !== 505) ||
  (options.alsoRetryable?.includes(status) ?? false);
