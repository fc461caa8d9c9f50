import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type Context,
  type ContextManager,
  context,
  propagation,
  ROOT_CONTEXT,
  type TextMapPropagator,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { wrap } from '#contracts/envelope';
import { ContractError } from '#contracts/errors';
import { createSqsHandler, type RecordContext } from '#retry/createSqsHandler';
import { PermanentError, RetryableError } from '#shared/errors';
import { lambdaContext, sqsEvent, sqsRecord } from '#test/factories/lambda';
import { memoryLogger } from '#test/factories/memoryLogger';
import { RecordingQueue } from '#test/factories/RecordingQueue';

const NOW = new Date('2030-01-02T03:04:05.000Z');
// The runner's mechanics on a stage with the default ladder (base 2 s, 5 receives, 3 reschedules).
const MAIN = 'herald-enrich';
const RESCHEDULE = 'herald-enrich-reschedule';
const DLQ = 'herald-enrich-dlq';

const envelopeBody = (reschedules = 0, traceparent?: string) =>
  JSON.stringify({
    ...wrap('compose.job', 'rel-1:point-1', { versionId: '10001' }, traceparent),
    reschedules,
  });

const setup = (
  processRecord: (record: SQSRecord, ctx: RecordContext) => Promise<void>,
  options: { random?: () => number; concurrency?: number } = {},
) => {
  const queue = new RecordingQueue();
  const log = memoryLogger();
  const handler = createSqsHandler({
    stage: 'enrich',
    queue,
    logger: log.logger,
    processRecord,
    now: () => NOW,
    random: options.random ?? (() => 0.999_999),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
  });
  return { queue, log, handler };
};

describe('Function: createSqsHandler', () => {
  it('reports only the failing record and processes every other one', async () => {
    // Arrange
    const records = [
      sqsRecord({ queueName: MAIN }),
      sqsRecord({ queueName: MAIN }),
      sqsRecord({ queueName: MAIN }),
    ];
    const failing = records[1]?.messageId;
    const processRecord = vi.fn(async (record: SQSRecord) => {
      if (record.messageId === failing) throw new RetryableError('jira 503');
    });
    const { handler } = setup(processRecord);

    // Act
    const response = await handler(sqsEvent(...records), lambdaContext());

    // Assert
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: failing }] });
    expect(processRecord).toHaveBeenCalledTimes(3);
  });

  it('runs records concurrently up to the limit and still isolates failures', async () => {
    let inFlight = 0;
    let most = 0;
    const records = Array.from({ length: 6 }, () => sqsRecord({ queueName: MAIN }));
    const { handler } = setup(
      async (record) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
        if (record.messageId === records[0]?.messageId) throw new RetryableError('x');
      },
      { concurrency: 3 },
    );

    const response = await handler(sqsEvent(...records), lambdaContext());

    expect(most).toBe(3);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[0]?.messageId }]);
  });

  it('sets the visibility timeout to the backoff the policy chose and logs record_failed', async () => {
    // Arrange: third receive, top of the jitter range → min(300, 2·2²) = 8 s.
    const record = sqsRecord({ queueName: MAIN, receiveCount: 3, receiptHandle: 'rh-vis' });
    const { handler, queue, log } = setup(async () => {
      throw new RetryableError('throttled');
    });

    // Act
    const response = await handler(sqsEvent(record), lambdaContext());

    // Assert
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(queue.of('changeVisibility')).toEqual([
      { op: 'changeVisibility', queueName: MAIN, receiptHandle: 'rh-vis', seconds: 8 },
    ]);
    expect(queue.of('send')).toHaveLength(0);
    expect(log.events('record_failed')).toMatchObject([
      { stage: 'enrich', messageId: record.messageId, receiveCount: 3, visibilityTimeoutSeconds: 8 },
    ]);
  });

  it('never hides a record for less than the Retry-After the error names', async () => {
    const record = sqsRecord({ queueName: MAIN, receiveCount: 1 });
    const { handler, queue } = setup(
      async () => {
        throw new RetryableError('429', { retryAfterSeconds: 45 });
      },
      { random: () => 0 },
    );

    await handler(sqsEvent(record), lambdaContext());

    expect(queue.of('changeVisibility')[0]?.seconds).toBe(45);
  });

  it('still reports the record when ChangeMessageVisibility fails', async () => {
    const record = sqsRecord({ queueName: MAIN });
    const { handler, queue, log } = setup(async () => {
      throw new RetryableError('x');
    });
    queue.failures.set('changeVisibility', new Error('sqs down'));

    const response = await handler(sqsEvent(record), lambdaContext());

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(log.events('visibility_change_failed')).toHaveLength(1);
  });

  it('sends a permanent failure to the DLQ with its reason attributes and deletes it from the source', async () => {
    // Arrange
    const record = sqsRecord({
      queueName: MAIN,
      body: envelopeBody(2),
      receiptHandle: 'rh-dead',
      receiveCount: 1,
    });
    const { handler, queue, log } = setup(async () => {
      throw new PermanentError('invalid_recipient', 'bounced: jane.doe@example.com is suppressed');
    });

    // Act
    const response = await handler(sqsEvent(record), lambdaContext());

    // Assert
    expect(response.batchItemFailures).toEqual([]);
    expect(queue.of('send')).toEqual([
      {
        op: 'send',
        queueName: DLQ,
        messages: [
          {
            body: record.body,
            attributes: {
              'herald-reason': 'permanent:invalid_recipient',
              'herald-error': 'PermanentError: bounced: j***@e***.com is suppressed',
              'herald-stage': 'enrich',
              'herald-failed-at': '2030-01-02T03:04:05.000Z',
              'herald-receive-count': '1',
              'herald-reschedules': '2',
              'herald-source-message-id': record.messageId,
            },
          },
        ],
      },
    ]);
    expect(queue.of('delete')).toEqual([{ op: 'delete', queueName: MAIN, receiptHandle: 'rh-dead' }]);
    expect(queue.of('changeVisibility')).toHaveLength(0);
    expect(log.events('record_dead_lettered')).toMatchObject([{ reason: 'permanent:invalid_recipient' }]);
  });

  it('dead-letters a ContractError at once, even on first receive', async () => {
    const record = sqsRecord({ queueName: MAIN, body: 'not json' });
    const { handler, queue } = setup(async () => {
      throw new ContractError('compose.job', ['body is not valid JSON']);
    });

    const response = await handler(sqsEvent(record), lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(queue.of('send')[0]).toMatchObject({
      queueName: DLQ,
      messages: [{ attributes: { 'herald-reason': 'contract:compose.job', 'herald-reschedules': '0' } }],
    });
  });

  it('reports the record instead when the DLQ send fails, so it is never lost', async () => {
    // Arrange
    const record = sqsRecord({ queueName: MAIN });
    const { handler, queue, log } = setup(async () => {
      throw new PermanentError('invalid_payload', 'bad');
    });
    queue.failures.set(`send:${DLQ}`, new Error('sqs down'));

    // Act
    const response = await handler(sqsEvent(record), lambdaContext());

    // Assert
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(queue.of('delete')).toHaveLength(0);
    expect(log.events('dead_letter_failed')).toHaveLength(1);
  });

  it('forwards the last receive to the reschedule queue with the last error, then deletes it', async () => {
    // Arrange: enrich's maxReceiveCount is 5.
    const record = sqsRecord({
      queueName: MAIN,
      body: envelopeBody(0),
      receiveCount: 5,
      receiptHandle: 'rh-last',
    });
    const { handler, queue, log } = setup(async () => {
      throw new RetryableError('openai 503');
    });

    // Act
    const response = await handler(sqsEvent(record), lambdaContext());

    // Assert
    expect(response.batchItemFailures).toEqual([]);
    expect(queue.of('send')).toEqual([
      {
        op: 'send',
        queueName: RESCHEDULE,
        messages: [
          {
            body: record.body,
            attributes: {
              'herald-last-error': 'RetryableError: openai 503',
              'herald-stage': 'enrich',
              'herald-receive-count': '5',
            },
          },
        ],
      },
    ]);
    expect(queue.of('delete')).toEqual([{ op: 'delete', queueName: MAIN, receiptHandle: 'rh-last' }]);
    expect(log.events('record_rescheduled')).toHaveLength(1);
  });

  it('keeps herald-* attributes of a raw body when forwarding it to the reschedule queue', async () => {
    const record = sqsRecord({
      queueName: MAIN,
      body: '{"detail-type":"jira:version_updated"}',
      receiveCount: 5,
      attributes: { 'herald-reschedules': '1' },
    });
    const { handler, queue } = setup(async () => {
      throw new RetryableError('x');
    });

    await handler(sqsEvent(record), lambdaContext());

    expect(queue.of('send')[0]).toMatchObject({
      queueName: RESCHEDULE,
      messages: [{ attributes: { 'herald-reschedules': '1', 'herald-stage': 'enrich' } }],
    });
  });

  it('only reports the record when forwarding to the reschedule queue fails (SQS redrive is the net)', async () => {
    const record = sqsRecord({ queueName: MAIN, receiveCount: 5 });
    const { handler, queue } = setup(async () => {
      throw new RetryableError('x');
    });
    queue.failures.set(`send:${RESCHEDULE}`, new Error('sqs down'));

    const response = await handler(sqsEvent(record), lambdaContext());

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(queue.of('delete')).toHaveLength(0);
  });

  it('reads the reschedule count from herald-reschedules when the body is not an envelope', async () => {
    // Arrange: a raw EventBridge event on its last receive after all 3 reschedules → exhausted.
    const record = sqsRecord({
      queueName: MAIN,
      body: '{"source":"jira","detail":{}}',
      receiveCount: 5,
      attributes: { 'herald-reschedules': '3', 'herald-last-error': 'RetryableError: older' },
    });
    const { handler, queue } = setup(async () => {
      throw new RetryableError('still failing');
    });

    // Act
    const response = await handler(sqsEvent(record), lambdaContext());

    // Assert
    expect(response.batchItemFailures).toEqual([]);
    expect(queue.of('send')[0]).toMatchObject({
      queueName: DLQ,
      messages: [
        {
          attributes: {
            'herald-reason': 'retries_exhausted',
            'herald-error': 'RetryableError: still failing',
            'herald-reschedules': '3',
            'herald-last-error': 'RetryableError: older',
          },
        },
      ],
    });
  });

  it('prefers the envelope reschedule count over the attribute', async () => {
    const record = sqsRecord({
      queueName: MAIN,
      body: envelopeBody(1),
      receiveCount: 5,
      attributes: { 'herald-reschedules': '3' },
    });
    const { handler, queue } = setup(async () => {
      throw new RetryableError('x');
    });

    await handler(sqsEvent(record), lambdaContext());

    expect(queue.of('send')[0]?.queueName).toBe(RESCHEDULE);
  });

  it('logs failures with the bindings the record handler added to its logger', async () => {
    const record = sqsRecord({ queueName: MAIN });
    const { handler, log } = setup(async (_record, ctx) => {
      ctx.logger = ctx.logger.child({ releaseId: '10001' });
      throw new RetryableError('x');
    });

    await handler(sqsEvent(record), lambdaContext());

    expect(log.events('record_failed')).toMatchObject([
      { stage: 'enrich', messageId: record.messageId, releaseId: '10001' },
    ]);
  });

  it('gives the record handler its receive count and a remaining time net of the reserve', async () => {
    const record = sqsRecord({ queueName: MAIN, receiveCount: 4 });
    const seen: Array<{ receiveCount: number; remaining: number }> = [];
    const { handler } = setup(async (_record, ctx) => {
      seen.push({ receiveCount: ctx.receiveCount, remaining: ctx.remainingTimeMs() });
    });

    await handler(sqsEvent(record), lambdaContext(20_000));

    expect(seen[0]?.receiveCount).toBe(4);
    expect(seen[0]?.remaining).toBeLessThanOrEqual(17_000);
    expect(seen[0]?.remaining).toBeGreaterThan(16_000);
  });

  it('hands a record back untouched when too little time is left to start it', async () => {
    const record = sqsRecord({ queueName: MAIN, receiptHandle: 'rh-late' });
    const processRecord = vi.fn(async () => {});
    const { handler, queue, log } = setup(processRecord);

    const response = await handler(sqsEvent(record), lambdaContext(1_000));

    expect(processRecord).not.toHaveBeenCalled();
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(queue.of('changeVisibility')).toEqual([
      { op: 'changeVisibility', queueName: MAIN, receiptHandle: 'rh-late', seconds: 0 },
    ]);
    expect(log.events('record_deferred')).toHaveLength(1);
  });

  describe('tracing', () => {
    // Minimal W3C propagator and AsyncLocalStorage context manager: only @opentelemetry/api is installed.
    const storage = new AsyncLocalStorage<Context>();
    const contextManager: ContextManager = {
      active: () => storage.getStore() ?? ROOT_CONTEXT,
      with: (ctx, fn, thisArg, ...args) => storage.run(ctx, () => fn.call(thisArg, ...args)),
      bind: (_ctx, target) => target,
      enable() {
        return this;
      },
      disable() {
        return this;
      },
    };
    const propagator: TextMapPropagator = {
      inject: () => undefined,
      extract: (ctx, carrier, getter) => {
        const value = getter.get(carrier, 'traceparent');
        const match =
          typeof value === 'string' ? /^00-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})$/.exec(value) : null;
        if (!match) return ctx;
        return trace.setSpanContext(ctx, {
          traceId: match[1] as string,
          spanId: match[2] as string,
          traceFlags: TraceFlags.SAMPLED,
          isRemote: true,
        });
      },
      fields: () => ['traceparent'],
    };

    beforeAll(() => {
      context.setGlobalContextManager(contextManager);
      propagation.setGlobalPropagator(propagator);
    });

    afterAll(() => {
      context.disable();
      propagation.disable();
    });

    it("runs the record handler under the envelope's trace", async () => {
      // Arrange
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const record = sqsRecord({
        queueName: MAIN,
        body: envelopeBody(0, `00-${traceId}-00f067aa0ba902b7-01`),
      });
      let seenTraceId: string | undefined;
      const { handler } = setup(async () => {
        seenTraceId = trace.getActiveSpan()?.spanContext().traceId;
      });

      // Act
      await handler(sqsEvent(record), lambdaContext());

      // Assert
      expect(seenTraceId).toBe(traceId);
    });
  });
});
