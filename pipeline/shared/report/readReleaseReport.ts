import type { DeliveryRecordsPort } from '#adapters/ledger/DeliveryRecordsPort';
import type { LedgerPort } from '#adapters/ledger/LedgerPort';
import type { EmailDraft } from '#contracts/emailDraft';
import { mapLimit } from '#shared/mapLimit';
import {
  buildReleaseReport,
  plansOf,
  type ReleaseReport,
  type ReportFilter,
  sendKeysOf,
} from './releaseReport.ts';

/** What {@link readReleaseReport} reads. */
export interface ReleaseReportDeps {
  records: Pick<DeliveryRecordsPort, 'readRelease' | 'readEmails'>;
  ledger: Pick<LedgerPort, 'getDraft'>;
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
  return buildReleaseReport({ rows, emails, drafts, now: deps.now(), filter });
};
