import type { Context, EventBridgeEvent } from 'aws-lambda';
import { DynamoDirectory } from '#adapters/directory/DynamoDirectory';
import { DynamoLedger } from '#adapters/ledger/DynamoLedger';
import { loadConfig } from '#shared/config';
import { createLogger } from '#shared/logger';
import { resourceName, topology } from '#topology/topology';
import { processFeedback } from './processFeedback.ts';

const config = loadConfig();
const logger = createLogger({ level: config.LOG_LEVEL, file: config.LOG_FILE }).child({ stage: 'feedback' });
const directory = new DynamoDirectory({
  tableName: resourceName(topology.tables.directory, config.HERALD_ENV),
});
const ledger = new DynamoLedger({
  tableName: resourceName(topology.tables.ledger, config.HERALD_ENV),
  ttlSeconds: topology.ledgerTtlSeconds,
});

/**
 * Lambda entry point for SES events of the configuration set (Send, Delivery, Bounce, Complaint,
 * Reject, DeliveryDelay; an EventBridge rule target on the default bus, where SES publishes). A throw lets Lambda's async retries and on-failure
 * destination take over.
 */
export const handler = async (event: EventBridgeEvent<string, unknown>, context: Context): Promise<void> => {
  await processFeedback(event, {
    directory,
    ledger,
    logger: logger.child({ requestId: context.awsRequestId }),
    remainingTimeMs: () => context.getRemainingTimeInMillis(),
  });
};
