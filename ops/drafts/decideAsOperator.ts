import type { ApprovalLedgerPort } from '#adapters/ledger/ApprovalLedgerPort';
import type { ApprovalDecision, ApprovalRecord } from '#contracts/approval';
import { OpsError } from '#ops/cli/errors';
import { formatUtc } from '#stages/webhook/reviewPage';

/** What `herald drafts approve|hold` did. */
export interface OperatorDecision {
  /** `recorded`, or `already` (the same decision on the same revision stood: nothing changed). */
  status: 'recorded' | 'already';
  decision: ApprovalDecision;
  by: string;
  record: ApprovalRecord;
}

/**
 * Records an operator's decision (`via: cli`) on the point's CURRENT revision, as an approver's
 * link would: the content hash decided on is the one the record holds now.
 * @throws OpsError when the record does not exist, was settled at its send time, or a newer
 *   revision landed between the read and the write.
 */
export const decideAsOperator = async (
  approvals: Pick<ApprovalLedgerPort, 'getApproval' | 'decide'>,
  options: { approvalKey: string; decision: ApprovalDecision; by: string; now: () => Date },
): Promise<OperatorDecision> => {
  const record = await approvals.getApproval(options.approvalKey);
  if (record === null)
    throw new OpsError(`no approval record ${options.approvalKey} (see herald drafts list)`);
  const outcome = await approvals.decide(options.approvalKey, {
    decision: options.decision,
    by: options.by,
    via: 'cli',
    at: options.now().toISOString(),
    contentHash: record.contentHash,
    revision: record.revision,
  });
  switch (outcome.status) {
    case 'recorded':
    case 'already':
      return { status: outcome.status, decision: options.decision, by: options.by, record: outcome.record };
    case 'closed':
      throw new OpsError(
        `${options.approvalKey} was settled at its send time (${outcome.record.settled?.outcome ?? 'settled'}): no decision is taken any more; nothing changed`,
      );
    case 'superseded':
      throw new OpsError(
        `${options.approvalKey} changed while deciding (now revision ${outcome.record.revision}): look at it again (herald drafts show); nothing changed`,
      );
    case 'not_found':
      throw new OpsError(`no approval record ${options.approvalKey}`);
  }
};

/** One line for the operator. */
export const describeOperatorDecision = (d: OperatorDecision): string => {
  const past = d.decision === 'approve' ? 'approved' : 'held';
  const what = `${d.record.approvalKey} (revision ${d.record.revision})`;
  if (d.status === 'already') return `${what} was already ${past}; nothing changed.`;
  return d.decision === 'approve'
    ? `${what} approved by ${d.by}: the emails go out at ${formatUtc(d.record.dueAt)}.`
    : `${what} held by ${d.by}: nothing is sent at ${formatUtc(d.record.dueAt)} unless someone approves first.`;
};
