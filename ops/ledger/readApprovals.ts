import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { APPROVAL_PREFIX, APPROVER_BOUNCE_PREFIX } from '#adapters/ledger/DynamoApprovals';
import { approvalRecord } from '#contracts/approval';

/**
 * A review email SES reported undeliverable, per approver. The address is shown in clear: it is
 * the team's own (the policy's `approvers`), and the operator needs it to fix `--approvers`.
 */
export interface ApproverBounceView {
  approver: string;
  type: string;
  at: string;
  versionId: string;
  pointId: string;
  count: number;
}

/** Review before send as `herald status` shows it. */
export interface ApprovalReport {
  /** Unsettled points by state. */
  pending: number;
  approved: number;
  held: number;
  /** Points settled at their send time, by outcome (`sent`, `held`, `timeout_sent`, `timeout_held`). */
  settled: Record<string, number>;
  approverBounces: ApproverBounceView[];
}

/**
 * Reads the ledger's approval records and approver bounce rows (a paged Scan with a filter, read
 * only, like the outcome report): counts of points by state and settlement, and every approver
 * whose review emails bounced.
 */
export const readApprovals = async (options: {
  documents: DynamoDBDocumentClient;
  tableName: string;
}): Promise<ApprovalReport> => {
  const report: ApprovalReport = { pending: 0, approved: 0, held: 0, settled: {}, approverBounces: [] };
  const pages = paginateScan(
    { client: options.documents },
    {
      TableName: options.tableName,
      FilterExpression: 'begins_with(pk, :approval) OR begins_with(pk, :bounce)',
      ExpressionAttributeValues: { ':approval': APPROVAL_PREFIX, ':bounce': APPROVER_BOUNCE_PREFIX },
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const pk = String(item.pk);
      if (pk.startsWith(APPROVER_BOUNCE_PREFIX)) {
        report.approverBounces.push({
          approver: pk.slice(APPROVER_BOUNCE_PREFIX.length),
          type: String(item.type ?? ''),
          at: String(item.at ?? ''),
          versionId: String(item.versionId ?? ''),
          pointId: String(item.pointId ?? ''),
          count: Number(item.count ?? 1),
        });
        continue;
      }
      const parsed = approvalRecord.safeParse(
        typeof item.record === 'string' ? JSON.parse(item.record) : undefined,
      );
      if (!parsed.success) continue;
      const record = parsed.data;
      if (record.settled)
        report.settled[record.settled.outcome] = (report.settled[record.settled.outcome] ?? 0) + 1;
      else if (record.state === 'pending_approval') report.pending += 1;
      else if (record.state === 'approved') report.approved += 1;
      else report.held += 1;
    }
  }
  report.approverBounces.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return report;
};

/** The report as text lines for `herald status` (none when no project uses review before send). */
export const renderApprovals = (report: ApprovalReport): string[] => {
  const settled = Object.entries(report.settled);
  if (report.pending + report.approved + report.held + settled.length + report.approverBounces.length === 0)
    return [];
  return [
    `review before send: ${report.pending} pending, ${report.approved} approved, ${report.held} held; settled at the send time: ${
      settled.length > 0 ? settled.map(([outcome, n]) => `${n} ${outcome}`).join(', ') : 'none'
    }`,
    ...report.approverBounces.map(
      (b) =>
        `  approver bounce: ${b.approver} ${b.type} at ${b.at} (${b.count}x; version ${b.versionId || '?'} point ${b.pointId || '?'}): fix the policy's --approvers`,
    ),
  ];
};
