import * as z from 'zod';
import { recipient } from './contact.ts';
import { envelopeOf } from './envelope.ts';
import { jiraDate, jiraId } from './jiraVersionWebhook.ts';

/** compose → send: one email to one recipient; the content lives in the ledger under `draftKey`. */
export const sendJobPayload = z.object({
  versionId: jiraId,
  projectKey: z.string().min(1),
  pointId: z.string().min(1),
  releaseDate: jiraDate.optional(),
  /** Ledger key of the composed draft (one per release point and locale). */
  draftKey: z.string().min(1),
  recipient: recipient,
  /** Deadline of the point, ISO 8601 UTC: past it send records the email `missed` and sends nothing. */
  notAfter: z.iso.datetime().optional(),
  /**
   * `review`: an approver's review email (policy `approval`): sent to an approver rather than a
   * contact, so no opt-out or contact check, no List-Unsubscribe, no release gate. Absent: a
   * client email.
   */
  kind: z.enum(['review']).optional(),
});

/** Payload of send.job. */
export type SendJob = z.output<typeof sendJobPayload>;

/** Envelope of send.job. */
export const sendJobMessage = envelopeOf('send.job', sendJobPayload);

/**
 * The exactly-once key of an email: release, point (with the release date it was computed
 * from, so a moved release is a new point) and recipient.
 */
export const sendKey = (p: Pick<SendJob, 'versionId' | 'pointId' | 'releaseDate'>, email: string): string =>
  `${p.versionId}:${p.pointId}@${p.releaseDate ?? 'none'}:${email}`;
