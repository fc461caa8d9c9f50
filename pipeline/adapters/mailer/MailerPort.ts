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
  /** Sends one email; resolves to the provider's message id. */
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}
