import type { LedgerPort } from '#adapters/ledger/LedgerPort';
import type { OutgoingEmail } from '#adapters/mailer/MailerPort';
import { reviewSendKey } from '#contracts/reviewKeys';
import { type SendJob, sendKey } from '#contracts/sendJob';
import { KIND_TAG_NAME, SEND_TAG_NAME, sendTag, sesTagText } from '#contracts/sendTag';
import { PermanentError } from '#shared/errors';
import { singleLine } from '#shared/text';

/**
 * The exactly-once key of the job's email: {@link sendKey} for a client email,
 * `review:<approvalKey>#r<revision>:<approver>` for a review email.
 * @throws PermanentError `invalid_review_job` when a review job's draft key is not a review key.
 */
export const emailSendKey = (job: SendJob): string => {
  if (job.kind !== 'review') return sendKey(job, job.recipient.email);
  const key = reviewSendKey(job.draftKey, job.recipient.email);
  if (key === undefined) {
    throw new PermanentError(
      'invalid_review_job',
      `review send.job with a non-review draft key ${job.draftKey}`,
    );
  }
  return key;
};

/**
 * The review email of a send.job of kind `review`, as compose rendered it (no placeholders, no
 * List-Unsubscribe: it goes to an approver named in the policy, not to a contact), tagged
 * `herald-kind=review` so the feedback stage files a bounce as an approver bounce.
 * @throws PermanentError `draft_missing` when the ledger has no draft under the job's key.
 */
export const prepareReviewEmail = async (
  job: SendJob,
  deps: { ledger: Pick<LedgerPort, 'getDraft'>; senderEmail: string },
  retry: <T>(name: string, fn: () => Promise<T>) => Promise<T>,
): Promise<OutgoingEmail> => {
  const draft = await retry('ledger.get_draft', () => deps.ledger.getDraft(job.draftKey));
  if (!draft) {
    throw new PermanentError('draft_missing', `no review draft ${job.draftKey} in the ledger`);
  }
  return {
    from: deps.senderEmail,
    to: job.recipient.email,
    subject: singleLine(draft.subject),
    html: draft.html,
    text: draft.text,
    headers: {
      'X-Herald-Release': singleLine(job.versionId),
      'X-Herald-Point': singleLine(job.pointId),
      'X-Herald-Draft-Source': 'review',
    },
    tags: {
      [SEND_TAG_NAME]: sendTag(emailSendKey(job)),
      [KIND_TAG_NAME]: 'review',
      version: sesTagText(job.versionId) || '_',
      point: sesTagText(job.pointId) || '_',
    },
    fromName: 'Release Herald review',
  };
};
