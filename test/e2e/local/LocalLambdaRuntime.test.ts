import { createHash } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BootstrapResult } from '#local/bootstrap';
import {
  type InvocationResult,
  LocalLambdaRuntime,
  type LocalLambdaRuntimeOptions,
} from '#local/LocalLambdaRuntime';
import { LocalRuntime } from '#local/LocalRuntime';
import { silentLogger } from '#shared/logger';
import { topology } from '#topology/topology';
import {
  bootstrapWebhookStack,
  e2eClientConfig,
  queueDepth,
  receiveNow,
  uniqueEnv,
  waitFor,
} from './support.ts';

const env = uniqueEnv('rt');
const sqs = new SQSClient(e2eClientConfig());
let stack: BootstrapResult;
let queueCounter = 0;
const started: (LocalLambdaRuntime | LocalRuntime)[] = [];

/** A fresh plain queue of this suite. */
const freshQueue = async () => {
  queueCounter += 1;
  const name = `herald-${env}-t${queueCounter}`;
  const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { url: QueueUrl, arn: Attributes.QueueArn ?? '' };
};

const sendBodies = async (queueUrl: string, bodies: string[]) => {
  const { Successful = [] } = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: bodies.map((body, i) => ({ Id: String(i), MessageBody: body })),
    }),
  );
  return new Map(Successful.map((s) => [bodies[Number(s.Id)] ?? '', s.MessageId ?? '']));
};

const runtime = (
  options: Partial<LocalLambdaRuntimeOptions> & Pick<LocalLambdaRuntimeOptions, 'queue' | 'handler'>,
) =>
  new LocalLambdaRuntime({
    sqs,
    functionName: 'herald-test',
    batchSize: 10,
    visibilityTimeoutSeconds: 1,
    timeoutSeconds: 5,
    waitTimeSeconds: 1,
    logger: silentLogger(),
    ...options,
  });

const run = (r: LocalLambdaRuntime) => {
  started.push(r);
  r.start();
  return r;
};

beforeAll(async () => {
  stack = await bootstrapWebhookStack(env);
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((r) => r.stop()));
});

afterAll(() => sqs.destroy());

describe('Function: LocalLambdaRuntime', () => {
  it('invokes the handler with a real SQSEvent and a counting-down Context, then deletes the batch', async () => {
    // Arrange
    const queue = await freshQueue();
    const body = '{"hello":"world"}';
    const { MessageId } = await sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.url,
        MessageBody: body,
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: 'test' },
          blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      }),
    );
    let seen: { event: SQSEvent; remainingMs: number; context: Context } | undefined;
    const r = runtime({
      queue,
      functionName: 'herald-ingest',
      timeoutSeconds: 30,
      handler: async (event, context) => {
        seen = { event, remainingMs: context.getRemainingTimeInMillis(), context };
      },
    });

    // Act
    const result = await r.pollOnce();

    // Assert
    expect(result?.outcome).toBe('succeeded');
    const record = seen?.event.Records[0];
    expect(seen?.event.Records).toHaveLength(1);
    expect(record).toMatchObject({
      messageId: MessageId,
      body,
      md5OfBody: createHash('md5').update(body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: 'us-east-1',
      messageAttributes: {
        reason: { stringValue: 'test', dataType: 'String' },
        blob: { binaryValue: Buffer.from([1, 2, 3]).toString('base64'), dataType: 'Binary' },
      },
    });
    expect(record?.receiptHandle).toMatch(/\S+/);
    expect(record?.attributes.ApproximateReceiveCount).toBe('1');
    expect(Number(record?.attributes.SentTimestamp)).toBeGreaterThan(0);
    expect(Number(record?.attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThan(0);
    expect(record?.attributes.SenderId).toMatch(/\S+/);
    expect(seen?.context.functionName).toBe('herald-ingest');
    expect(seen?.context.awsRequestId).toBe(result?.requestId);
    expect(seen?.remainingMs).toBeGreaterThan(25_000);
    expect(seen?.remainingMs).toBeLessThanOrEqual(30_000);
    expect(await queueDepth(sqs, queue.url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('never hands the handler more records than the batch size', async () => {
    // Arrange
    const queue = await freshQueue();
    await sendBodies(queue.url, ['1', '2', '3', '4', '5']);
    const sizes: number[] = [];
    const bodies: string[] = [];
    run(
      runtime({
        queue,
        batchSize: 2,
        handler: async (event) => {
          sizes.push(event.Records.length);
          bodies.push(...event.Records.map((r) => r.body));
        },
      }),
    );

    // Act
    await waitFor('all five records', () => (bodies.length >= 5 ? true : undefined));

    // Assert
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2);
    expect(bodies.sort()).toEqual(['1', '2', '3', '4', '5']);
  });

  it('deletes the succeeded records and leaves only the one in batchItemFailures', async () => {
    // Arrange
    const queue = await freshQueue();
    const ids = await sendBodies(queue.url, ['a', 'b', 'c']);
    const r = runtime({
      queue,
      handler: async (event): Promise<SQSBatchResponse> => ({
        batchItemFailures: event.Records.filter((rec) => rec.body === 'b').map((rec) => ({
          itemIdentifier: rec.messageId,
        })),
      }),
    });

    // Act
    const result = await r.pollOnce();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const again = await receiveNow(sqs, queue.url);

    // Assert
    expect(result?.outcome).toBe('partial');
    expect(result?.left).toEqual([ids.get('b')]);
    expect(result?.deleted.sort()).toEqual([ids.get('a'), ids.get('c')].sort());
    expect(again.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([['b', '2']]);
  });

  it('leaves the whole batch when the handler throws', async () => {
    // Arrange
    const queue = await freshQueue();
    await sendBodies(queue.url, ['x', 'y']);
    const r = runtime({
      queue,
      handler: async () => {
        throw new Error('downstream is down');
      },
    });

    // Act
    const result = await r.pollOnce();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const again = await receiveNow(sqs, queue.url);

    // Assert
    expect(result?.outcome).toBe('failed');
    expect(result?.error).toHaveProperty('message', 'downstream is down');
    expect(result?.deleted).toEqual([]);
    expect(again.map((m) => m.Body).sort()).toEqual(['x', 'y']);
  });

  it('fails the whole batch when batchItemFailures names a message not in the batch', async () => {
    // Arrange
    const queue = await freshQueue();
    await sendBodies(queue.url, ['p', 'q']);
    const r = runtime({
      queue,
      handler: async () => ({ batchItemFailures: [{ itemIdentifier: 'not-a-message-id' }] }),
    });

    // Act
    const result = await r.pollOnce();

    // Assert
    expect(result?.outcome).toBe('failed');
    expect(result?.left).toHaveLength(2);
    expect(await queueDepth(sqs, queue.url)).toMatchObject({ inFlight: 2 });
  });

  it('gives up on a handler that hangs past its timeout and goes on with the next batch', async () => {
    // Arrange
    const queue = await freshQueue();
    await sendBodies(queue.url, ['hang']);
    const results: InvocationResult[] = [];
    const r = run(
      runtime({
        queue,
        batchSize: 1,
        timeoutSeconds: 1,
        visibilityTimeoutSeconds: 30,
        handler: (event) =>
          event.Records[0]?.body === 'hang' ? new Promise<void>(() => undefined) : Promise.resolve(),
        onResult: (result) => results.push(result),
      }),
    );
    const timedOut = await waitFor('the timeout', () => results.find((x) => x.outcome === 'timed_out'));

    // Act
    await sendBodies(queue.url, ['next']);
    const next = await waitFor('the next batch', () =>
      results.find((x) => x.outcome === 'succeeded' && x.event.Records[0]?.body === 'next'),
    );
    const stopping = Date.now();
    await r.stop();

    // Assert
    expect(timedOut.durationMs).toBeGreaterThanOrEqual(1_000);
    expect((timedOut.error as Error).message).toBe('Task timed out after 1 seconds');
    expect(timedOut.left).toHaveLength(1);
    expect(next.deleted).toHaveLength(1);
    expect(Date.now() - stopping).toBeLessThan(3_000);
    expect(await queueDepth(sqs, queue.url)).toMatchObject({ visible: 0, inFlight: 1 });
  });

  it('waits for an in-flight invocation when stopped', async () => {
    // Arrange
    const queue = await freshQueue();
    await sendBodies(queue.url, ['slow']);
    const results: InvocationResult[] = [];
    let invoked = false;
    const r = run(
      runtime({
        queue,
        handler: async () => {
          invoked = true;
          await new Promise((resolve) => setTimeout(resolve, 500));
        },
        onResult: (result) => results.push(result),
      }),
    );
    await waitFor('the invocation', () => (invoked ? true : undefined));

    // Act
    await r.stop();

    // Assert
    expect(results.map((x) => x.outcome)).toEqual(['succeeded']);
    expect(await queueDepth(sqs, queue.url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('lets SQS redrive a record to the reschedule queue after the stage maxReceiveCount', async () => {
    // Arrange: a handler that fails every record and makes it visible again at once, as the
    // retry ladder's backoff would after a shorter wait.
    const queues = stack.queues.enrich;
    const maxReceiveCount = topology.stages.enrich.retry.maxReceiveCount;
    await sendBodies(queues.main.url, ['doomed']);
    const counts: string[] = [];
    run(
      runtime({
        queue: queues.main,
        batchSize: topology.stages.enrich.batchSize,
        visibilityTimeoutSeconds: topology.stages.enrich.visibilityTimeoutSeconds,
        handler: async (event) => {
          for (const record of event.Records) {
            counts.push(record.attributes.ApproximateReceiveCount);
            await sqs.send(
              new ChangeMessageVisibilityCommand({
                QueueUrl: queues.main.url,
                ReceiptHandle: record.receiptHandle,
                VisibilityTimeout: 0,
              }),
            );
          }
          return { batchItemFailures: event.Records.map((rec) => ({ itemIdentifier: rec.messageId })) };
        },
      }),
    );

    // Act
    await waitFor('the redrive', async () =>
      (await queueDepth(sqs, queues.reschedule.url)).visible ? true : undefined,
    );
    const moved = await receiveNow(sqs, queues.reschedule.url);

    // Assert
    expect(counts).toEqual(Array.from({ length: maxReceiveCount }, (_, i) => String(i + 1)));
    expect(moved.map((m) => m.Body)).toEqual(['doomed']);
    expect(await queueDepth(sqs, queues.main.url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(await queueDepth(sqs, queues.dlq.url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });
});

describe('Function: LocalRuntime', () => {
  it('runs each wired stage on its main queue and the rescheduler on every reschedule queue', async () => {
    // Arrange
    const seen: { fn: string; source: string; body: string }[] = [];
    const handler =
      (fn: string) =>
      async (event: SQSEvent): Promise<void> => {
        for (const r of event.Records) seen.push({ fn, source: r.eventSourceARN, body: r.body });
      };
    const localRuntime = new LocalRuntime({
      sqs,
      queues: stack.queues,
      env,
      handlers: { ingest: handler('ingest') },
      rescheduler: handler('rescheduler'),
      waitTimeSeconds: 1,
      logger: silentLogger(),
    });
    await sendBodies(stack.queues.ingest.main.url, ['to-ingest']);
    await sendBodies(stack.queues.compose.reschedule.url, ['to-reschedule']);
    await sendBodies(stack.queues.compose.main.url, ['to-compose']);

    // Act
    started.push(localRuntime);
    localRuntime.start();
    await waitFor('both deliveries', () => (seen.length >= 2 ? true : undefined));
    await localRuntime.stop();

    // Assert
    expect(localRuntime.runtimes.map((r) => r.functionName)).toEqual([
      `herald-${env}-ingest`,
      ...Array.from({ length: 5 }, () => `herald-${env}-rescheduler`),
    ]);
    expect(seen.sort((a, b) => a.fn.localeCompare(b.fn))).toEqual([
      { fn: 'ingest', source: stack.queues.ingest.main.arn, body: 'to-ingest' },
      { fn: 'rescheduler', source: stack.queues.compose.reschedule.arn, body: 'to-reschedule' },
    ]);
    expect(await queueDepth(sqs, stack.queues.compose.main.url)).toMatchObject({ visible: 1 });
  });
});
