import type { ApprovalLedgerPort } from '#adapters/ledger/ApprovalLedgerPort';
import type { ApprovalRecord } from '#contracts/approval';
import { renderTable } from '#ops/cli/table';
import { maskEmails } from '#ops/format/maskEmails';
import { formatUtc } from '#stages/webhook/reviewPage';

/** Whether the record still waits for a decision that counts (pending and not settled). */
export const isPending = (record: ApprovalRecord): boolean =>
  record.state === 'pending_approval' && record.settled === undefined;

/** The approval records of every point (or of one release), soonest send time first; `pending` keeps the undecided ones. */
export const listDrafts = async (
  approvals: Pick<ApprovalLedgerPort, 'listApprovals'>,
  options: { pending?: boolean | undefined; versionId?: string | undefined } = {},
): Promise<ApprovalRecord[]> => {
  const records = await approvals.listApprovals(options.versionId);
  return records
    .filter((r) => !options.pending || isPending(r))
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.approvalKey.localeCompare(b.approvalKey));
};

/** `approved`, or `settled: timeout_held` once the send time settled it. */
export const stateLabel = (record: ApprovalRecord): string =>
  record.settled ? `settled: ${record.settled.outcome}` : record.state;

/** The last decision as `approve by ana (cli)`, or `-`. */
export const lastDecision = (record: ApprovalRecord): string => {
  const last = record.decisions.at(-1);
  return last ? `${last.decision} by ${last.by} (${last.via}, r${last.revision})` : '-';
};

/** The table of `herald drafts list` (approver addresses masked; `--json` has them whole). */
export const renderDraftsList = (records: readonly ApprovalRecord[], pending: boolean): string => {
  if (records.length === 0) return pending ? 'No draft waits for approval.' : 'No approval record.';
  return renderTable(
    ['key', 'project', 'send time', 'state', 'rev', 'drafts', 'last decision'],
    records.map((r) => [
      r.approvalKey,
      r.projectKey,
      formatUtc(r.dueAt),
      stateLabel(r),
      r.revision,
      r.draftKeys.length,
      maskEmails(lastDecision(r)),
    ]),
    ['left', 'left', 'left', 'left', 'right', 'right'],
  );
};
