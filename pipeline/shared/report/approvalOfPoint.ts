import type { ApprovalRecord } from '#contracts/approval';

/** What the report shows of a point's review (review before send, issue 10). */
export interface PointApproval {
  /** The last `approve` decision on the current revision: who (address or operator) and when. */
  approval?: { by: string; at: string } | undefined;
  /** The drafts are held: an approver held them, or no decision came and the policy holds. */
  held: boolean;
}

/**
 * The approval column of a point's rows from its approval record: the approver of the current
 * content hash (a decision on an older revision no longer applies), and whether the point is held.
 */
export const approvalOfPoint = (record: ApprovalRecord): PointApproval => {
  const approved = record.decisions
    .filter((d) => d.decision === 'approve' && d.contentHash === record.contentHash)
    .sort((a, b) => a.at.localeCompare(b.at))
    .at(-1);
  const settledHeld = record.settled?.outcome === 'held' || record.settled?.outcome === 'timeout_held';
  return {
    approval: approved ? { by: approved.by, at: approved.at } : undefined,
    held: record.state === 'held' || settledHeld,
  };
};
