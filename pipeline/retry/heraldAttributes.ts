import type { SQSRecord } from 'aws-lambda';
import type { AnyEnvelope } from '#contracts/envelope';
import { maskEmailsIn } from '#shared/logger';
import { truncate } from '#shared/text';

/** Names of the message attributes the retry ladder reads and writes. */
export const HERALD_ATTRIBUTES = {
  /** Why a message is in a DLQ: `permanent:<reason>`, `retries_exhausted`, ... */
  reason: 'herald-reason',
  /** The error that sent it to the DLQ, `Name: message` (truncated, emails masked). */
  error: 'herald-error',
  /** The last error seen on the stage queue, carried through the reschedule queue. */
  lastError: 'herald-last-error',
  /** Stage the message belongs to (DLQ moves by the emulator carry no source ARN). */
  stage: 'herald-stage',
  /** ISO-8601 time the message was dead-lettered. */
  failedAt: 'herald-failed-at',
  /** ApproximateReceiveCount on the stage queue when it last failed. */
  receiveCount: 'herald-receive-count',
  /** Reschedules so far; the counter itself for bodies that are not envelopes. */
  reschedules: 'herald-reschedules',
  /** SQS message id on the queue it failed on. */
  sourceMessageId: 'herald-source-message-id',
} as const;

/** SQS accepts at most 10 message attributes per message. */
export const MAX_MESSAGE_ATTRIBUTES = 10;

/** Longest error text put in an attribute, characters. */
export const MAX_ERROR_ATTRIBUTE_CHARS = 512;

// SQS attribute values must be valid XML characters; anything else is rejected with InvalidParameterValue.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point.
const NOT_XML = /[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/**
 * One line describing an error for a message attribute: `Name: message`, email addresses masked,
 * non-XML characters replaced, at most {@link MAX_ERROR_ATTRIBUTE_CHARS} characters. Never empty.
 */
export const describeError = (error: unknown): string => {
  const text =
    error instanceof Error
      ? `${error.name}: ${error.message}`
      : typeof error === 'string'
        ? error
        : `non-error thrown: ${String(error)}`;
  const clean = maskEmailsIn(text.replace(NOT_XML, ' '));
  return truncate(clean.trim() || 'unknown error', MAX_ERROR_ATTRIBUTE_CHARS);
};

/** The record's String and Number message attributes as plain strings (empty values dropped). */
export const stringAttributesOf = (record: Pick<SQSRecord, 'messageAttributes'>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, attribute] of Object.entries(record.messageAttributes ?? {})) {
    const value = attribute.stringValue;
    const type = attribute.dataType ?? '';
    if (value && (type.startsWith('String') || type.startsWith('Number'))) out[name] = value;
  }
  return out;
};

/**
 * `carried` attributes overridden by `ours`, capped at {@link MAX_MESSAGE_ATTRIBUTES}: ours are
 * kept first, then carried `herald-*` ones, then the rest. Empty values are dropped (SQS rejects them).
 */
export const mergeAttributes = (
  carried: Record<string, string>,
  ours: Record<string, string>,
): Record<string, string> => {
  const rank = (name: string): number => (name in ours ? 0 : name.startsWith('herald-') ? 1 : 2);
  const merged = Object.entries({ ...carried, ...ours }).filter(([, value]) => value !== '');
  merged.sort(([a], [b]) => rank(a) - rank(b));
  return Object.fromEntries(merged.slice(0, MAX_MESSAGE_ATTRIBUTES));
};

/** SQS ApproximateReceiveCount of a record; 1 when absent or unreadable. */
export const receiveCountOf = (record: Pick<SQSRecord, 'attributes'>): number => {
  const count = Number(record.attributes?.ApproximateReceiveCount);
  return Number.isInteger(count) && count > 0 ? count : 1;
};

/**
 * How many times the message was rescheduled: the envelope's `reschedules` when the body is an
 * envelope, else the `herald-reschedules` attribute, else 0.
 */
export const reschedulesOf = (
  record: Pick<SQSRecord, 'messageAttributes'>,
  envelope: AnyEnvelope | undefined,
): number => {
  if (envelope) return envelope.reschedules;
  const value = Number(stringAttributesOf(record)[HERALD_ATTRIBUTES.reschedules]);
  return Number.isInteger(value) && value >= 0 ? value : 0;
};

/** What {@link deadLetterAttributes} writes. */
export interface DeadLetterInfo {
  /** Short snake_case reason, see backoffPolicy `failureReason`. */
  reason: string;
  /** Text of the error that decided it (already described: see {@link describeError}). */
  error: string;
  stage: string;
  failedAt: Date;
  receiveCount: number;
  reschedules: number;
  sourceMessageId: string;
}

/** The `herald-*` attributes of a dead-lettered message, merged over what the message carried. */
export const deadLetterAttributes = (
  carried: Record<string, string>,
  info: DeadLetterInfo,
): Record<string, string> =>
  mergeAttributes(carried, {
    [HERALD_ATTRIBUTES.reason]: info.reason,
    [HERALD_ATTRIBUTES.error]: info.error,
    [HERALD_ATTRIBUTES.stage]: info.stage,
    [HERALD_ATTRIBUTES.failedAt]: info.failedAt.toISOString(),
    [HERALD_ATTRIBUTES.receiveCount]: String(info.receiveCount),
    [HERALD_ATTRIBUTES.reschedules]: String(info.reschedules),
    [HERALD_ATTRIBUTES.sourceMessageId]: info.sourceMessageId,
  });
