// The errors a MailerPort caller may handle (by class, never by name or message): a refusal
// (SesRejectedError, permanent, with its scope), a malformed email (InvalidEmailError), an
// unknown outcome (SesAmbiguousError, SES may have accepted it); throttling and failed
// connections are plain RetryableErrors (SES certainly did not take the email).
export { InvalidEmailError, SesRejectedError, type SesRejectionScope } from './errors.ts';
export { SesAmbiguousError } from './SesAmbiguousError.ts';

/** One email to one recipient. */
export interface OutgoingEmail {
  /** The sender address (SENDER_EMAIL): the From address and SES's envelope sender. */
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post. */
  headers: Record<string, string>;
  /** SES message tags (name → value; [A-Za-z0-9_-] only). */
  tags: Record<string, string>;
  /** Display name of the From header (`"Demo Shop releases" <from>`), any script. Default none. */
  fromName?: string | undefined;
  /** Reply-To address. Default none. */
  replyTo?: string | undefined;
}

/** Sends email. Throttling is a RetryableError; a permanent rejection a PermanentError. */
export interface MailerPort {
  /**
   * Sends one email; resolves once the provider accepted it, to the provider's message id, or
   * to `messageId: undefined` when it accepted the email without naming one (SES answered 200
   * with no MessageId): the email is on its way all the same and must never be sent again.
   */
  send(email: OutgoingEmail): Promise<{ messageId: string | undefined }>;
}
