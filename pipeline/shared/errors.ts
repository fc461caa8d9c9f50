/** Base of release-herald's own errors. */
export class HeraldError extends Error {
  override name = 'HeraldError';
}

/**
 * An error that retrying cannot fix (bad input, a 4xx that will not change): the retry ladder
 * sends the message straight to its DLQ with `reason`.
 */
export class PermanentError extends HeraldError {
  override name = 'PermanentError';
  /** Short machine-readable reason, e.g. `invalid_payload`, `ses_rejected`. */
  readonly reason: string;

  constructor(reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

/** An error that a later attempt may not hit (throttling, 5xx, timeouts). */
export class RetryableError extends HeraldError {
  override name = 'RetryableError';
  /** Server-requested wait before the next attempt, seconds, when it said one (Retry-After). */
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, options?: { cause?: unknown; retryAfterSeconds?: number | undefined }) {
    super(message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}
