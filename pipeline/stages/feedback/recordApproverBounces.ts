import type { ApprovalLedgerPort } from '#adapters/ledger/ApprovalLedgerPort';
import { emailAddress } from '#contracts/contact';
import { withRetry } from '#retry/withRetry';
import { type Log, maskEmail } from '#shared/logger';
import type { SesFeedbackDetail } from './sesFeedbackEvent.ts';

/**
 * Records a permanent bounce or a complaint of a review email (SES tag `herald-kind` = `review`)
 * against each approver address it names, with the release and point of its `version` and
 * `point` tags, so `herald status` can say which approver does not get review emails
 * (`approver_bounced`). Addresses that do not parse are skipped (the opt-out step logs them).
 */
export const recordApproverBounces = async (
  detail: SesFeedbackDetail,
  rawAddresses: readonly string[],
  deps: {
    ledger: Pick<ApprovalLedgerPort, 'recordApproverBounce'>;
    logger: Log;
    remainingTimeMs: () => number;
  },
): Promise<void> => {
  const type = detail.eventType === 'Complaint' ? 'Complaint' : 'Bounce';
  const at = detail.mail?.timestamp ?? new Date().toISOString();
  for (const raw of rawAddresses) {
    const parsed = emailAddress.safeParse(/<([^<>]+)>\s*$/.exec(raw)?.[1] ?? raw);
    if (!parsed.success) continue;
    await withRetry(
      'ledger.record_approver_bounce',
      () =>
        deps.ledger.recordApproverBounce(parsed.data, {
          type,
          at,
          versionId: detail.mail?.tags?.version?.[0],
          pointId: detail.mail?.tags?.point?.[0],
        }),
      { remainingTimeMs: deps.remainingTimeMs, logger: deps.logger },
    );
    deps.logger.warn(
      { approver: maskEmail(parsed.data), type, versionId: detail.mail?.tags?.version?.[0] },
      'approver_bounced',
    );
  }
};
