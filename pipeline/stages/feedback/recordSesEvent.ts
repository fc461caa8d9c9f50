import type { EventBridgeEvent } from 'aws-lambda';
import { type LedgerPort, SES_EVENT_TYPES, type SesEventType } from '#adapters/ledger/LedgerPort';
import { SEND_TAG_NAME } from '#contracts/sendTag';
import { withRetry } from '#retry/withRetry';
import type { Log } from '#shared/logger';
import { withSpan } from '#shared/tracing';
import type { SesFeedbackDetail } from './sesFeedbackEvent.ts';

/** What {@link recordSesEvent} needs. */
export interface RecordSesEventDeps {
  ledger: Pick<LedgerPort, 'recordSesEvent'>;
  logger: Pick<Log, 'info' | 'warn'>;
  /** Milliseconds left in the invocation; bounds in-call retries. */
  remainingTimeMs: () => number;
}

const isRecorded = (type: string): type is SesEventType =>
  (SES_EVENT_TYPES as readonly string[]).includes(type);

/** The event's own time: `<type>.timestamp` (delivery, bounce...), else the mail's, else EventBridge's. */
const timeOf = (detail: SesFeedbackDetail, event: EventBridgeEvent<string, unknown>): string => {
  const key = detail.eventType.charAt(0).toLowerCase() + detail.eventType.slice(1);
  const own = (detail as Record<string, unknown>)[key] as { timestamp?: unknown } | undefined;
  if (typeof own?.timestamp === 'string') return own.timestamp;
  return detail.mail?.timestamp ?? event.time;
};

/**
 * Records one SES event in the ledger under the email's SES tag value (`herald-send`, see
 * `sendTag`), so the send stage can tell whether SES accepted an email whose SendEmail outcome
 * it does not know. Events of other types (Open, Click...), of emails without the tag (not sent
 * by release-herald) or without a message id are left alone.
 * @returns the event type recorded, or undefined.
 */
export const recordSesEvent = async (
  detail: SesFeedbackDetail,
  event: EventBridgeEvent<string, unknown>,
  deps: RecordSesEventDeps,
): Promise<SesEventType | undefined> => {
  const tag = detail.mail?.tags?.[SEND_TAG_NAME]?.[0];
  const messageId = detail.mail?.messageId;
  const type = detail.eventType;
  if (tag === undefined || messageId === undefined || !isRecorded(type)) return undefined;
  const at = timeOf(detail, event);
  await withSpan('ledger.record_ses_event', () =>
    withRetry('ledger.record_ses_event', () => deps.ledger.recordSesEvent(tag, { type, messageId, at }), {
      remainingTimeMs: deps.remainingTimeMs,
      logger: deps.logger,
    }),
  );
  deps.logger.info({ messageId, sesTag: tag, eventType: type, at }, 'ses_event_recorded');
  return type;
};
