import { OutcomeUnknownError } from '#shared/errors';

/**
 * An SES SendEmail call failed in a way that does not say whether SES accepted the email: a 5xx
 * (`$fault: 'server'`), a timeout, or a connection dropped after the request was sent. SES may
 * have queued it for delivery.
 *
 * An {@link OutcomeUnknownError}, deliberately not a `RetryableError`: the send stage gives its
 * ledger claim back only for a RetryableError (SES certainly did not take the email), and must
 * keep it for this one, so a redelivery waits for the claim's lease instead of sending at once.
 * `isRetryable` still says yes, so the message is redelivered rather than dead-lettered.
 */
export class SesAmbiguousError extends OutcomeUnknownError {
  override name = 'SesAmbiguousError';
  /** The SDK error's name, e.g. `InternalServiceErrorException`, `TimeoutError`, or `Error`. */
  readonly sesError: string;

  constructor(sesError: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.sesError = sesError;
  }
}
