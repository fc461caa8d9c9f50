import { SqsQueue } from '#adapters/queue/SqsQueue';
import { EventBridgeScheduler } from '#adapters/scheduler/EventBridgeScheduler';
import { loadConfig, requireConfig } from '#shared/config';
import { createLogger } from '#shared/logger';
import { resourceName, topology } from '#topology/topology';
import { createReschedulerHandler } from './createReschedulerHandler.ts';

const config = loadConfig();
const { SCHEDULER_ROLE_ARN } = requireConfig(config, 'SCHEDULER_ROLE_ARN');

/** Lambda entry point of the rescheduler (consumes every `<stage>-reschedule` queue). */
export const handler = createReschedulerHandler({
  env: config.HERALD_ENV,
  retryProfile: config.HERALD_RETRY_PROFILE,
  queue: new SqsQueue(),
  scheduler: new EventBridgeScheduler({
    groupName: resourceName(topology.scheduleGroup, config.HERALD_ENV),
    roleArn: SCHEDULER_ROLE_ARN,
  }),
  logger: createLogger({ level: config.LOG_LEVEL, file: config.LOG_FILE }),
});
