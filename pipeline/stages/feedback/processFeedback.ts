import type { EventBridgeEvent } from 'aws-lambda';
import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import type { ApprovalLedgerPort } from '#adapters/ledger/ApprovalLedgerPort';
import type { LedgerPort, SesEventType } from '#adapters/ledger/LedgerPort';
import { emailAddress } from '#contracts/contact';
import { ContractError, parseContract } from '#contracts/errors';
import { KIND_TAG_NAME } from '#contracts/sendTag';
import { withRetry } from '#retry/withRetry';
import { type Log, maskEmail } from '#shared/logger';
import { withSpan } from '#shared/tracing';
import { recordApproverBounces } from './recordApproverBounces.ts';
import { recordSesEvent } from './recordSesEvent.ts';
import { PERMANENT_BOUNCE, SES_EVENT_SOURCE, sesFeedbackDetail } from './sesFeedbackEvent.ts';

/** Opt-out reasons feedback records in the directory. */
export const FEEDBACK_REASONS = { bounce: 'ses_bounce', complaint: 'ses_complaint' } as const;

/** What {@link processFeedback} needs. */
export interface FeedbackDeps {
  directory: DirectoryPort;
  logger: Log;
  /** Milliseconds left in the invocation; bounds in-call retries. */
  remainingTimeMs: () => number;
  /**
   * The ledger, where SES's events are recorded per email (`herald-send` tag), and bounces of
   * review emails per approver (`herald-kind` = `review`).
   */
  ledger: Pick<LedgerPort, 'recordSesEvent'> & Pick<ApprovalLedgerPort, 'recordApproverBounce'>;
}

/** What {@link processFeedback} did. */
export interface FeedbackOutcome {
  /** Addresses opted out (already normalised). */
  optedOut: string[];
  /** Why no address was opted out, when none was. */
  ignored?: 'not_ses' | 'transient_bounce' | 'other_event' | undefined;
  /** The SES event type recorded in the ledger for the email, when it carried its tag. */
  recorded?: SesEventType | undefined;
}

/** `Jane <jane@example.com>` or `jane@example.com` → the normalised address, or undefined. */
const addressOf = (raw: string): string | undefined => {
  const angle = /<([^<>]+)>\s*$/.exec(raw);
  const parsed = emailAddress.safeParse(angle?.[1] ?? raw);
  return parsed.success ? parsed.data : undefined;
};

/**
 * Acts on an SES event delivered by EventBridge (source `aws.ses`, detail-types
 * {@link SES_FEEDBACK_DETAIL_TYPES}): first records it in the ledger under the email's
 * `herald-send` tag ({@link recordSesEvent}: Send, Delivery, Bounce, Complaint, Reject,
 * DeliveryDelay), then, for `Email Bounced` / `Email Complaint Received`, opts every bounced (Permanent bounces only) or
 * complaining address out everywhere, reason `ses_bounce` / `ses_complaint`. Transient and
 * undetermined bounces and other SES events are logged and ignored. Opting out is idempotent,
 * so a redelivered event is harmless.
 * @throws ContractError when the detail is not an SES event record (permanent).
 */
export const processFeedback = async (
  event: EventBridgeEvent<string, unknown>,
  deps: FeedbackDeps,
): Promise<FeedbackOutcome> => {
  const logger = deps.logger.child({ eventId: event.id, detailType: event['detail-type'] });
  if (event.source !== SES_EVENT_SOURCE) {
    logger.info({ source: event.source, reason: 'not_ses' }, 'feedback_ignored');
    return { optedOut: [], ignored: 'not_ses' };
  }
  const detail = parseContract('ses.feedback_event', sesFeedbackDetail, event.detail);
  const messageId = detail.mail?.messageId;
  const type = await recordSesEvent(detail, event, { ...deps, logger });
  const recorded = type === undefined ? {} : { recorded: type };

  let reason: string;
  let rawAddresses: string[];
  if (detail.eventType === 'Bounce') {
    if (!detail.bounce)
      throw new ContractError('ses.feedback_event', ['bounce: required when eventType is Bounce']);
    if (detail.bounce.bounceType !== PERMANENT_BOUNCE) {
      logger.info(
        { messageId, bounceType: detail.bounce.bounceType, reason: 'transient_bounce' },
        'feedback_ignored',
      );
      return { optedOut: [], ignored: 'transient_bounce', ...recorded };
    }
    reason = FEEDBACK_REASONS.bounce;
    rawAddresses = detail.bounce.bouncedRecipients.map((r) => r.emailAddress);
  } else if (detail.eventType === 'Complaint') {
    if (!detail.complaint) {
      throw new ContractError('ses.feedback_event', ['complaint: required when eventType is Complaint']);
    }
    reason = FEEDBACK_REASONS.complaint;
    rawAddresses = detail.complaint.complainedRecipients.map((r) => r.emailAddress);
  } else {
    logger.info({ messageId, eventType: detail.eventType, reason: 'other_event' }, 'feedback_ignored');
    return { optedOut: [], ignored: 'other_event', ...recorded };
  }

  if (detail.mail?.tags?.[KIND_TAG_NAME]?.[0] === 'review') {
    await recordApproverBounces(detail, rawAddresses, { ...deps, logger });
  }
  const optedOut: string[] = [];
  for (const raw of rawAddresses) {
    const address = addressOf(raw);
    if (address === undefined) {
      logger.warn({ messageId, email: maskEmail(raw) }, 'feedback_address_invalid');
      continue;
    }
    if (optedOut.includes(address)) continue;
    await withSpan('directory.opt_out', () =>
      withRetry('directory.opt_out', () => deps.directory.optOut(address, reason), {
        remainingTimeMs: deps.remainingTimeMs,
        logger,
      }),
    );
    optedOut.push(address);
    logger.info({ messageId, email: maskEmail(address), reason }, 'contact_opted_out');
  }
  return { optedOut, ...recorded };
};
