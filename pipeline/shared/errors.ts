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

/**
 * A call failed after it may have taken effect (an email SES may have accepted: a 5xx, a timeout,
 * a connection dropped after the request left). Retryable for the ladder, but deliberately not a
 * {@link RetryableError}: a caller that must not repeat the effect blindly (the send stage keeps
 * its claim) tells the two apart.
 */
export class OutcomeUnknownError extends HeraldError {
  override name = 'OutcomeUnknownError';
}

/**
 * An error whose class alone does not say whether a retry may help (an SQS call that failed as
 * a whole: throttled, or denied): the adapter that made it asked the retry rules once
 * (`isRetryable` of the SDK error, or the protocol's sender-fault flag) and this carries the
 * answer, which `isRetryable` reads.
 */
export class ClassifiedError extends HeraldError {
  override name = 'ClassifiedError';
  /** Whether another attempt may succeed. */
  readonly retryable: boolean;

  constructor(message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.retryable = options.retryable;
  }
}
