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

/** Outcome of {@link LedgerPort.claimRelease}. */
export type ReleaseClaim =
  /**
   * No newer snapshot of the release was claimed: apply this one. `redelivered` is true when the
   * watermark already equals this `readAt` (the same snapshot again: applying it is idempotent).
   */
  | { status: 'claimed'; redelivered: boolean }
  /** A newer snapshot (`watermark`, its `readAt`, epoch ms) was claimed: this one is out of order. */
  | { status: 'stale'; watermark: number };

/**
 * The idempotency ledger (DynamoDB conditional writes): composed drafts, cached once per
 * release point and locale, one row per email making send exactly-once, and one watermark per
 * release ordering the schedule stage's snapshots.
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
  /**
   * Claims the release's watermark for the snapshot read at `readAt` (epoch ms): succeeds when no
   * snapshot of the release was claimed yet or only older ones were (a strictly older stored
   * `readAt` is raised to this one), and reports an equal one as `redelivered`.
   */
  claimRelease(versionId: string, readAt: number): Promise<ReleaseClaim>;
  /** The `readAt` of the newest snapshot claimed for the release (epoch ms), or null when none. */
  getReleaseWatermark(versionId: string): Promise<number | null>;
}
