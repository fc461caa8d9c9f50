import type { Context, EventBridgeEvent } from 'aws-lambda';
import { DynamoDirectory } from '#adapters/directory/DynamoDirectory';
import { loadConfig } from '#shared/config';
import { createLogger } from '#shared/logger';
import { resourceName, topology } from '#topology/topology';
import { processFeedback } from './processFeedback.ts';

const config = loadConfig();
const logger = createLogger({ level: config.LOG_LEVEL }).child({ stage: 'feedback' });
const directory = new DynamoDirectory({
  tableName: resourceName(topology.tables.directory, config.HERALD_ENV),
});

/**
 * Lambda entry point for SES bounce and complaint events (an EventBridge rule target on the
 * default bus, where SES publishes). A throw lets Lambda's async retries and on-failure
 * destination take over.
 */
export const handler = async (event: EventBridgeEvent<string, unknown>, context: Context): Promise<void> => {
  await processFeedback(event, {
    directory,
    logger: logger.child({ requestId: context.awsRequestId }),
    remainingTimeMs: () => context.getRemainingTimeInMillis(),
  });
};
