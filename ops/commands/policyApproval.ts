import { type ApprovalPolicy, approvalLeadMs } from '#contracts/approval';
import { UsageError } from '#ops/cli/errors';

/** What `policy set` changes of the policy's `approval`; absent fields keep their value. */
export interface ApprovalChanges {
  /** Comma-separated approver addresses. */
  approvers?: string | undefined;
  /** Lead (`24h`, `2d`, `90m`), 15m..14d. */
  lead?: string | undefined;
  onTimeout?: 'hold' | 'send' | undefined;
  /** false: turn review before send off; true: on (with `approvers`, or the stored ones). */
  enabled?: boolean | undefined;
}

/** Whether any approval setting is named. */
export const namesApproval = (changes: ApprovalChanges): boolean =>
  changes.approvers !== undefined ||
  changes.lead !== undefined ||
  changes.onTimeout !== undefined ||
  changes.enabled !== undefined;

/** Default lead when review before send is turned on without `--approval-lead`. */
export const DEFAULT_APPROVAL_LEAD = '24h';

/**
 * The policy's next `approval` (undefined: off), from the current one and the changes.
 * Unchecked input: the caller parses the resulting policy with its contract.
 * @throws UsageError when `--no-approval` comes with approval settings, or settings come without
 *   approvers for a project that has none yet.
 */
export const nextApproval = (
  current: ApprovalPolicy | undefined,
  changes: ApprovalChanges,
): ApprovalPolicy | undefined => {
  if (!namesApproval(changes)) return current;
  const settings =
    changes.approvers !== undefined || changes.lead !== undefined || changes.onTimeout !== undefined;
  if (changes.enabled === false) {
    if (settings)
      throw new UsageError(
        '--no-approval turns review off: give no --approvers, --approval-lead or --on-timeout with it',
      );
    return undefined;
  }
  const approvers =
    changes.approvers !== undefined
      ? changes.approvers
          .split(',')
          .map((a) => a.trim())
          .filter(Boolean)
      : current?.approvers;
  if (approvers === undefined) {
    throw new UsageError(
      'review before send needs --approvers (comma-separated addresses) for a project that has none yet',
    );
  }
  return {
    approvers,
    lead: changes.lead?.trim() ?? current?.lead ?? DEFAULT_APPROVAL_LEAD,
    onTimeout: changes.onTimeout ?? current?.onTimeout ?? 'hold',
  };
};

/** `herald policy show`'s line for the approval settings. */
export const describeApproval = (approval: ApprovalPolicy | undefined): string => {
  if (approval === undefined) return 'off (emails go out unreviewed)';
  const leadMs = approvalLeadMs(approval.lead);
  return `${approval.approvers.join(', ')}; review ${approval.lead} before each point${
    leadMs === undefined ? ' (invalid lead)' : ''
  }; no decision by the send time: ${approval.onTimeout}`;
};
