import { describe, expect, it } from 'vitest';
import { createBatchHandler } from '#retry/createBatchHandler';
import { lambdaContext, sqsEvent, sqsRecord } from '#test/factories/lambda';
import { memoryLogger } from '#test/factories/memoryLogger';

describe('Function: createBatchHandler', () => {
  it('reports the records whose run says so or throws, in batch order, and logs a throw as record_routing_failed', async () => {
    // Arrange
    const log = memoryLogger();
    const [ok, reported, broken] = [sqsRecord(), sqsRecord(), sqsRecord()];
    const handler = createBatchHandler({
      stage: 'send',
      logger: log.logger,
      run: async (record) => {
        if (record === broken) throw new Error('routing bug');
        return record === reported;
      },
    });

    // Act
    const response = await handler(sqsEvent(broken, ok, reported), lambdaContext());

    // Assert
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: broken.messageId },
      { itemIdentifier: reported.messageId },
    ]);
    expect(log.events('record_routing_failed')).toEqual([
      expect.objectContaining({ stage: 'send', messageId: broken.messageId }),
    ]);
  });

  it('runs at most `concurrency` records at a time (default one after another)', async () => {
    // Arrange
    const peakOf = async (concurrency: number | undefined): Promise<number> => {
      let running = 0;
      let peak = 0;
      const handler = createBatchHandler({
        stage: 'rescheduler',
        logger: memoryLogger().logger,
        concurrency,
        run: async () => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 5));
          running -= 1;
          return false;
        },
      });
      await handler(sqsEvent(sqsRecord(), sqsRecord(), sqsRecord(), sqsRecord()), lambdaContext());
      return peak;
    };

    // Act
    const peaks = [await peakOf(undefined), await peakOf(2), await peakOf(Number.POSITIVE_INFINITY)];

    // Assert
    expect(peaks).toEqual([1, 2, 4]);
  });

  it('flushes the metrics once per batch and only logs a failed flush', async () => {
    // Arrange
    const log = memoryLogger();
    let flushes = 0;
    const handler = createBatchHandler({
      stage: 'ingest',
      logger: log.logger,
      metrics: {
        flush: () => {
          flushes += 1;
          throw new Error('stdout closed');
        },
      },
      run: async () => false,
    });

    // Act
    const response = await handler(sqsEvent(sqsRecord(), sqsRecord()), lambdaContext());

    // Assert
    expect(response.batchItemFailures).toEqual([]);
    expect(flushes).toBe(1);
    expect(log.events('metrics_flush_failed')).toEqual([expect.objectContaining({ stage: 'ingest' })]);
  });
});
