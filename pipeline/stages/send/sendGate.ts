import type { LedgerPort, OutcomeRecord } from '#adapters/ledger/LedgerPort';
import { type SendJob, sendKey } from '#contracts/sendJob';
import type { Log } from '#shared/logger';
import { emailSendKey } from './reviewSend.ts';

/** Why an email is given up without a send. */
export type GateVerdict = Pick<OutcomeRecord, 'status' | 'reason'>;

/**
 * Decides whether a send.job may still go out at `now`: past its `notAfter` → `missed`
 * (`past_deadline`); the release's watermark row (stamped by the schedule stage with the newest
 * snapshot's state and release date) says the release was deleted (`release_deleted`) or its
 * release date is no longer the job's (`release_date_moved`) → `skipped_release_changed`.
 * A row without a stamp (written before stamps existed) or no row at all lets the job pass.
 */
export const gateVerdict = async (
  job: SendJob,
  now: Date,
  ledger: Pick<LedgerPort, 'getRelease'>,
  retry: <T>(name: string, fn: () => Promise<T>) => Promise<T>,
): Promise<GateVerdict | undefined> => {
  if (job.notAfter !== undefined && now.getTime() > Date.parse(job.notAfter)) {
    return { status: 'missed', reason: 'past_deadline' };
  }
  const release = await retry('ledger.get_release', () => ledger.getRelease(job.versionId));
  if (release?.state === undefined) return undefined;
  if (release.state === 'deleted') return { status: 'skipped_release_changed', reason: 'release_deleted' };
  if (job.releaseDate !== undefined && release.releaseDate !== job.releaseDate) {
    return { status: 'skipped_release_changed', reason: 'release_date_moved' };
  }
  return undefined;
};

/**
 * Checks the job with {@link gateVerdict} and, when it may not go out, records the email's
 * outcome on its send row (only where no claim or send exists: a sent email stays sent) and logs
 * `email_missed` or `email_skipped_release_changed`. Resolves to true when the caller must not
 * send (the record succeeds), false when the send goes ahead.
 */
export const stopAtGate = async (
  job: SendJob,
  deps: { ledger: Pick<LedgerPort, 'getRelease' | 'recordSendOutcome'>; now: () => Date; logger: Log },
  retry: <T>(name: string, fn: () => Promise<T>) => Promise<T>,
): Promise<boolean> => {
  const verdict = await gateVerdict(job, deps.now(), deps.ledger, retry);
  if (verdict === undefined) return false;
  const result = await retry('ledger.record_send_outcome', () =>
    deps.ledger.recordSendOutcome(sendKey(job, job.recipient.email), {
      ...verdict,
      versionId: job.versionId,
      pointId: job.pointId,
      releaseDate: job.releaseDate,
    }),
  );
  if (!result.recorded) {
    // The row exists (claimed, sent, rejected, given up before): it is left as it is.
    deps.logger.info({ status: result.status, gate: verdict.reason }, 'email_duplicate_skipped');
    return true;
  }
  deps.logger.warn(
    { reason: verdict.reason, notAfter: job.notAfter },
    verdict.status === 'missed' ? 'email_missed' : 'email_skipped_release_changed',
  );
  return true;
};

/**
 * The gate of a review email (send.job of kind `review`): past its `notAfter` (its links'
 * expiry, the send time) it is recorded `missed` on its send row and not sent (`review_email_expired`).
 * No release gate: a review of a moved release is superseded by its own new revision.
 */
export const stopReviewAtDeadline = async (
  job: SendJob,
  deps: { ledger: Pick<LedgerPort, 'recordSendOutcome'>; now: () => Date; logger: Log },
  retry: <T>(name: string, fn: () => Promise<T>) => Promise<T>,
): Promise<boolean> => {
  if (job.notAfter === undefined || deps.now().getTime() <= Date.parse(job.notAfter)) return false;
  await retry('ledger.record_send_outcome', () =>
    deps.ledger.recordSendOutcome(emailSendKey(job), {
      status: 'missed',
      reason: 'review_expired',
      versionId: job.versionId,
      pointId: job.pointId,
      releaseDate: job.releaseDate,
    }),
  );
  deps.logger.warn({ notAfter: job.notAfter }, 'review_email_expired');
  return true;
};
