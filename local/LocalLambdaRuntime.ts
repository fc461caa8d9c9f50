import { randomUUID } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { type Log, silentLogger } from '#shared/logger';
import { queueNameFromArnOrUrl } from '#topology/topology';

/**
 * A Lambda handler of an SQS event source with partial batch responses: it returns the records
 * that failed (`batchItemFailures`), nothing when all succeeded, or throws to fail the batch.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a Lambda handler may return nothing at all.
export type SqsLambdaHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

/** One invocation as observers see it when it starts. */
export interface InvocationInfo {
  /** Function name, e.g. `herald-compose`. */
  functionName: string;
  /** Queue the batch came from. */
  queueName: string;
  /** `awsRequestId` of the invocation's context. */
  requestId: string;
  /** Which of the runtime's pollers made it, 0-based. */
  poller: number;
  /** The batch, as the handler receives it. */
  event: SQSEvent;
}

/**
 * How an invocation ended: `succeeded` (every record deleted), `partial` (the records in
 * `batchItemFailures` left on the queue, the rest deleted), `failed` (the handler threw or
 * answered with an invalid batch response: every record left), `timed_out` (the handler ran
 * past its timeout: every record left).
 */
export type InvocationOutcome = 'succeeded' | 'partial' | 'failed' | 'timed_out';

/** One invocation as observers see it when it ends. */
export interface InvocationResult extends InvocationInfo {
  outcome: InvocationOutcome;
  /** Message ids deleted from the queue. */
  deleted: string[];
  /** Message ids left on the queue (they come back when their visibility timeout ends). */
  left: string[];
  /** Deletes SQS refused (the message will come back); empty normally. */
  deleteFailures: { messageId: string; code: string; message: string }[];
  /** What the handler threw, or why its response was rejected. */
  error?: unknown;
  /** Wall time of the handler, milliseconds. */
  durationMs: number;
}

/** Options of {@link LocalLambdaRuntime}. */
export interface LocalLambdaRuntimeOptions {
  /** SQS client pointed at the emulator. */
  sqs: SQSClient;
  /** The queue consumed. */
  queue: { url: string; arn: string };
  /** Function name shown in the context and to observers. */
  functionName: string;
  handler: SqsLambdaHandler;
  /** Records per invocation, 1..10 (the event source batch size). */
  batchSize: number;
  /** Visibility timeout set on each receive, seconds (the queue's). */
  visibilityTimeoutSeconds: number;
  /** Function timeout, seconds: `getRemainingTimeInMillis` counts down from it, and past it the invocation fails. */
  timeoutSeconds: number;
  /** Memory shown in the context, MiB. Default 256. */
  memoryMb?: number;
  /** Pollers on the queue, each invoking one batch at a time. Default 1. */
  concurrency?: number;
  /**
   * Long-poll wait of each receive, seconds, 0..20. Default 2. Receives are never aborted (an
   * aborted long poll goes on in the emulator and would hide the next message for a whole
   * visibility timeout), so `stop()` can wait this long.
   */
  waitTimeSeconds?: number;
  /** Longest `stop()` waits for in-flight invocations, milliseconds. Default timeout + wait + 5 s. */
  stopTimeoutMs?: number;
  /** Pause after a failed receive or delete, milliseconds. Default 1000. */
  errorBackoffMs?: number;
  /** Logger of the runtime itself. Default silent. */
  logger?: Log;
  /** Called before each invocation. An observer that throws is logged, never fatal. */
  onInvoke?: (info: InvocationInfo) => void;
  /** Called after each invocation and its deletes. */
  onResult?: (result: InvocationResult) => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `arn:aws:sqs:<region>:<account>:<name>` → region and account. */
const parseQueueArn = (arn: string) => {
  const [, partition = 'aws', , region = 'us-east-1', account = '000000000000'] = arn.split(':');
  return { partition, region, account };
};

/** SQS SDK message attributes → the Lambda event's shape (binary values as base64). */
const lambdaMessageAttributes = (attributes: Record<string, MessageAttributeValue> | undefined) => {
  const out: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    out[name] = {
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      ...(value.BinaryValue === undefined
        ? {}
        : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
      dataType: (value.DataType ?? 'String') as SQSMessageAttributes[string]['dataType'],
    };
  }
  return out;
};

/**
 * Checks a handler's answer the way Lambda does: nothing, `{}` or an empty/null
 * `batchItemFailures` is a full success; a failure entry with a missing, empty or unknown
 * `itemIdentifier` fails the whole batch.
 * @returns the ids to leave on the queue, or an Error when the whole batch fails.
 */
const failedIds = (response: unknown, batchIds: ReadonlySet<string>): Set<string> | Error => {
  if (response === undefined || response === null) return new Set();
  if (typeof response !== 'object') return new Error(`invalid batch response: ${typeof response}`);
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return new Error('invalid batch response: batchItemFailures is not an array');
  const ids = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !batchIds.has(id)) {
      return new Error(
        `invalid batch response: itemIdentifier ${JSON.stringify(id)} is not a message of the batch`,
      );
    }
    ids.add(id);
  }
  return ids;
};

/**
 * Runs one Lambda function on one SQS queue the way an SQS event source mapping does: long-polls
 * (batch size, the queue's visibility timeout, every attribute), invokes the handler with a real
 * `SQSEvent` and a `Context` whose remaining time counts down from the function timeout, deletes
 * the records that succeeded and leaves the rest (their visibility is whatever the handler set,
 * or the receive's). A handler that throws or outlives its timeout leaves the whole batch, like
 * Lambda; unlike Lambda, a timed-out handler cannot be frozen and goes on in the background.
 * The batching window is not emulated (the topology uses none). Delivery is at least once.
 */
export class LocalLambdaRuntime {
  /** Function name. */
  readonly functionName: string;
  /** Queue name, from its ARN. */
  readonly queueName: string;
  readonly #options: LocalLambdaRuntimeOptions;
  readonly #logger: Log;
  readonly #region: string;
  readonly #account: string;
  readonly #partition: string;
  #running = false;
  #pollers: Promise<void>[] = [];

  constructor(options: LocalLambdaRuntimeOptions) {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1 || options.batchSize > 10) {
      throw new RangeError(`batchSize must be 1..10 records, got ${options.batchSize}`);
    }
    const wait = options.waitTimeSeconds ?? 2;
    if (wait < 0 || wait > 20) throw new RangeError(`waitTimeSeconds must be 0..20 seconds, got ${wait}`);
    this.#options = options;
    this.functionName = options.functionName;
    this.queueName = queueNameFromArnOrUrl(options.queue.arn);
    this.#logger = (options.logger ?? silentLogger()).child({
      functionName: this.functionName,
      queue: this.queueName,
    });
    const arn = parseQueueArn(options.queue.arn);
    this.#region = arn.region;
    this.#account = arn.account;
    this.#partition = arn.partition;
  }

  /** True between {@link start} and {@link stop}. */
  get running(): boolean {
    return this.#running;
  }

  /** Starts the pollers. Calling it again while running does nothing. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    const concurrency = Math.max(1, this.#options.concurrency ?? 1);
    this.#pollers = Array.from({ length: concurrency }, (_, i) => this.#poll(i));
    this.#logger.debug({ concurrency }, 'runtime_started');
  }

  /**
   * Stops polling and waits for in-flight receives and invocations, at most `stopTimeoutMs`.
   * Records of an invocation still running then stay in flight until their visibility ends.
   */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    const wait = this.#options.waitTimeSeconds ?? 2;
    const bound = this.#options.stopTimeoutMs ?? (this.#options.timeoutSeconds + wait + 5) * 1000;
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      Promise.allSettled(this.#pollers).then(() => 'stopped' as const),
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), bound);
      }),
    ]);
    clearTimeout(timer);
    this.#pollers = [];
    if (outcome === 'timeout') this.#logger.warn({ waitedMs: bound }, 'runtime_stop_timed_out');
    else this.#logger.debug('runtime_stopped');
  }

  /**
   * Receives one batch and invokes the handler with it, outside the pollers: for tests and the
   * CLI. Resolves with the result, or undefined when the queue had nothing.
   */
  async pollOnce(): Promise<InvocationResult | undefined> {
    const messages = await this.#receive();
    return messages.length > 0 ? this.#invoke(messages, -1) : undefined;
  }

  async #poll(poller: number): Promise<void> {
    const backoff = this.#options.errorBackoffMs ?? 1000;
    while (this.#running) {
      try {
        const messages = await this.#receive();
        // Records received while stopping are still invoked: leaving them would hide them
        // for a whole visibility timeout.
        if (messages.length > 0) await this.#invoke(messages, poller);
      } catch (err) {
        this.#logger.warn({ err, poller }, 'receive_failed');
        if (this.#running) await sleep(backoff);
      }
    }
  }

  async #receive(): Promise<Message[]> {
    const { Messages } = await this.#options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.#options.queue.url,
        MaxNumberOfMessages: this.#options.batchSize,
        WaitTimeSeconds: this.#options.waitTimeSeconds ?? 2,
        VisibilityTimeout: this.#options.visibilityTimeoutSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    return Messages ?? [];
  }

  #record(message: Message): SQSRecord {
    return {
      messageId: message.MessageId ?? '',
      receiptHandle: message.ReceiptHandle ?? '',
      body: message.Body ?? '',
      attributes: { ...message.Attributes } as SQSRecord['attributes'],
      messageAttributes: lambdaMessageAttributes(message.MessageAttributes),
      md5OfBody: message.MD5OfBody ?? '',
      ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
      eventSource: 'aws:sqs',
      eventSourceARN: this.#options.queue.arn,
      awsRegion: this.#region,
    };
  }

  #context(requestId: string, poller: number, deadline: number): Context {
    const name = this.functionName;
    return {
      callbackWaitsForEmptyEventLoop: true,
      functionName: name,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:${this.#partition}:lambda:${this.#region}:${this.#account}:function:${name}`,
      memoryLimitInMB: String(this.#options.memoryMb ?? 256),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${name}`,
      logStreamName: `local/${poller}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
  }

  #observe<T>(callback: ((value: T) => void) | undefined, value: T): void {
    try {
      callback?.(value);
    } catch (err) {
      this.#logger.error({ err }, 'observer_failed');
    }
  }

  async #invoke(messages: Message[], poller: number): Promise<InvocationResult> {
    const requestId = randomUUID();
    const event: SQSEvent = { Records: messages.map((m) => this.#record(m)) };
    const info: InvocationInfo = {
      functionName: this.functionName,
      queueName: this.queueName,
      requestId,
      poller,
      event,
    };
    const logger = this.#logger.child({ requestId });
    const timeoutMs = this.#options.timeoutSeconds * 1000;
    const started = Date.now();
    const context = this.#context(requestId, poller, started + timeoutMs);
    this.#observe(this.#options.onInvoke, info);
    logger.debug({ records: messages.length }, 'invocation_started');

    const TIMED_OUT = Symbol('timed out');
    let timer: NodeJS.Timeout | undefined;
    let response: unknown;
    let error: unknown;
    let outcome: InvocationOutcome;
    const invocation = Promise.resolve().then(() => this.#options.handler(event, context));
    try {
      response = await Promise.race([
        invocation,
        new Promise<typeof TIMED_OUT>((resolve) => {
          // +1 ms: Node's timers run on the event loop's cached millisecond clock and may fire up
          // to a millisecond early by Date.now(); Lambda never cuts an invocation short.
          timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs + 1);
        }),
      ]);
      outcome = response === TIMED_OUT ? 'timed_out' : 'succeeded';
    } catch (err) {
      error = err;
      outcome = 'failed';
    } finally {
      clearTimeout(timer);
    }
    const durationMs = Date.now() - started;

    const batchIds = new Set(event.Records.map((r) => r.messageId));
    let left = new Set<string>();
    if (outcome === 'timed_out') {
      // The handler goes on in the background; whatever it does later must not crash the process.
      invocation.catch((err: unknown) => logger.warn({ err }, 'timed_out_invocation_failed_later'));
      error = new Error(`Task timed out after ${this.#options.timeoutSeconds} seconds`);
      left = batchIds;
      logger.warn(
        { records: batchIds.size, timeoutSeconds: this.#options.timeoutSeconds },
        'invocation_timed_out',
      );
    } else if (outcome === 'failed') {
      left = batchIds;
      logger.error({ err: error, records: batchIds.size }, 'invocation_failed');
    } else {
      const failed = failedIds(response, batchIds);
      if (failed instanceof Error) {
        error = failed;
        outcome = 'failed';
        left = batchIds;
        logger.error({ err: failed }, 'invalid_batch_response');
      } else {
        left = failed;
        if (failed.size > 0) outcome = 'partial';
      }
    }

    const toDelete = messages.filter((m) => !left.has(m.MessageId ?? ''));
    const deleteFailures = await this.#delete(toDelete, logger);
    const failedDeletes = new Set(deleteFailures.map((f) => f.messageId));
    const result: InvocationResult = {
      ...info,
      outcome,
      deleted: toDelete.map((m) => m.MessageId ?? '').filter((id) => !failedDeletes.has(id)),
      left: [...left],
      deleteFailures,
      ...(error === undefined ? {} : { error }),
      durationMs,
    };
    logger.info(
      { outcome, records: batchIds.size, deleted: result.deleted.length, left: left.size, durationMs },
      'invocation_finished',
    );
    this.#observe(this.#options.onResult, result);
    return result;
  }

  async #delete(messages: Message[], logger: Log): Promise<InvocationResult['deleteFailures']> {
    const failures: InvocationResult['deleteFailures'] = [];
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      try {
        const { Failed } = await this.#options.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.#options.queue.url,
            Entries: chunk.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
        for (const f of Failed ?? []) {
          const messageId = chunk[Number(f.Id)]?.MessageId ?? '';
          failures.push({ messageId, code: f.Code ?? 'Unknown', message: f.Message ?? '' });
        }
      } catch (err) {
        for (const m of chunk)
          failures.push({ messageId: m.MessageId ?? '', code: 'Error', message: String(err) });
      }
    }
    for (const f of failures)
      logger.error({ messageId: f.messageId, code: f.code, reason: f.message }, 'delete_failed');
    return failures;
  }
}
