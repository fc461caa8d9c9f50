import * as z from 'zod';

/** The EventBridge `source` of SES events (SES publishes them to the account's default bus). */
export const SES_EVENT_SOURCE = 'aws.ses';

/**
 * EventBridge detail-types of the SES events feedback acts on: bounces and complaints opt the
 * address out; every one of them (Send, Delivery, Bounce, Complaint, Reject, DeliveryDelay) is
 * recorded in the ledger under the email's `herald-send` tag.
 */
export const SES_FEEDBACK_DETAIL_TYPES = [
  'Email Bounced',
  'Email Complaint Received',
  'Email Sent',
  'Email Delivered',
  'Email Rejected',
  'Email Delivery Delayed',
] as const;

/** SES `bounce.bounceType` that means the address will never accept mail. */
export const PERMANENT_BOUNCE = 'Permanent';

const recipients = z.array(z.looseObject({ emailAddress: z.string().min(1, 'emailAddress is required') }));

/**
 * The `detail` of an SES event publishing record (the same JSON SES sends to SNS or Firehose):
 * `eventType` says which of `bounce` / `complaint` is present. Only the fields feedback reads
 * are checked; the rest (mail headers, diagnostic codes) is kept loose.
 */
export const sesFeedbackDetail = z.looseObject({
  eventType: z.string().min(1, 'eventType is required'),
  mail: z
    .looseObject({
      messageId: z.string().optional(),
      /** When SES accepted the email, ISO 8601. */
      timestamp: z.string().optional(),
      /** Message tags, name → values (`ses:configuration-set`, `herald-send`...). */
      tags: z.record(z.string(), z.array(z.string())).optional(),
    })
    .optional(),
  bounce: z
    .looseObject({
      /** `Permanent`, `Transient` or `Undetermined`. */
      bounceType: z.string(),
      bounceSubType: z.string().optional(),
      bouncedRecipients: recipients,
    })
    .optional(),
  complaint: z
    .looseObject({
      complainedRecipients: recipients,
      /** e.g. `abuse`, `not-spam`; often absent. */
      complaintFeedbackType: z.string().optional(),
    })
    .optional(),
});

/** A parsed SES bounce/complaint detail. */
export type SesFeedbackDetail = z.output<typeof sesFeedbackDetail>;
