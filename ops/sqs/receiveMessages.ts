import {
  ChangeMessageVisibilityBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** Options of {@link receiveMessages}. */
export interface ReceiveOptions {
  /** At most this many, 1..10. */
  max: number;
  /** How long the messages stay hidden from other receivers, seconds (0 = not hidden). */
  visibilityTimeoutSeconds: number;
  /** Long-poll wait, seconds, 0..20. Default 1: a long poll asks every SQS server, a short one only some. */
  waitTimeSeconds?: number;
}

/** One ReceiveMessage with every system and message attribute. */
export const receiveMessages = async (
  sqs: SQSClient,
  url: string,
  options: ReceiveOptions,
): Promise<Message[]> => {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: Math.min(10, Math.max(1, options.max)),
      VisibilityTimeout: options.visibilityTimeoutSeconds,
      WaitTimeSeconds: options.waitTimeSeconds ?? 1,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
  );
  return Messages;
};

/**
 * Makes received messages visible again at once (ChangeMessageVisibilityBatch to 0, ten at a
 * time). Best effort: a handle that fails simply becomes visible when its timeout ends.
 * @returns how many could not be released.
 */
export const releaseMessages = async (
  sqs: SQSClient,
  url: string,
  messages: readonly Pick<Message, 'ReceiptHandle'>[],
): Promise<number> => {
  let failed = 0;
  for (let start = 0; start < messages.length; start += 10) {
    const entries = messages.slice(start, start + 10).map((m, i) => ({
      Id: String(start + i),
      ReceiptHandle: m.ReceiptHandle,
      VisibilityTimeout: 0,
    }));
    try {
      const out = await sqs.send(
        new ChangeMessageVisibilityBatchCommand({ QueueUrl: url, Entries: entries }),
      );
      failed += out.Failed?.length ?? 0;
    } catch {
      failed += entries.length;
    }
  }
  return failed;
};
