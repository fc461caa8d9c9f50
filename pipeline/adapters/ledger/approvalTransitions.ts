import type { ApprovalDecisionRecord, ApprovalRecord, APPROVAL_SETTLEMENTS } from '#contracts/approval';
import type { DecideOutcome } from './ApprovalLedgerPort.ts';

/** A settlement as {@link ApprovalLedgerPort.settleApproval} takes it. */
export type ApprovalSettlement = {
  outcome: (typeof APPROVAL_SETTLEMENTS)[number];
  at: string;
  revision: number;
};

/**
 * What a stored approval record becomes, decided without I/O so every ledger (DynamoDB, the
 * in-memory fakes of the unit tests) applies the same rules: `write` is the record to store
 * (conditionally on the stored one being unchanged), `keep` means nothing changes and the caller
 * answers `result`.
 */
export type ApprovalTransition<R> =
  | { kind: 'write'; record: ApprovalRecord; result: R }
  | { kind: 'keep'; result: R };

/**
 * A new revision replaces the stored record when none is stored, or the stored one has a lower
 * revision and is not settled; otherwise the stored record stands (first writer of a revision wins).
 */
export const revisionTransition = (
  stored: ApprovalRecord | null,
  incoming: ApprovalRecord,
): ApprovalTransition<ApprovalRecord> => {
  if (stored === null || (stored.revision < incoming.revision && stored.settled === undefined)) {
    return { kind: 'write', record: incoming, result: incoming };
  }
  return { kind: 'keep', result: stored };
};

/**
 * Whether the link of `decision` (its approver, decision and content hash) was used before: a
 * link acts once; the history shows it.
 */
export const linkUsed = (
  record: Pick<ApprovalRecord, 'decisions'>,
  decision: Pick<ApprovalDecisionRecord, 'by' | 'decision' | 'contentHash'>,
): boolean =>
  record.decisions.some(
    (d) =>
      d.via === 'link' &&
      d.by === decision.by &&
      d.decision === decision.decision &&
      d.contentHash === decision.contentHash,
  );

/**
 * A decision on `decision.contentHash`: refused (`superseded`, `closed`, `not_found`, `used`: a
 * link that acted before, after another decision) or a no-op (`already`: the record's state is
 * this decision on this hash) without a write; else the state becomes `approved` / `held` and
 * the decision joins the history.
 */
export const decisionTransition = (
  stored: ApprovalRecord | null,
  decision: ApprovalDecisionRecord,
): ApprovalTransition<DecideOutcome> => {
  if (stored === null) return { kind: 'keep', result: { status: 'not_found' } };
  if (stored.settled !== undefined) return { kind: 'keep', result: { status: 'closed', record: stored } };
  if (stored.contentHash !== decision.contentHash) {
    return { kind: 'keep', result: { status: 'superseded', record: stored } };
  }
  const state = decision.decision === 'approve' ? 'approved' : 'held';
  if (stored.state === state) return { kind: 'keep', result: { status: 'already', record: stored } };
  if (decision.via === 'link' && linkUsed(stored, decision)) {
    return { kind: 'keep', result: { status: 'used', record: stored } };
  }
  const record: ApprovalRecord = {
    ...stored,
    state,
    decisions: [...stored.decisions, decision],
    updatedAt: decision.at,
  };
  return { kind: 'write', record, result: { status: 'recorded', record } };
};

/** Settles an unsettled record once; a settled one keeps its first settlement. */
export const settlementTransition = (
  stored: ApprovalRecord,
  settlement: ApprovalSettlement,
): ApprovalTransition<ApprovalRecord> => {
  if (stored.settled !== undefined) return { kind: 'keep', result: stored };
  const record: ApprovalRecord = { ...stored, settled: { ...settlement }, updatedAt: settlement.at };
  return { kind: 'write', record, result: record };
};
