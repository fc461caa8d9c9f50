import * as z from 'zod';

/** Every kind of inter-stage message. */
export const MESSAGE_KINDS = [
  'release.changed',
  'release.snapshot',
  'compose.job',
  'send.job',
  'review.job',
  'point.summary',
] as const;

/** One of {@link MESSAGE_KINDS}. */
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Current envelope version. */
export const ENVELOPE_VERSION = 1;

/** W3C trace context header value (`00-<trace-id>-<span-id>-<flags>`). */
export const traceparent = z
  .string()
  .regex(/^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/, 'not a W3C traceparent');

const envelopeFields = {
  v: z.literal(ENVELOPE_VERSION, { error: `v must be ${ENVELOPE_VERSION}` }),
  /** Business idempotency key of the message (not the SQS message id). */
  key: z.string().min(1, 'key is required').max(512),
  /** W3C trace context of the span that produced the message. */
  traceparent: traceparent.optional(),
  /** How many times the rescheduler has put this message back on its stage queue. */
  reschedules: z.number().int().min(0).default(0),
};

/**
 * Any envelope, payload not yet checked: what the retry ladder and the ops CLI read
 * (they need `kind`, `key` and `reschedules`, never the payload).
 */
export const anyEnvelope = z.looseObject({
  ...envelopeFields,
  kind: z.enum(MESSAGE_KINDS, { error: () => `kind must be one of ${MESSAGE_KINDS.join(', ')}` }),
  payload: z.unknown(),
});

/** An envelope whose payload is not yet checked. */
export type AnyEnvelope = z.output<typeof anyEnvelope>;

/** Builds the schema of an envelope of one kind with a typed payload. */
export const envelopeOf = <K extends MessageKind, P extends z.ZodType>(kind: K, payload: P) =>
  z.looseObject({
    ...envelopeFields,
    kind: z.literal(kind, { error: `kind must be ${kind}` }),
    payload,
  });

/** An envelope of kind `K` carrying payload `P`. */
export interface Envelope<K extends MessageKind, P> {
  v: typeof ENVELOPE_VERSION;
  kind: K;
  key: string;
  traceparent?: string | undefined;
  reschedules: number;
  payload: P;
}

/** Wraps a payload in a fresh envelope (reschedules 0). */
export const wrap = <K extends MessageKind, P>(
  kind: K,
  key: string,
  payload: P,
  traceparent?: string,
): Envelope<K, P> => ({
  v: ENVELOPE_VERSION,
  kind,
  key,
  ...(traceparent ? { traceparent } : {}),
  reschedules: 0,
  payload,
});
