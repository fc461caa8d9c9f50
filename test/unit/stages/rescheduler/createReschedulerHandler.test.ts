import { describe, expect, it } from 'vitest';
import { wrap } from '#contracts/envelope';
import { createReschedulerHandler } from '#stages/rescheduler/createReschedulerHandler';
import { FakeScheduler } from '#test/factories/FakeScheduler';
import { lambdaContext, sqsEvent, sqsRecord } from '#test/factories/lambda';
import { memoryLogger } from '#test/factories/memoryLogger';
import { RecordingQueue } from '#test/factories/RecordingQueue';

const envelopeBody = (reschedules: number) =>
  JSON.stringify({ ...wrap('send.job', 'rel-1:point-1:j***', { to: 'x' }), reschedules });

describe('Function: createReschedulerHandler', () => {
  it('reports only the records it could not reschedule', async () => {
    // Arrange: the first needs a schedule (3600 s) and Scheduler is down; the second goes by SQS.
    const queue = new RecordingQueue();
    const scheduler = new FakeScheduler();
    scheduler.failWith = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const log = memoryLogger();
    const handler = createReschedulerHandler({
      queue,
      scheduler,
      logger: log.logger,
      now: () => new Date(0),
    });
    const viaScheduler = sqsRecord({ queueName: 'herald-send-reschedule', body: envelopeBody(2) });
    const viaSqs = sqsRecord({ queueName: 'herald-send-reschedule', body: envelopeBody(0) });
    const stray = sqsRecord({ queueName: 'herald-send', body: envelopeBody(0) });

    // Act
    const response = await handler(sqsEvent(viaScheduler, viaSqs, stray), lambdaContext());

    // Assert
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: viaScheduler.messageId },
      { itemIdentifier: stray.messageId },
    ]);
    expect(queue.of('send').map((c) => c.queueName)).toEqual(['herald-send']);
    expect(log.events('reschedule_failed')).toHaveLength(2);
    expect(log.events('reschedule_failed').find((l) => l.messageId === viaScheduler.messageId)).toMatchObject(
      {
        stage: 'rescheduler',
        queue: 'herald-send-reschedule',
      },
    );
  });

  it('reports a record it cannot route (no source queue) without failing the rest of the batch', async () => {
    // Arrange: one record lacks eventSourceARN, so its queue cannot be named.
    const queue = new RecordingQueue();
    const log = memoryLogger();
    const handler = createReschedulerHandler({
      queue,
      scheduler: new FakeScheduler(),
      logger: log.logger,
      now: () => new Date(0),
    });
    const good = sqsRecord({ queueName: 'herald-send-reschedule', body: envelopeBody(0) });
    const unroutable = {
      ...sqsRecord({ queueName: 'herald-send-reschedule', body: envelopeBody(0) }),
      eventSourceARN: undefined as unknown as string,
    };

    // Act
    const response = await handler(sqsEvent(good, unroutable), lambdaContext());

    // Assert: only the unroutable record comes back; the good one was put back on its stage queue.
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: unroutable.messageId }]);
    expect(queue.of('send').map((c) => c.queueName)).toEqual(['herald-send']);
    expect(log.events('record_routing_failed')).toHaveLength(1);
    expect(log.events('record_routing_failed')[0]).toMatchObject({ stage: 'rescheduler' });
  });
});
