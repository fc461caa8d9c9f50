import { DeleteMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueRef } from '#ops/sqs/queueRef';
import { receiveMessages } from '#ops/sqs/receiveMessages';
import { type DeadLetterView, deadLetterViewOf } from './deadLetterView.ts';

/** Options of {@link purgeDeadLetters}. */
export interface PurgeOptions {
  /** Remove at most this many (what the operator agreed to). */
  limit: number;
  /** How long a received message stays hidden until it is deleted, seconds. Default 60. */
  visibilityTimeoutSeconds?: number;
  /** Progress: messages removed so far. */
  onProgress?: (removed: number) => void;
}

/** What {@link purgeDeadLetters} removed. */
export interface PurgeResult {
  queue: string;
  /** Messages deleted. */
  removed: number;
  /** What each removed message was (reason, kind, key, body). */
  messages: DeadLetterView[];
  /** Messages received but not deleted (they stay in the DLQ). */
  notDeleted: number;
}

/**
 * Deletes up to `limit` messages of a DLQ one receive at a time, keeping a view of each, so
 * the operator learns exactly what was removed. (PurgeQueue says nothing of what it drops, runs
 * at most once a minute and also drops messages that arrive while it runs.) Stops at `limit`, or
 * when a receive comes back empty or brings only messages it could not delete before.
 */
export const purgeDeadLetters = async (
  sqs: SQSClient,
  dlq: QueueRef,
  options: PurgeOptions,
): Promise<PurgeResult> => {
  const result: PurgeResult = { queue: dlq.name, removed: 0, messages: [], notDeleted: 0 };
  const handled = new Set<string>();
  while (result.removed + result.notDeleted < options.limit) {
    const batch = await receiveMessages(sqs, dlq.url, {
      max: options.limit - result.removed - result.notDeleted,
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 60,
    });
    if (batch.length === 0) break;
    const fresh = batch.filter((m) => !handled.has(m.MessageId ?? ''));
    for (const m of fresh) handled.add(m.MessageId ?? '');
    // Only messages whose delete failed before (their hold ran out): nothing more to remove.
    if (fresh.length === 0) break;
    const out = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: dlq.url,
        Entries: fresh.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
    const failed = new Set((out.Failed ?? []).map((f) => f.Id));
    fresh.forEach((message, i) => {
      if (failed.has(String(i))) result.notDeleted++;
      else {
        result.removed++;
        result.messages.push(deadLetterViewOf(message));
      }
    });
    options.onProgress?.(result.removed);
  }
  return result;
};
