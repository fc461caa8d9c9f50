import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { StackQueues } from '#local/bootstrap';
import { type QueueDepth, queueDepth } from '#ops/sqs/queueDepth';
import { QUEUE_ROLES, type QueueRole, STAGES, type StageName } from '#topology/topology';

/** Messages in a queue: visible, in flight (received, not deleted) and delayed. */
export type Depth = QueueDepth;

/** Total of a depth. */
export const depthTotal = (d: Depth): number => d.visible + d.inFlight + d.delayed;

/** Depth of every queue of a stack, per stage and role. */
export const stackDepths = async (
  sqs: SQSClient,
  queues: StackQueues,
): Promise<Record<StageName, Record<QueueRole, Depth>>> => {
  const entries = await Promise.all(
    STAGES.map(
      async (stage) =>
        [
          stage,
          Object.fromEntries(
            await Promise.all(
              QUEUE_ROLES.map(
                async (role) => [role, await queueDepth(sqs, queues[stage][role].url)] as const,
              ),
            ),
          ),
        ] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<StageName, Record<QueueRole, Depth>>;
};

/** Messages still to be processed: every main and reschedule queue, visible, in flight or delayed. */
export const pendingWork = (depths: Record<StageName, Record<QueueRole, Depth>>): number =>
  STAGES.reduce((sum, s) => sum + depthTotal(depths[s].main) + depthTotal(depths[s].reschedule), 0);

/** Messages in each stage's DLQ. */
export const deadLetters = (depths: Record<StageName, Record<QueueRole, Depth>>): Record<StageName, number> =>
  Object.fromEntries(STAGES.map((s) => [s, depthTotal(depths[s].dlq)])) as Record<StageName, number>;

/** Sends bodies in batches of 10, `parallel` batches at a time; throws on any failed entry. */
export const sendAll = async (sqs: SQSClient, url: string, bodies: readonly string[], parallel = 4) => {
  const batches: string[][] = [];
  for (let i = 0; i < bodies.length; i += 10) batches.push(bodies.slice(i, i + 10));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++] ?? [];
      const { Failed = [] } = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: batch.map((body, i) => ({ Id: String(i), MessageBody: body })),
        }),
      );
      if (Failed.length > 0) throw new Error(`SendMessageBatch failed for ${Failed.length} messages`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, batches.length) }, worker));
};

/**
 * Sends bodies in batches of 10, holding back while `backlog()` (messages sent but not yet
 * handled) is at `maxBacklog` or more: keeps the queue shallow, as moto's receive slows down
 * with every message a queue holds.
 */
export const feedBounded = async (
  sqs: SQSClient,
  url: string,
  bodies: readonly string[],
  backlog: (sent: number) => number,
  maxBacklog: number,
): Promise<void> => {
  let sent = 0;
  while (sent < bodies.length) {
    if (backlog(sent) >= maxBacklog) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    const batch = bodies.slice(sent, sent + 10);
    await sendAll(sqs, url, batch, 1);
    sent += batch.length;
  }
};

/** Result of {@link rawHops}. */
export interface RawHopsResult {
  messages: number;
  ms: number;
  perSecond: number;
}

/**
 * The emulator's own speed for `count` queue hops, as the pipeline makes them: a producer sends
 * `count` bodies in batches of 10 while one consumer long-polls batches of `batchSize` and deletes
 * each batch (SendMessageBatch → ReceiveMessage → DeleteMessageBatch). Uses a queue of its own,
 * deleted afterwards.
 */
export const rawHops = async (
  sqs: SQSClient,
  queueName: string,
  count: number,
  body: string,
  batchSize = 10,
): Promise<RawHopsResult> => {
  const { QueueUrl: url } = await sqs.send(new CreateQueueCommand({ QueueName: queueName }));
  if (!url) throw new Error(`CreateQueue ${queueName} returned no URL`);
  try {
    const started = performance.now();
    const produced = sendAll(
      sqs,
      url,
      Array.from({ length: count }, () => body),
      1,
    );
    let consumed = 0;
    while (consumed < count) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: batchSize,
          WaitTimeSeconds: 1,
          VisibilityTimeout: 30,
        }),
      );
      if (Messages.length === 0) continue;
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: url,
          Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
      consumed += Messages.length;
    }
    await produced;
    const ms = performance.now() - started;
    return { messages: count, ms, perSecond: (count * 1000) / ms };
  } finally {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined);
  }
};

/** {@link until} ran out of time. */
export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
}

/**
 * Polls `probe` every `intervalMs` until it returns true; throws a {@link WaitTimeoutError} naming
 * `what` after `timeoutMs`. An error the probe throws ends the wait at once.
 */
export const until = async (
  what: string,
  probe: () => Promise<boolean> | boolean,
  { timeoutMs, intervalMs = 200 }: { timeoutMs: number; intervalMs?: number },
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};
