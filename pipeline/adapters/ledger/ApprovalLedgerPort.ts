import type { ApprovalDecisionRecord, ApprovalRecord, APPROVAL_SETTLEMENTS } from '#contracts/approval';

/** Outcome of {@link ApprovalLedgerPort.decide}. */
export type DecideOutcome =
  /** Recorded; the record as it now is. */
  | { status: 'recorded'; record: ApprovalRecord }
  /** The same decision on the same content hash was recorded before: nothing changed. */
  | { status: 'already'; record: ApprovalRecord }
  /**
   * The approver's link made this very decision on this hash before, and another decision came
   * since: a used link does not reverse a later decision. Nothing changed.
   */
  | { status: 'used'; record: ApprovalRecord }
  /** The record's content hash is another one (a newer revision): nothing changed. */
  | { status: 'superseded'; record: ApprovalRecord }
  /** The point was settled at its send time: nothing changed. */
  | { status: 'closed'; record: ApprovalRecord }
  /** No approval record under the key. */
  | { status: 'not_found' };

/**
 * Approval records of release points, in the idempotency ledger's table (conditional writes).
 * Implemented by `DynamoLedger`.
 */
export interface ApprovalLedgerPort {
  /** The approval record (consistent read), or null. */
  getApproval(approvalKey: string): Promise<ApprovalRecord | null>;
  /**
   * Stores `record` as the point's current revision when none is stored or the stored one has a
   * lower revision and is not settled; resolves to the stored record (the first writer of a
   * revision wins; a redelivery gets the stored one back).
   */
  putApprovalRevision(record: ApprovalRecord): Promise<ApprovalRecord>;
  /**
   * Records a decision on `decision.contentHash`: the state becomes `approved` or `held` (a later
   * decision replaces an earlier one; the history is kept in `decisions`). Conditional on the
   * hash being current and the record not settled.
   */
  decide(approvalKey: string, decision: ApprovalDecisionRecord): Promise<DecideOutcome>;
  /**
   * Settles the point at its send time, once: resolves to the stored record, whose `settled` is
   * this call's when it was the first, else the earlier one's.
   */
  settleApproval(
    approvalKey: string,
    settlement: { outcome: (typeof APPROVAL_SETTLEMENTS)[number]; at: string; revision: number },
  ): Promise<ApprovalRecord>;
  /** Approval records of a release (every point), for `herald drafts list` and reports. */
  listApprovals(versionId?: string): Promise<ApprovalRecord[]>;
  /**
   * Records that a review email to `approver` bounced (permanently) or was complained about: one
   * row per approver with the latest event and a count, for `herald status`.
   */
  recordApproverBounce(approver: string, bounce: ApproverBounce): Promise<void>;
}

/** A review email SES reported undeliverable (or complained about). */
export interface ApproverBounce {
  type: 'Bounce' | 'Complaint';
  /** ISO 8601, SES's time of the event. */
  at: string;
  /** The release and point the review email was about (its SES tags), when known. */
  versionId?: string | undefined;
  pointId?: string | undefined;
}
