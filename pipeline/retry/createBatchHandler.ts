import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { MetricsPort } from '#adapters/metrics/MetricsPort';
import type { Log } from '#shared/logger';
import { mapLimit } from '#shared/mapLimit';

/** Options of {@link createBatchHandler}. */
export interface CreateBatchHandlerOptions {
  /** Who runs the batch (`send`, `rescheduler`), on the log lines of the loop itself. */
  stage: string;
  /** Root logger, for a record whose run throws and for a failed metrics flush. */
  logger: Log;
  /**
   * Runs one record; resolves to true when the record must be reported in `batchItemFailures`
   * (SQS makes it visible again). A run that throws is a bug: logged `record_routing_failed` and
   * reported, so the record is never lost.
   */
  run: (record: SQSRecord, lambda: Context) => Promise<boolean>;
  /** Records run at the same time. Default 1 (one after another). */
  concurrency?: number | undefined;
  /** Flushed once per batch, after every record ran; a failed flush is only logged. Default none. */
  metrics?: Pick<MetricsPort, 'flush'> | undefined;
}

/**
 * The SQS batch loop under every queue consumer: runs each record (at most `concurrency` at a
 * time), one record never failing another, and answers the records to report as partial batch
 * failures, in the batch's order. The handler itself never throws.
 */
export const createBatchHandler =
  (options: CreateBatchHandlerOptions): ((event: SQSEvent, context: Context) => Promise<SQSBatchResponse>) =>
  async (event, lambda) => {
    const { stage, logger, metrics } = options;
    const failed = new Set<string>();
    await mapLimit(event.Records, options.concurrency ?? 1, async (record) => {
      try {
        if (await options.run(record, lambda)) failed.add(record.messageId);
      } catch (err) {
        // Only a bug in the routing itself gets here; reporting keeps the record.
        logger.error({ err, stage, messageId: record.messageId }, 'record_routing_failed');
        failed.add(record.messageId);
      }
    });
    try {
      metrics?.flush();
    } catch (err) {
      // Metrics are a view of the work, never a reason to redo it.
      logger.warn({ err, stage }, 'metrics_flush_failed');
    }
    return {
      batchItemFailures: event.Records.filter((r) => failed.has(r.messageId)).map((r) => ({
        itemIdentifier: r.messageId,
      })),
    };
  };
