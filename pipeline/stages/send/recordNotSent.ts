import type { LedgerPort, SendOutcomeResult } from '#adapters/ledger/LedgerPort';
import { type SendJob, sendKey } from '#contracts/sendJob';

/** Why an email of a planned recipient is not sent, as its send row records it. */
export interface RecipientSkip {
  /** `opted_out` (everywhere or in the project) or `removed` (no longer a contact of the project). */
  status: 'opted_out' | 'removed';
  /** `opted_out_global`, `opted_out_project` or `not_a_contact`. */
  reason: 'opted_out_global' | 'opted_out_project' | 'not_a_contact';
}

/**
 * Records on the email's send row that its recipient is skipped (the directory changed since
 * compose planned it), so `herald report` and the owners' summary count it. Written only where
 * no row exists: an email already claimed or sent keeps its row.
 */
export const recordNotSent = (
  job: SendJob,
  skip: RecipientSkip,
  ledger: Pick<LedgerPort, 'recordSendOutcome'>,
  retry: <T>(name: string, fn: () => Promise<T>) => Promise<T>,
): Promise<SendOutcomeResult> =>
  retry('ledger.record_send_outcome', () =>
    ledger.recordSendOutcome(sendKey(job, job.recipient.email), {
      ...skip,
      versionId: job.versionId,
      pointId: job.pointId,
      releaseDate: job.releaseDate,
    }),
  );
