import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { type QueueDepth, queueDepth } from '#ops/sqs/queueDepth';
import type { QueueRef } from '#ops/sqs/queueRef';
import { receiveMessages, releaseMessages } from '#ops/sqs/receiveMessages';
import { type DeadLetterView, deadLetterViewOf } from './deadLetterView.ts';

/** Options of {@link peekDeadLetters}. */
export interface PeekOptions {
  /** Most messages to show. */
  limit: number;
  /**
   * How long the messages already seen stay hidden while the walk goes on, seconds (they are
   * released at the end). Default 30.
   */
  holdSeconds?: number;
  /** Called after each receive with the number of distinct messages seen so far. */
  onProgress?: (seen: number) => void;
}

/** What {@link peekDeadLetters} found. */
export interface PeekResult {
  queue: string;
  /** The queue's counts before the walk. */
  depth: QueueDepth;
  messages: DeadLetterView[];
  /** Messages that could not be made visible again (they reappear when their hold ends). */
  notReleased: number;
}

/**
 * Reads up to `limit` messages of a DLQ without consuming them: receives them (hidden for
 * `holdSeconds`, so each receive returns new ones), stops at `limit`, when a receive comes back
 * empty or brings only messages already seen, then makes every one visible again at once. Nothing is deleted; only the DLQ's own
 * receive counts go up, which nothing reads (a DLQ has no redrive policy).
 */
export const peekDeadLetters = async (
  sqs: SQSClient,
  dlq: QueueRef,
  options: PeekOptions,
): Promise<PeekResult> => {
  const depth = await queueDepth(sqs, dlq.url);
  const received: Message[] = [];
  const seen = new Set<string>();
  let notReleased = 0;
  try {
    while (seen.size < options.limit) {
      const batch = await receiveMessages(sqs, dlq.url, {
        max: options.limit - seen.size,
        visibilityTimeoutSeconds: options.holdSeconds ?? 30,
      });
      if (batch.length === 0) break;
      const before = seen.size;
      for (const message of batch) {
        received.push(message);
        if (message.MessageId !== undefined && !seen.has(message.MessageId) && seen.size < options.limit) {
          seen.add(message.MessageId);
        }
      }
      options.onProgress?.(seen.size);
      // Only messages seen before: the holds of the first ones ran out, the walk has come round.
      if (seen.size === before) break;
    }
  } finally {
    // Released whatever happened above, so a failed peek does not hide messages for `holdSeconds`.
    notReleased = await releaseMessages(sqs, dlq.url, received);
  }
  const views: DeadLetterView[] = [];
  const shown = new Set<string>();
  for (const message of received) {
    const id = message.MessageId ?? '';
    if (!seen.has(id) || shown.has(id)) continue;
    shown.add(id);
    views.push(deadLetterViewOf(message));
  }
  return { queue: dlq.name, depth, messages: views, notReleased };
};
