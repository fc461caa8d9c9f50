import {
  type BatchResultErrorEntry,
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type MessageAttributeValue,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { httpStatusOf, isRetryable } from '#retry/isRetryable';
import { awsClientDefaults } from '#shared/awsClientDefaults';
import { ClassifiedError } from '#shared/errors';
import { withSpan } from '#shared/tracing';
import type { OutgoingMessage, QueuePort } from './QueuePort.ts';

/** Entries per SendMessageBatch call (SQS's limit). */
export const SQS_BATCH_SIZE = 10;

/**
 * Base of the SQS adapter's errors; names the queue it was talking to. A {@link ClassifiedError}:
 * whether a retry may help was decided once, when it was made.
 */
export class SqsQueueError extends ClassifiedError {
  override name = 'SqsQueueError';
  /** Queue name. */
  readonly queue: string;

  constructor(queue: string, message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, options);
    this.queue = queue;
  }
}

/** The queue does not exist (GetQueueUrl said `QueueDoesNotExist`): a deployment problem, not retryable. */
export class SqsQueueNotFoundError extends SqsQueueError {
  override name = 'SqsQueueNotFoundError';

  constructor(queue: string, options?: { cause?: unknown }) {
    super(queue, `queue ${queue} does not exist`, { retryable: false, cause: options?.cause });
  }
}

/** SQS names for "no such queue": the JSON protocol's and the query protocol's. */
const QUEUE_MISSING: ReadonlySet<string> = new Set([
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
]);

/**
 * An SQS call failed as a whole (throttled, a 5xx, a timeout, an invalid receipt handle...).
 * `retryable` is what `isRetryable` says of the SDK error, kept as `cause`; its Retry-After, if
 * any, is read through the cause too.
 */
export class SqsRequestError extends SqsQueueError {
  override name = 'SqsRequestError';
  /** The SQS action, e.g. `SendMessageBatch`, `ChangeMessageVisibility`. */
  readonly operation: string;
  /** The SDK error's name, e.g. `RequestThrottled`, `ReceiptHandleIsInvalid`, `TimeoutError`. */
  readonly code: string;
  /** HTTP status SQS answered with; undefined when no answer came (network, timeout). */
  readonly status: number | undefined;

  constructor(queue: string, operation: string, cause: unknown) {
    const code = cause instanceof Error ? cause.name : typeof cause;
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(queue, `SQS ${operation} on ${queue} failed (${code}): ${detail}`, {
      retryable: isRetryable(cause),
      cause,
    });
    this.operation = operation;
    this.code = code;
    this.status = httpStatusOf(cause);
  }
}

/** One failed entry of a SendMessageBatch. */
export interface SqsBatchFailure {
  /** Entry id (the message's index in the `send` call). */
  id: string;
  /** SQS error code, e.g. `InternalError`, `InvalidParameterValue`. */
  code: string;
  /** True when SQS blames the request (it will fail again). */
  senderFault: boolean;
  message?: string | undefined;
}

/**
 * Some entries of a SendMessageBatch failed. Retryable unless one of them is a sender fault.
 * The others were sent: a retry of the whole `send` duplicates them (consumers are idempotent by key).
 */
export class SqsBatchError extends SqsQueueError {
  override name = 'SqsBatchError';
  /** Failed entry ids (indexes into the `send` call's messages). */
  readonly ids: readonly string[];
  /** SQS error code of each failed entry, in `ids` order. */
  readonly codes: readonly string[];
  readonly failures: readonly SqsBatchFailure[];

  constructor(queue: string, failures: readonly SqsBatchFailure[]) {
    const summary = failures.map((f) => `${f.id}: ${f.code}${f.message ? ` (${f.message})` : ''}`).join('; ');
    super(queue, `${failures.length} message(s) not sent to ${queue}: ${summary}`, {
      retryable: !failures.some((f) => f.senderFault),
    });
    this.failures = failures;
    this.ids = failures.map((f) => f.id);
    this.codes = failures.map((f) => f.code);
  }
}

/** Options of {@link SqsQueue}. */
export interface SqsQueueOptions {
  /**
   * SQS client (JSON protocol, AWS SDK v3). Default `new SQSClient(awsClientDefaults())`:
   * connection and request timeouts, so no call outlives the function.
   */
  client?: SQSClient;
}

const toFailure = (entry: BatchResultErrorEntry): SqsBatchFailure => ({
  id: entry.Id ?? '?',
  code: entry.Code ?? 'Unknown',
  senderFault: entry.SenderFault === true,
  message: entry.Message,
});

const toEntry = (message: OutgoingMessage, id: string): SendMessageBatchRequestEntry => ({
  Id: id,
  MessageBody: message.body,
  ...(message.delaySeconds !== undefined ? { DelaySeconds: message.delaySeconds } : {}),
  ...(message.attributes && Object.keys(message.attributes).length > 0
    ? {
        MessageAttributes: Object.fromEntries(
          Object.entries(message.attributes).map(([name, value]): [string, MessageAttributeValue] => [
            name,
            { DataType: 'String', StringValue: value },
          ]),
        ),
      }
    : {}),
});

/**
 * {@link QueuePort} on Amazon SQS. Queue names resolve to URLs with GetQueueUrl and to ARNs with
 * GetQueueAttributes(QueueArn), each cached for the life of the instance (queues are not renamed
 * under a running function). Build one per process.
 *
 * Every failure is an {@link SqsQueueError} naming the queue: {@link SqsQueueNotFoundError} for a
 * missing queue (its cached URL and ARN are dropped), {@link SqsBatchError} for failed entries of
 * an accepted SendMessageBatch, {@link SqsRequestError} for any other failed call.
 */
export class SqsQueue implements QueuePort {
  readonly #client: SQSClient;
  // Promises, so concurrent first calls for one queue share a single lookup.
  readonly #urls = new Map<string, Promise<string>>();
  readonly #arns = new Map<string, Promise<string>>();

  constructor(options: SqsQueueOptions = {}) {
    this.#client = options.client ?? new SQSClient(awsClientDefaults());
  }

  /** The queue's URL (cached). Throws {@link SqsQueueNotFoundError} when it does not exist. */
  urlOf(queueName: string): Promise<string> {
    return this.#cached(this.#urls, queueName, async () => {
      const out = await this.#call(queueName, 'GetQueueUrl', () =>
        this.#client.send(new GetQueueUrlCommand({ QueueName: queueName })),
      );
      if (!out.QueueUrl)
        throw new SqsQueueError(queueName, 'GetQueueUrl returned no URL', { retryable: true });
      return out.QueueUrl;
    });
  }

  /** {@inheritDoc QueuePort.arnOf} */
  arnOf(queueName: string): Promise<string> {
    return this.#cached(this.#arns, queueName, async () => {
      const url = await this.urlOf(queueName);
      const out = await this.#call(queueName, 'GetQueueAttributes', () =>
        this.#client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] })),
      );
      const arn = out.Attributes?.QueueArn;
      if (!arn)
        throw new SqsQueueError(queueName, 'GetQueueAttributes returned no QueueArn', { retryable: true });
      return arn;
    });
  }

  /**
   * {@inheritDoc QueuePort.send}
   * Entry ids are the messages' indexes in `messages`. Every chunk is attempted; failed entries of
   * all chunks are then thrown together as one {@link SqsBatchError}. A chunk whose call fails as
   * a whole ends the send with an {@link SqsRequestError}; earlier chunks stay sent.
   */
  async send(queueName: string, messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const url = await this.urlOf(queueName);
    await withSpan('sqs.send', async (span) => {
      const failures: SqsBatchFailure[] = [];
      span.setAttributes({
        'messaging.destination.name': queueName,
        'messaging.batch.message_count': messages.length,
      });
      for (let start = 0; start < messages.length; start += SQS_BATCH_SIZE) {
        const entries = messages
          .slice(start, start + SQS_BATCH_SIZE)
          .map((message, i) => toEntry(message, String(start + i)));
        const out = await this.#call(queueName, 'SendMessageBatch', () =>
          this.#client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries })),
        );
        failures.push(...(out.Failed ?? []).map(toFailure));
      }
      if (failures.length > 0) throw new SqsBatchError(queueName, failures);
    });
  }

  /** {@inheritDoc QueuePort.changeVisibility} */
  async changeVisibility(
    queueName: string,
    receiptHandle: string,
    visibilityTimeoutSeconds: number,
  ): Promise<void> {
    const url = await this.urlOf(queueName);
    await withSpan('sqs.change_visibility', async () => {
      await this.#call(queueName, 'ChangeMessageVisibility', () =>
        this.#client.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: url,
            ReceiptHandle: receiptHandle,
            VisibilityTimeout: Math.round(visibilityTimeoutSeconds),
          }),
        ),
      );
    });
  }

  /** {@inheritDoc QueuePort.delete} */
  async delete(queueName: string, receiptHandle: string): Promise<void> {
    const url = await this.urlOf(queueName);
    await withSpan('sqs.delete', async () => {
      await this.#call(queueName, 'DeleteMessage', () =>
        this.#client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: receiptHandle })),
      );
    });
  }

  /**
   * Runs one SQS call, translating its failure: a missing queue → {@link SqsQueueNotFoundError}
   * (and its cached URL and ARN are forgotten: a queue re-created under the same name may get a
   * new URL), anything else → {@link SqsRequestError}.
   */
  async #call<T>(queueName: string, operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      if (err instanceof SqsQueueError) throw err;
      if (err instanceof Error && QUEUE_MISSING.has(err.name)) {
        this.#urls.delete(queueName);
        this.#arns.delete(queueName);
        throw new SqsQueueNotFoundError(queueName, { cause: err });
      }
      throw new SqsRequestError(queueName, operation, err);
    }
  }

  #cached(cache: Map<string, Promise<string>>, key: string, load: () => Promise<string>): Promise<string> {
    const hit = cache.get(key);
    if (hit) return hit;
    const pending = load();
    cache.set(key, pending);
    // A failed lookup is not remembered: the next call asks again.
    pending.catch(() => cache.delete(key));
    return pending;
  }
}
