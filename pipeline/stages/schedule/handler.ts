import { EmfMetrics } from '#adapters/metrics/EmfMetrics';
import { DynamoLedger } from '#adapters/ledger/DynamoLedger';
import { SqsQueue } from '#adapters/queue/SqsQueue';
import { EventBridgeScheduler } from '#adapters/scheduler/EventBridgeScheduler';
import { createSqsHandler } from '#retry/createSqsHandler';
import { loadConfig, requireConfig } from '#shared/config';
import { createLogger } from '#shared/logger';
import { queueName, resourceName, topology } from '#topology/topology';
import { FIRE_WINDOW_MS } from './planChanges.ts';
import { processRecord, type ScheduleDeps } from './processRecord.ts';

const config = loadConfig();
const env = config.HERALD_ENV;
// EMF lines on stdout: CloudWatch turns them into the ReleaseHerald metrics (one flush per batch).
const metrics = new EmfMetrics({ stage: 'schedule', env });
const { SCHEDULER_ROLE_ARN } = requireConfig(config, 'SCHEDULER_ROLE_ARN');
// createSqsHandler binds `stage` to each record's logger: give it the root logger.
const logger = createLogger({ level: config.LOG_LEVEL, file: config.LOG_FILE });
const queue = new SqsQueue({});
// The per-release watermark that orders snapshots lives in the ledger table.
const ledger = new DynamoLedger({
  tableName: resourceName(topology.tables.ledger, env),
  ttlSeconds: topology.ledgerTtlSeconds,
});

type SchedulerDeps = Pick<ScheduleDeps, 'composeQueueArn' | 'scheduler'>;

// Built on first use rather than at import: the schedules target the compose queue and send
// undeliverable events to the compose DLQ, and both ARNs need an SQS call. A failure then fails
// one record (retried by the ladder) instead of the cold start, and is not cached.
let built: Promise<SchedulerDeps> | undefined;
const scheduleDeps = (): Promise<SchedulerDeps> => {
  if (built !== undefined) return built;
  const building = Promise.all([
    queue.arnOf(queueName('compose', 'main', env)),
    queue.arnOf(queueName('compose', 'dlq', env)),
  ])
    .then(([composeQueueArn, deadLetterArn]) => ({
      composeQueueArn,
      scheduler: new EventBridgeScheduler({
        groupName: resourceName(topology.scheduleGroup, env),
        roleArn: SCHEDULER_ROLE_ARN,
        deadLetterArn,
        retry: topology.scheduleTargetRetry,
        fireWindowMs: FIRE_WINDOW_MS,
      }),
    }))
    .catch((err: unknown) => {
      built = undefined;
      throw err;
    });
  built = building;
  return building;
};

/** Lambda entry point of the schedule stage (SQS event source on `herald-schedule`). */
export const handler = createSqsHandler({
  retryProfile: config.HERALD_RETRY_PROFILE,
  stage: 'schedule',
  env,
  metrics,
  expectTracing: config.AWS_LAMBDA_EXEC_WRAPPER !== undefined,
  queue,
  logger,
  processRecord: async (record, ctx) => {
    await processRecord(record, ctx, {
      ...(await scheduleDeps()),
      ledger,
      queue,
      env,
      fireWindowMs: FIRE_WINDOW_MS,
      now: () => new Date(),
    });
  },
});
