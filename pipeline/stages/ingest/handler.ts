import { EmfMetrics } from '#adapters/metrics/EmfMetrics';
import { SqsQueue } from '#adapters/queue/SqsQueue';
import { createSqsHandler } from '#retry/createSqsHandler';
import { loadConfig } from '#shared/config';
import { createLogger } from '#shared/logger';
import { processRecord } from './processRecord.ts';

const config = loadConfig();
const env = config.HERALD_ENV;
// EMF lines on stdout: CloudWatch turns them into the ReleaseHerald metrics (one flush per batch).
const metrics = new EmfMetrics({ stage: 'ingest', env });
// createSqsHandler binds `stage` to each record's logger: give it the root logger.
const logger = createLogger({ level: config.LOG_LEVEL, file: config.LOG_FILE });
const queue = new SqsQueue({});

/** Lambda entry point of the ingest stage (SQS event source on `herald-ingest`). */
export const handler = createSqsHandler({
  retryProfile: config.HERALD_RETRY_PROFILE,
  stage: 'ingest',
  env,
  metrics,
  expectTracing: config.AWS_LAMBDA_EXEC_WRAPPER !== undefined,
  queue,
  logger,
  processRecord: (record, ctx) => processRecord(record, ctx, { queue, env }),
});
