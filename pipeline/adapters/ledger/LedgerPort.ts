import type { EmailDraft } from '#contracts/emailDraft';

/** Outcome of {@link LedgerPort.claimSend}. */
export type ClaimOutcome =
  /** This caller owns the send until the lease expires. */
  | { status: 'claimed' }
  /** Already sent: do nothing. */
  | { status: 'sent'; messageId: string }
  /** Permanently rejected earlier: do nothing. */
  | { status: 'rejected'; reason: string }
  /** Another worker holds an unexpired lease: retry later. */
  | { status: 'in_progress'; leaseExpiresAt: number };

/** Options of {@link LedgerPort.claimSend}. */
export interface ClaimOptions {
  /** How long the claim is held, seconds; after it a crashed sender's claim can be taken over. */
  leaseSeconds: number;
  /** Current time, epoch ms. */
  now: number;
}

/**
 * The idempotency ledger (DynamoDB conditional writes): composed drafts, cached once per
 * release point and locale, and one row per email making send exactly-once.
 */
export interface LedgerPort {
  /** A cached draft, or null. */
  getDraft(key: string): Promise<EmailDraft | null>;
  /** Stores a draft unless one exists; resolves to the stored one (the first writer wins). */
  putDraftIfAbsent(draft: EmailDraft): Promise<EmailDraft>;
  /** Claims the right to send the email with this key. */
  claimSend(sendKey: string, options: ClaimOptions): Promise<ClaimOutcome>;
  /** Records a successful send (only the claim holder calls it). */
  markSent(sendKey: string, messageId: string): Promise<void>;
  /** Records a permanent rejection; the email is never retried. */
  markRejected(sendKey: string, reason: string): Promise<void>;
  /** Gives a claim back after a failure that happened before SES accepted the email. */
  releaseClaim(sendKey: string): Promise<void>;
}
