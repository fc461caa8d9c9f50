import { describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '#adapters/metrics/MetricsPort';
import { wrap } from '#contracts/envelope';
import { createSqsHandler } from '#retry/createSqsHandler';
import { PermanentError, RetryableError } from '#shared/errors';
import { lambdaContext, sqsEvent, sqsRecord } from '#test/factories/lambda';
import { memoryLogger } from '#test/factories/memoryLogger';
import { RecordingQueue } from '#test/factories/RecordingQueue';
import { recordingMetrics } from '#test/factories/recordingMetrics';
import { retryOf } from '#topology/topology';

const MAIN = 'herald-enrich';

describe('Function: createSqsHandler (metrics and failure logs)', () => {
  it('counts each record by what became of it and flushes once per batch', async () => {
    // Arrange: one processed, one to retry, one out of receives (reschedule), one permanent (dead).
    const ok = sqsRecord({ queueName: MAIN });
    const flaky = sqsRecord({ queueName: MAIN, receiveCount: 1 });
    const exhausted = sqsRecord({ queueName: MAIN, receiveCount: 5 });
    const poison = sqsRecord({ queueName: MAIN });
    const metrics = recordingMetrics();
    const handler = createSqsHandler({
      stage: 'enrich',
      queue: new RecordingQueue(),
      logger: memoryLogger().logger,
      metrics,
      processRecord: async (record) => {
        if (record.messageId === flaky.messageId || record.messageId === exhausted.messageId) {
          throw new RetryableError('jira 503');
        }
        if (record.messageId === poison.messageId) throw new PermanentError('bad_input', 'no version');
      },
    });

    // Act
    await handler(sqsEvent(ok, flaky, exhausted, poison), lambdaContext());

    // Assert
    expect(metrics.total(METRIC_NAMES.recordsProcessed)).toBe(1);
    expect(metrics.total(METRIC_NAMES.recordsFailed)).toBe(1);
    expect(metrics.total(METRIC_NAMES.recordsRescheduled)).toBe(1);
    expect(metrics.total(METRIC_NAMES.recordsDeadLettered)).toBe(1);
    expect(metrics.flushes).toBe(1);
  });

  it('still answers the batch when the metrics cannot be written', async () => {
    // Arrange
    const log = memoryLogger();
    const record = sqsRecord({ queueName: MAIN });
    const handler = createSqsHandler({
      stage: 'enrich',
      queue: new RecordingQueue(),
      logger: log.logger,
      metrics: {
        count: () => undefined,
        flush: () => {
          throw new Error('stdout closed');
        },
      },
      processRecord: async () => undefined,
    });

    // Act
    const response = await handler(sqsEvent(record), lambdaContext());

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(log.events('metrics_flush_failed')).toHaveLength(1);
  });

  it("puts the envelope's key on the record's lines and says when a rescheduled record comes back", async () => {
    // Arrange: out of receives, rescheduled once before: the rescheduler's second delay applies.
    const body = JSON.stringify({ ...wrap('release.changed', 'rel-9:changed', {}), reschedules: 1 });
    const record = sqsRecord({ queueName: MAIN, receiveCount: 5, body });
    const log = memoryLogger();
    const handler = createSqsHandler({
      stage: 'enrich',
      queue: new RecordingQueue(),
      logger: log.logger,
      processRecord: async () => {
        throw new RetryableError('jira 503');
      },
    });

    // Act
    await handler(sqsEvent(record), lambdaContext());

    // Assert
    expect(log.events('record_rescheduled')).toEqual([
      expect.objectContaining({
        stage: 'enrich',
        key: 'rel-9:changed',
        reschedules: 1,
        rescheduleInSeconds: retryOf('enrich').rescheduleDelaysSeconds[1],
      }),
    ]);
  });
});
