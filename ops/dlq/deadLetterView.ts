import type { Message } from '@aws-sdk/client-sqs';
import type { MessageKind } from '#contracts/envelope';
import { HERALD_ATTRIBUTES } from '#retry/heraldAttributes';
import { peekEnvelope } from '#retry/peekEnvelope';

/** A dead-lettered message as an operator reads it: why it failed, what it is, its body. */
export interface DeadLetterView {
  /** SQS message id in the DLQ. */
  messageId: string;
  /** When it entered the DLQ (SentTimestamp), ISO 8601. */
  sentAt: string | undefined;
  /** `herald-stage`. */
  stage: string | undefined;
  /** `herald-reason`: `permanent:<reason>`, `contract:<name>`, `retries_exhausted`, ... */
  reason: string | undefined;
  /** `herald-error` (or `herald-last-error` for a message SQS moved here by its redrive policy). */
  error: string | undefined;
  /** `herald-failed-at`, ISO 8601. */
  failedAt: string | undefined;
  /** `herald-receive-count`: receives on the stage queue when it last failed. */
  receiveCount: number | undefined;
  /** Reschedules used: the envelope's `reschedules`, else `herald-reschedules`. */
  reschedules: number | undefined;
  /** Envelope kind; undefined for a body that is not an envelope (ingest's EventBridge events). */
  kind: MessageKind | undefined;
  /** Envelope key (business idempotency key). */
  key: string | undefined;
  /** Every String/Number message attribute. */
  attributes: Record<string, string>;
  /** The body: parsed JSON when it is JSON, else the text. */
  body: unknown;
}

const numberOf = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isInteger(n) ? n : undefined;
};

/** The String and Number message attributes of a received message. */
export const messageAttributesOf = (message: Pick<Message, 'MessageAttributes'>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    const type = value.DataType ?? '';
    if (value.StringValue !== undefined && (type.startsWith('String') || type.startsWith('Number')))
      out[name] = value.StringValue;
  }
  return out;
};

/** Reads a received DLQ message into a {@link DeadLetterView}. Never throws. */
export const deadLetterViewOf = (message: Message): DeadLetterView => {
  const attributes = messageAttributesOf(message);
  const text = message.Body ?? '';
  const peeked = peekEnvelope(text);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: shown as text.
  }
  const sent = Number(message.Attributes?.SentTimestamp);
  return {
    messageId: message.MessageId ?? '',
    sentAt: Number.isFinite(sent) ? new Date(sent).toISOString() : undefined,
    stage: attributes[HERALD_ATTRIBUTES.stage],
    reason: attributes[HERALD_ATTRIBUTES.reason],
    error: attributes[HERALD_ATTRIBUTES.error] ?? attributes[HERALD_ATTRIBUTES.lastError],
    failedAt: attributes[HERALD_ATTRIBUTES.failedAt],
    receiveCount: numberOf(attributes[HERALD_ATTRIBUTES.receiveCount]),
    reschedules: peeked?.envelope.reschedules ?? numberOf(attributes[HERALD_ATTRIBUTES.reschedules]),
    kind: peeked?.envelope.kind,
    key: peeked?.envelope.key,
    attributes,
    body,
  };
};

/** Counts of views per reason (`unknown` when a message carries none), most frequent first. */
export const countByReason = (views: readonly Pick<DeadLetterView, 'reason'>[]): Record<string, number> => {
  const counts = new Map<string, number>();
  for (const view of views)
    counts.set(view.reason ?? 'unknown', (counts.get(view.reason ?? 'unknown') ?? 0) + 1);
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
};
