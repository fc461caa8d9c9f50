import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import { peekEnvelope } from '#retry/peekEnvelope';

/** Prefix of the retry ladder's message attributes (see HERALD_ATTRIBUTES). */
export const HERALD_ATTRIBUTE_PREFIX = 'herald-';

/** What a redriven message is sent as. */
export interface RedriveEntry {
  body: string;
  /** The message's attributes minus the `herald-*` ones, types kept. */
  attributes: Record<string, MessageAttributeValue>;
  /** True when the body was rewritten (an envelope whose `reschedules` was not 0). */
  rewritten: boolean;
}

/**
 * The message a DLQ message goes back to its stage queue as, with a fresh retry ladder:
 * - an envelope body gets `reschedules: 0` (every other field, known or not, is kept as is);
 * - every `herald-*` attribute is dropped: the failure it describes is over, and for a body that
 *   is not an envelope (ingest's EventBridge events) `herald-reschedules` is its reschedule
 *   counter, so dropping it resets that too.
 * Pure.
 */
export const redriveEntryOf = (message: Pick<Message, 'Body' | 'MessageAttributes'>): RedriveEntry => {
  const body = message.Body ?? '';
  const peeked = peekEnvelope(body);
  const attributes = Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).filter(
      ([name]) => !name.startsWith(HERALD_ATTRIBUTE_PREFIX),
    ),
  );
  if (peeked === undefined || (peeked.json.reschedules ?? 0) === 0)
    return { body, attributes, rewritten: false };
  return { body: JSON.stringify({ ...peeked.json, reschedules: 0 }), attributes, rewritten: true };
};
