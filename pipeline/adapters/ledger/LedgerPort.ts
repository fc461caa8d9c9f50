import type { EmailDraft } from '#contracts/emailDraft';

/** Outcome of {@link LedgerPort.claimSend}. */
export type ClaimOutcome =
  /**
   * This caller owns the send until the lease expires. `takenOver` is true when it took over an
   * expired claim (`claimed` or `ambiguous`): an earlier attempt may have reached SES, so its
   * outcome is unknown until SES's events say. Absent means false.
   */
  | { status: 'claimed'; takenOver?: boolean }
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
  /** The email's SES tag value (`sendTag(sendKey)`), stored on the row to map events back. Default none. */
  sesTag?: string | undefined;
}

/**
 * SES event types the ledger records per email: the `eventType` of SES event publishing for the
 * SEND, DELIVERY, BOUNCE, COMPLAINT, REJECT and DELIVERY_DELAY events of the configuration set.
 */
export const SES_EVENT_TYPES = [
  'Send',
  'Delivery',
  'Bounce',
  'Complaint',
  'Reject',
  'DeliveryDelay',
] as const;

/** One of {@link SES_EVENT_TYPES}. */
export type SesEventType = (typeof SES_EVENT_TYPES)[number];

/** One SES event of one email, as the feedback stage records it. */
export interface SesEventRecord {
  type: SesEventType;
  /** SES's message id (`detail.mail.messageId`). */
  messageId: string;
  /** When it happened, ISO 8601 (the event's own timestamp). */
  at: string;
}

/** What SES said about one email: its message id and the first time of each event type seen. */
export interface SesEventsOfEmail {
  messageId: string;
  events: Partial<Record<SesEventType, string>>;
}

/** Outcome of {@link LedgerPort.claimDraft}. */
export type DraftClaim =
  /** This caller writes the draft (asks the model) until the lease expires. */
  | { status: 'claimed' }
  /** Another composer holds an unexpired claim: wait for its draft, or retry later. */
  | { status: 'in_progress'; leaseExpiresAt: number };

/** Options of {@link LedgerPort.claimDraft}. */
export interface DraftClaimOptions {
  /** How long the claim is held, seconds; after it a crashed writer's claim can be taken over. */
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

/** A release's state as its newest applied snapshot saw it, stamped on the watermark row. */
export interface ReleaseStamp {
  /** `active` | `released` | `archived` | `deleted`. */
  state: string;
  /** Release date `yyyy-mm-dd`; absent when the version has none. */
  releaseDate?: string | undefined;
}

/** The release watermark row: the newest snapshot's `readAt` and, when stamped, its state. */
export interface ReleaseRecord extends Partial<ReleaseStamp> {
  /** `readAt` of the newest snapshot claimed, epoch ms. */
  readAt: number;
}

/** Outcome statuses of a point (one compose job or one point in one zone); `held`: an approver held it (policy `approval`). */
export const POINT_OUTCOMES = ['missed', 'caught_up', 'held'] as const;

/**
 * Outcome statuses of one email that was given up without a send: past its deadline, its release
 * changed, the recipient opted out (everywhere or in the project) or removed from the project
 * between compose and send.
 */
export const EMAIL_OUTCOMES = ['missed', 'skipped_release_changed', 'opted_out', 'removed'] as const;

/** A point or email outcome as recorded. */
export interface OutcomeRecord {
  status: (typeof POINT_OUTCOMES)[number] | (typeof EMAIL_OUTCOMES)[number];
  /** Why, as a fixed snake_case word (`past_deadline`, `catch_up_skip`, `release_deleted`, …). */
  reason: string;
  versionId: string;
  pointId: string;
  releaseDate?: string | undefined;
  /** IANA zone of the point's recipients (point outcomes). */
  timeZone?: string | undefined;
}

/** Outcome of {@link LedgerPort.recordSendOutcome}. */
export type SendOutcomeResult =
  /** Recorded: no claim or send of the email existed. */
  | { recorded: true }
  /** The email's row already exists with this status (`claimed`, `sent`, `missed`, …): left as is. */
  | { recorded: false; status: string };

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
  /**
   * Claims the right to write the draft with this key (the one model call of a release point,
   * locale and audience): succeeds on the first claim or over an expired one.
   */
  claimDraft(key: string, options: DraftClaimOptions): Promise<DraftClaim>;
  /** Claims the right to send the email with this key. */
  claimSend(sendKey: string, options: ClaimOptions): Promise<ClaimOutcome>;
  /** Records a successful send (only the claim holder calls it). */
  markSent(sendKey: string, messageId: string): Promise<void>;
  /** Records a permanent rejection; the email is never retried. */
  markRejected(sendKey: string, reason: string): Promise<void>;
  /** Gives a claim back after a failure that happened before SES accepted the email. */
  giveBackSendClaim(sendKey: string): Promise<void>;
  /**
   * Marks a held claim `ambiguous`: the SES call failed in a way that does not say whether SES
   * took the email. The lease is kept; only a `claimed` row changes (sent/rejected are final).
   */
  markAmbiguous(sendKey: string): Promise<void>;
  /** Records one SES event of the email with this SES tag value; idempotent (the first time of a type wins). */
  recordSesEvent(sesTag: string, event: SesEventRecord): Promise<void>;
  /** The SES events recorded for the email with this SES tag value, or null when none (strongly consistent). */
  getSesEvents(sesTag: string): Promise<SesEventsOfEmail | null>;
  /**
   * Claims the release's watermark for the snapshot read at `readAt` (epoch ms): succeeds when no
   * snapshot of the release was claimed yet or only older ones were (a strictly older stored
   * `readAt` is raised to this one), and reports an equal one as `redelivered`.
   */
  claimRelease(versionId: string, readAt: number, release?: ReleaseStamp): Promise<ReleaseClaim>;
  /** The release watermark row (consistent read), or null when none. */
  getRelease(versionId: string): Promise<ReleaseRecord | null>;
  /**
   * Records a point outcome under `point#<key>` unless one is there (a redelivery records nothing
   * new); `missed` also replaces a `caught_up` row (caught up, then fired past its deadline
   * anyway). Resolves to true when this call recorded it.
   */
  recordPointOutcome(key: string, outcome: OutcomeRecord): Promise<boolean>;
  /**
   * Records that an email is not sent (`missed`, `skipped_release_changed`) on its send row,
   * only when the row does not exist: a claimed, sent or rejected email is never overwritten.
   * A later `claimSend` of the key answers `rejected` with the outcome's status as reason.
   */
  recordSendOutcome(sendKey: string, outcome: OutcomeRecord): Promise<SendOutcomeResult>;
  /** The `readAt` of the newest snapshot claimed for the release (epoch ms), or null when none. */
  getReleaseWatermark(versionId: string): Promise<number | null>;
}
