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

/** What {@link decideAsOperator} decides. */
export interface OperatorDecisionRequest {
  approvalKey: string;
  /**
   * The draft key the operator named, when it was one: it must be a draft of the current
   * revision (a `#r<n>` key of an older revision, or revision 1's key after a change, is refused).
   */
  draftKey?: string | undefined;
  /** The revision the operator read (`--revision`); refused when the point moved on. */
  revision?: number | undefined;
  decision: ApprovalDecision;
  by: string;
  now: () => Date;
}

/** Refuses a key or `--revision` that names another revision than the record's current one. */
const checkCurrentRevision = (record: ApprovalRecord, options: OperatorDecisionRequest): void => {
  const current = `${record.approvalKey} is at revision ${record.revision}`;
  const look = `look at it with herald drafts show ${record.approvalKey}; nothing changed`;
  if (options.draftKey !== undefined && !record.draftKeys.includes(options.draftKey)) {
    throw new OpsError(
      `${options.draftKey} is not a draft of the current revision: ${current} (drafts ${record.draftKeys.join(', ') || 'none'}); ${look}`,
    );
  }
  if (options.revision !== undefined && options.revision !== record.revision) {
    throw new OpsError(`revision ${options.revision} is not the current one: ${current}; ${look}`);
  }
};

/**
 * Records an operator's decision (`via: cli`) on the point's CURRENT revision, as an approver's
 * link would: the content hash decided on is the one the record holds now, and only when the
 * key (a draft key) and `revision`, when given, name that revision.
 * @throws OpsError when the record does not exist, the key or revision names another revision,
 *   the point was settled at its send time, or a newer revision landed between the read and the
 *   write.
 */
export const decideAsOperator = async (
  approvals: Pick<ApprovalLedgerPort, 'getApproval' | 'decide'>,
  options: OperatorDecisionRequest,
): Promise<OperatorDecision> => {
  const record = await approvals.getApproval(options.approvalKey);
  if (record === null)
    throw new OpsError(`no approval record ${options.approvalKey} (see herald drafts list)`);
  checkCurrentRevision(record, options);
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
    case 'used':
      // Only a link's decision is refused as used; kept for a complete answer.
      throw new OpsError(`${options.approvalKey}: this decision was made before; nothing changed`);
  }
};

/** One line for the operator. */
export const describeOperatorDecision = (d: OperatorDecision): string => {
  const past = d.decision === 'approve' ? 'approved' : 'held';
  const what = `${d.record.approvalKey} (revision ${d.record.revision}, hash ${d.record.contentHash.slice(0, 12)})`;
  if (d.status === 'already') return `${what} was already ${past}; nothing changed.`;
  return d.decision === 'approve'
    ? `${what} approved by ${d.by}: the emails go out at ${formatUtc(d.record.dueAt)}.`
    : `${what} held by ${d.by}: nothing is sent at ${formatUtc(d.record.dueAt)} unless someone approves first.`;
};
