import { setTimeout as sleepMs } from 'node:timers/promises';
import {
  DeleteMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { OpsError } from '#ops/cli/errors';
import { queueDepth } from '#ops/sqs/queueDepth';
import type { QueueRef } from '#ops/sqs/queueRef';
import { receiveMessages } from '#ops/sqs/receiveMessages';
import { HERALD_ATTRIBUTES } from '#retry/heraldAttributes';
import { countByReason, deadLetterViewOf } from './deadLetterView.ts';
import { isMoveTaskUnsupported, startMoveTask, waitForMoveTask } from './moveTask.ts';
import { peekDeadLetters } from './peekDeadLetters.ts';
import { type RedriveEntry, redriveEntryOf } from './redriveEntry.ts';
import type { RedriveMethod } from './redriveMethods.ts';

/** Options of {@link redriveDeadLetters}. */
export interface RedriveOptions {
  /** The stage's DLQ. */
  source: QueueRef;
  /** The stage's main queue. */
  target: QueueRef;
  method: RedriveMethod;
  /** Most messages moved per second (1..500). Default: as fast as SQS goes. */
  maxPerSecond?: number | undefined;
  /** Only count what would be moved, by reason; move nothing. */
  dryRun: boolean;
  /** How long a received message stays hidden while it is sent and deleted, seconds. Default 60. */
  visibilityTimeoutSeconds?: number;
  /** Move task polling interval, milliseconds. Default 1000. */
  pollIntervalMs?: number;
  /** Sleep (rate limit, polling). Default a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Clock, epoch ms (rate limit). Default `Date.now`. */
  nowMs?: () => number;
  /** Progress: messages handled so far of the expected total. */
  onProgress?: (done: number, total: number) => void;
}

/** A message that could not be moved. */
export interface RedriveFailure {
  /** Its id in the DLQ. */
  messageId: string;
  /** SQS error code. */
  code: string;
  message?: string | undefined;
}

/** What a redrive did. Counts reconcile: `moved + failed = seen`. */
export interface RedriveReport {
  source: string;
  target: string;
  /** The method that ran (`dry-run` when nothing was moved on purpose). */
  method: 'move-task' | 'copy' | 'dry-run';
  /** Why `auto` did not use the move task. */
  fallbackReason?: string | undefined;
  /** Visible messages in the DLQ when the redrive started. */
  initial: number;
  /** Messages taken on (dry run: counted). */
  seen: number;
  /** Sent to the stage queue. */
  moved: number;
  /** Not sent: still in the DLQ (visible again once their hold ends). */
  failed: number;
  /**
   * Sent but not deleted from the DLQ: each will show up there again as a duplicate, which the
   * stages' idempotency absorbs; purge or redrive them later.
   */
  notDeleted: number;
  /** Messages that failed again during this run and came back to the DLQ; left for a later run. */
  returned: number;
  /** Envelopes whose `reschedules` was reset to 0 (copy only). */
  reset: number;
  /** Visible messages in the DLQ afterwards. */
  remaining: number;
  /** Messages per reason (dry run and copy). */
  byReason: Record<string, number>;
  failures: RedriveFailure[];
  /** Why the copy stopped early (a send call that threw); undefined when it ran to the end. */
  stoppedBy?: string | undefined;
  /** Move task: its final status and failure reason. */
  task?: { status: string; failureReason?: string | undefined } | undefined;
}

/** Largest SQS batch. */
const BATCH = 10;

/** Receives in a row with nothing new after which a copy ends. */
const MAX_IDLE_RECEIVES = 3;

/** The message counters of a redrive before it has handled any message (in the report's key order). */
const noMessagesYet = (): Pick<
  RedriveReport,
  'seen' | 'moved' | 'failed' | 'notDeleted' | 'returned' | 'reset'
> => ({
  seen: 0,
  moved: 0,
  failed: 0,
  notDeleted: 0,
  returned: 0,
  reset: 0,
});

const sourceMessageIdOf = (message: Message): string | undefined =>
  message.MessageAttributes?.[HERALD_ATTRIBUTES.sourceMessageId]?.StringValue;

const errorCodeOf = (err: unknown): string => (err instanceof Error ? err.name : 'Error');

/**
 * Moves the messages of a stage's DLQ back to the stage's main queue.
 *
 * Move task: starts StartMessageMoveTask (DLQ → main queue, at `maxPerSecond`) and polls it to
 * the end. Messages move unchanged, so their envelopes keep their `reschedules` count: a message
 * that fails again gets its receive retries but no reschedule before it is dead-lettered again.
 *
 * Copy: receive (hidden `visibilityTimeoutSeconds`) → SendMessageBatch to the main queue with a
 * fresh ladder ({@link redriveEntryOf}: `reschedules` 0, no `herald-*` attributes) → delete from
 * the DLQ only what was sent, so a message is never lost: one that fails to send stays in the
 * DLQ. It works through the messages that were visible at the start; a message that fails again
 * and comes back during the run (its `herald-source-message-id` is one this run sent) is left for
 * a later run rather than looped. A send call that throws stops the run (`stoppedBy`; the counts
 * say how far it got).
 */
export const redriveDeadLetters = async (sqs: SQSClient, options: RedriveOptions): Promise<RedriveReport> => {
  const { source, target } = options;
  const sleep = options.sleep ?? ((ms: number) => sleepMs(ms).then(() => undefined));
  const initial = (await queueDepth(sqs, source.url)).visible;
  const report: RedriveReport = {
    source: source.name,
    target: target.name,
    method: 'copy',
    initial,
    ...noMessagesYet(),
    remaining: initial,
    byReason: {},
    failures: [],
  };

  if (options.dryRun) {
    const peek = await peekDeadLetters(sqs, source, {
      limit: Math.max(initial, 1) + BATCH,
      onProgress: (seen) => options.onProgress?.(seen, initial),
    });
    return {
      ...report,
      method: 'dry-run',
      seen: peek.messages.length,
      byReason: countByReason(peek.messages),
      remaining: initial,
    };
  }
  if (initial === 0) return { ...report, method: options.method === 'move-task' ? 'move-task' : 'copy' };

  if (options.method !== 'copy') {
    let started = false;
    try {
      await startMoveTask(sqs, source.arn, target.arn, options.maxPerSecond);
      started = true;
    } catch (err) {
      if (!isMoveTaskUnsupported(err)) throw err;
      if (options.method === 'move-task') {
        throw new OpsError('this endpoint does not support StartMessageMoveTask; use --method copy', {
          cause: err,
        });
      }
      report.fallbackReason = 'the endpoint does not support StartMessageMoveTask';
    }
    if (started) {
      const state = await waitForMoveTask(sqs, source.arn, {
        intervalMs: options.pollIntervalMs ?? 1000,
        sleep,
        onProgress: (s) => options.onProgress?.(s.moved, s.toMove || initial),
      });
      const seen = Math.max(state.toMove, state.moved);
      return {
        ...report,
        method: 'move-task',
        seen,
        moved: state.moved,
        failed: seen - state.moved,
        remaining: (await queueDepth(sqs, source.url)).visible,
        task: { status: state.status, failureReason: state.failureReason },
      };
    }
  }

  const copied = await copyMessages(sqs, options, initial, sleep);
  return { ...report, ...copied, remaining: (await queueDepth(sqs, source.url)).visible };
};

type CopyCounts = Pick<
  RedriveReport,
  'seen' | 'moved' | 'failed' | 'notDeleted' | 'returned' | 'reset' | 'byReason' | 'failures' | 'stoppedBy'
>;

/** What a copy keeps across its batches. */
interface CopyRun {
  counts: CopyCounts;
  /** The reason of every message taken on, counted into `byReason` at the end. */
  reasons: { reason: string | undefined }[];
  /** DLQ message ids this run received. */
  handled: Set<string>;
  /** Message ids the stage queue gave the messages this run sent. */
  sentIds: Set<string>;
}

/**
 * The copy method of {@link redriveDeadLetters}: receive → send → delete, batch by batch, until it
 * has taken on the `initial` messages or a send call throws.
 */
const copyMessages = async (
  sqs: SQSClient,
  options: RedriveOptions,
  initial: number,
  sleep: (ms: number) => Promise<void>,
): Promise<CopyCounts> => {
  const run: CopyRun = {
    counts: { ...noMessagesYet(), byReason: {}, failures: [] },
    reasons: [],
    handled: new Set<string>(),
    sentIds: new Set<string>(),
  };
  const { counts } = run;
  const { source, target } = options;
  const batchSize = Math.min(BATCH, options.maxPerSecond ?? BATCH);
  const pace = pacer(options, sleep);
  // Receives in a row that brought only messages already handled: a few end the run rather than
  // spin (SQS hides what it returns, so this only happens when holds expire on a long run).
  let idleReceives = 0;

  while (counts.seen < initial && idleReceives < MAX_IDLE_RECEIVES) {
    const batch = await receiveForRedrive(sqs, source, Math.min(batchSize, initial - counts.seen), options);
    if (batch.length === 0) break;
    const fresh = takeFresh(run, batch);
    if (fresh.length === 0) {
      idleReceives++;
      continue;
    }
    idleReceives = 0;
    await pace(counts.seen);
    const stop = await copyBatch(sqs, options, run, fresh);
    options.onProgress?.(counts.seen, initial);
    if (stop !== undefined) {
      counts.stoppedBy = `sending to ${target.name} failed: ${errorCodeOf(stop)}: ${stop instanceof Error ? stop.message : String(stop)}`;
      break;
    }
  }
  counts.byReason = countByReason(run.reasons);
  return counts;
};

/**
 * Waits until the next message may go at `maxPerSecond` (message n at start + n / rate seconds);
 * without a rate it never waits. The start is when the pacer is made.
 */
const pacer = (
  options: Pick<RedriveOptions, 'maxPerSecond' | 'nowMs'>,
  sleep: (ms: number) => Promise<void>,
): ((seen: number) => Promise<void>) => {
  const rate = options.maxPerSecond;
  const nowMs = options.nowMs ?? Date.now;
  const startedAt = nowMs();
  return async (seen) => {
    if (rate === undefined) return;
    const wait = startedAt + (seen / rate) * 1000 - nowMs();
    if (wait > 0) await sleep(wait);
  };
};

/**
 * The messages of a received batch this run has not handled yet; a message that came back after
 * this run sent it (its source message id is one this run sent) is counted `returned` and left.
 */
const takeFresh = (run: CopyRun, batch: readonly Message[]): Message[] => {
  const fresh: Message[] = [];
  for (const message of batch) {
    const id = message.MessageId ?? '';
    // A second delivery of a message this run already handled: leave it hidden.
    if (run.handled.has(id)) continue;
    run.handled.add(id);
    const origin = sourceMessageIdOf(message);
    if (origin !== undefined && run.sentIds.has(origin)) {
      run.counts.returned++;
      continue;
    }
    fresh.push(message);
  }
  return fresh;
};

/**
 * Sends `fresh` to the stage queue with a fresh ladder, deletes from the DLQ what was sent and
 * counts it all; resolves to the error that stopped the send call, undefined when it returned.
 */
const copyBatch = async (
  sqs: SQSClient,
  options: Pick<RedriveOptions, 'source' | 'target'>,
  run: CopyRun,
  fresh: readonly Message[],
): Promise<unknown> => {
  const { counts } = run;
  const entries = fresh.map(redriveEntryOf);
  counts.seen += fresh.length;
  run.reasons.push(...fresh.map((m) => ({ reason: deadLetterViewOf(m).reason })));
  const { sent, failures, stop } = await sendEntries(sqs, options.target.url, fresh, entries);
  counts.failures.push(...failures);
  counts.moved += sent.length;
  counts.failed += fresh.length - sent.length;
  counts.reset += sent.filter((s) => entries[s.index]?.rewritten).length;
  for (const s of sent) run.sentIds.add(s.messageId);
  counts.notDeleted += await deleteSent(
    sqs,
    options.source.url,
    sent.map((s) => fresh[s.index]?.ReceiptHandle ?? ''),
  );
  return stop;
};

/** What one SendMessageBatch did. */
interface SendOutcome {
  /** Entries the queue took: their index in the batch and the id the queue gave them. */
  sent: { index: number; messageId: string }[];
  /** Messages not sent: the batch's `Failed` entries, or every message when the call threw. */
  failures: RedriveFailure[];
  /** What the send call threw; undefined when it returned. */
  stop?: unknown;
}

/** Sends one batch of redrive entries (`entries[i]` made from `fresh[i]`) to `targetUrl`. */
const sendEntries = async (
  sqs: SQSClient,
  targetUrl: string,
  fresh: readonly Message[],
  entries: readonly RedriveEntry[],
): Promise<SendOutcome> => {
  try {
    const out = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: targetUrl,
        Entries: entries.map((entry, i) => ({
          Id: String(i),
          MessageBody: entry.body,
          ...(Object.keys(entry.attributes).length > 0
            ? { MessageAttributes: entry.attributes as Record<string, MessageAttributeValue> }
            : {}),
        })),
      }),
    );
    return {
      sent: (out.Successful ?? []).map((s) => ({ index: Number(s.Id), messageId: s.MessageId ?? '' })),
      failures: (out.Failed ?? []).map((failure) => ({
        messageId: fresh[Number(failure.Id)]?.MessageId ?? '',
        code: failure.Code ?? 'Unknown',
        message: failure.Message,
      })),
    };
  } catch (err) {
    return {
      sent: [],
      failures: fresh.map((message) => ({
        messageId: message.MessageId ?? '',
        code: errorCodeOf(err),
        message: err instanceof Error ? err.message : String(err),
      })),
      stop: err,
    };
  }
};

const receiveForRedrive = (
  sqs: SQSClient,
  source: QueueRef,
  max: number,
  options: RedriveOptions,
): Promise<Message[]> =>
  receiveMessages(sqs, source.url, { max, visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 60 });

/** Deletes sent messages from the DLQ; resolves to how many could not be deleted. */
const deleteSent = async (sqs: SQSClient, url: string, handles: readonly string[]): Promise<number> => {
  if (handles.length === 0) return 0;
  try {
    const out = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: handles.map((handle, i) => ({ Id: String(i), ReceiptHandle: handle })),
      }),
    );
    return out.Failed?.length ?? 0;
  } catch {
    // Sent already: a failed delete only leaves a duplicate behind, which is counted, not fatal.
    return handles.length;
  }
};
