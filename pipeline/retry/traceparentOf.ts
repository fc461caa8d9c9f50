import { traceparent as traceparentSchema } from '#contracts/envelope';
import { EVENT_TRACEPARENT_FIELD } from '#shared/tracing';
import type { PeekedEnvelope } from './peekEnvelope.ts';

/**
 * The W3C `traceparent` a record continues: its envelope's, else (ingest's queue carries raw
 * EventBridge events) the one the webhook stage put in the event's `detail`
 * ({@link EVENT_TRACEPARENT_FIELD}). Undefined when neither holds a valid one. Never throws: read
 * once by the batch runner, whose record span every stage core then runs under.
 */
export const traceparentOf = (body: string, peeked: PeekedEnvelope | undefined): string | undefined => {
  if (peeked) return peeked.envelope.traceparent;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const detail = (json as { detail?: unknown } | null)?.detail;
  if (typeof detail !== 'object' || detail === null) return undefined;
  const parsed = traceparentSchema.safeParse((detail as Record<string, unknown>)[EVENT_TRACEPARENT_FIELD]);
  return parsed.success ? parsed.data : undefined;
};
