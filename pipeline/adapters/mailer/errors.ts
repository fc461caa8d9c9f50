import { PermanentError } from '#shared/errors';

/**
 * What a permanent SES refusal is about:
 * - `message`: this email (its content or address) will never be accepted; the send stage may
 *   record it as rejected for good;
 * - `account`: the account or its setup (sending paused or suspended, unverified MAIL FROM domain,
 *   missing configuration set) refuses every email until a person acts; the claim should be
 *   given back so a DLQ redrive after the fix sends it.
 */
export type SesRejectionScope = 'message' | 'account';

/** SES refused an email and retrying will not change that (see {@link SesRejectionScope}). */
export class SesRejectedError extends PermanentError {
  override name = 'SesRejectedError';
  /** The SES v2 exception name, e.g. `MessageRejected`, `SendingPausedException`. */
  readonly sesError: string;
  /** Whether the refusal is about this email or about the account. */
  readonly scope: SesRejectionScope;

  constructor(
    reason: string,
    sesError: string,
    scope: SesRejectionScope,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(reason, message, options);
    this.sesError = sesError;
    this.scope = scope;
  }
}

/** The email itself is malformed (a header with a line break, a reserved header); reason `email_invalid`. */
export class InvalidEmailError extends PermanentError {
  override name = 'InvalidEmailError';

  constructor(message: string) {
    super('email_invalid', message);
  }
}
