import { DynamoLedger } from '#adapters/ledger/DynamoLedger';
import { EventBridgeScheduler } from '#adapters/scheduler/EventBridgeScheduler';
import { requireConfig } from '#shared/config';
import { lazyOnce } from '#shared/lazyOnce';
import { sqsStageWiring } from '#stages/shared/sqsStageWiring';
import { queueName, resourceName, topology } from '#topology/topology';
import { FIRE_WINDOW_MS } from './planChanges.ts';
import { processRecord, type ScheduleDeps } from './processRecord.ts';

const { config, env, queue, handlerFor } = sqsStageWiring('schedule');
const { SCHEDULER_ROLE_ARN } = requireConfig(config, 'SCHEDULER_ROLE_ARN');
// The per-release watermark that orders snapshots lives in the ledger table.
const ledger = new DynamoLedger({
  tableName: resourceName(topology.tables.ledger, env),
  ttlSeconds: topology.ledgerTtlSeconds,
});

type SchedulerDeps = Pick<ScheduleDeps, 'composeQueueArn' | 'scheduler'>;

// Built on first use rather than at import (see lazyOnce): the schedules target the compose queue
// and send undeliverable events to the compose DLQ, and both ARNs need an SQS call. A failure then
// fails one record (retried by the ladder) instead of the cold start, and is not cached.
const scheduleDeps = lazyOnce(async (): Promise<SchedulerDeps> => {
  const [composeQueueArn, deadLetterArn] = await Promise.all([
    queue.arnOf(queueName('compose', 'main', env)),
    queue.arnOf(queueName('compose', 'dlq', env)),
  ]);
  return {
    composeQueueArn,
    scheduler: new EventBridgeScheduler({
      groupName: resourceName(topology.scheduleGroup, env),
      roleArn: SCHEDULER_ROLE_ARN,
      deadLetterArn,
      retry: topology.scheduleTargetRetry,
      fireWindowMs: FIRE_WINDOW_MS,
    }),
  };
});

/** Lambda entry point of the schedule stage (SQS event source on `herald-schedule`). */
export const handler = handlerFor(async (record, ctx) => {
  await processRecord(record, ctx, {
    ...(await scheduleDeps()),
    ledger,
    queue,
    env,
    fireWindowMs: FIRE_WINDOW_MS,
    now: () => new Date(),
  });
});
