import type { DeliveryRecordsPort } from '#adapters/ledger/DeliveryRecordsPort';
import type { ApprovalLedgerPort } from '#adapters/ledger/ApprovalLedgerPort';
import type { LedgerPort } from '#adapters/ledger/LedgerPort';
import { type ApprovalRecord, approvalKey } from '#contracts/approval';
import type { EmailDraft } from '#contracts/emailDraft';
import { mapLimit } from '#shared/mapLimit';
import {
  buildReleaseReport,
  plansOf,
  pointKeyOf,
  type ReleaseReport,
  type ReportFilter,
  sendKeysOf,
} from './releaseReport.ts';

/** What {@link readReleaseReport} reads. */
export interface ReleaseReportDeps {
  records: Pick<DeliveryRecordsPort, 'readRelease' | 'readEmails'>;
  ledger: Pick<LedgerPort, 'getDraft'>;
  /**
   * The points' approval records (review before send); undefined: the report has no approval
   * column values. Wire `DynamoApprovalLedger` (issue 10) here in `herald report` and the summary.
   */
  approvals?: Pick<ApprovalLedgerPort, 'getApproval'> | undefined;
  now: () => Date;
}

/** Drafts read at once. */
const DRAFT_READS_IN_FLIGHT = 8;

/**
 * Reads a release's delivery report from the ledger by key: its index row, the plans and point
 * outcomes it lists, the send rows and SES events of every planned email (BatchGetItem), and
 * each draft once. `filter` narrows it to one point (and zone).
 */
export const readReleaseReport = async (
  deps: ReleaseReportDeps,
  versionId: string,
  filter?: ReportFilter,
): Promise<ReleaseReport> => {
  const rows = await deps.records.readRelease(versionId);
  const plans = plansOf(rows.plans, filter);
  const emails = await deps.records.readEmails(sendKeysOf(plans));
  const draftKeys = [
    ...new Set(plans.flatMap((p) => p.groups.flatMap((g) => (g.draftKey ? [g.draftKey] : [])))),
  ];
  const read = await mapLimit(draftKeys, DRAFT_READS_IN_FLIGHT, (key) => deps.ledger.getDraft(key));
  const drafts = new Map<string, EmailDraft | null>(draftKeys.map((key, i) => [key, read[i] ?? null]));
  const approvals = new Map<string, ApprovalRecord>();
  const { approvals: reviews } = deps;
  if (reviews !== undefined) {
    const points = [...new Map(plans.map((p) => [pointKeyOf(p), p])).values()];
    for (const point of points) {
      const record = await reviews.getApproval(approvalKey({ ...point, versionId }));
      if (record) approvals.set(pointKeyOf(point), record);
    }
  }
  return buildReleaseReport({ rows, emails, drafts, approvals, now: deps.now(), filter });
};
