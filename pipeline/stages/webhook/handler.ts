import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DynamoDirectory } from '#adapters/directory/DynamoDirectory';
import { EventBridgeBus } from '#adapters/events/EventBridgeBus';
import { DynamoLedger } from '#adapters/ledger/DynamoLedger';
import { SecretsManagerSecrets } from '#adapters/secrets/SecretsManagerSecrets';
import { loadConfig } from '#shared/config';
import { createLogger } from '#shared/logger';
import { parseSigningKeys } from '#shared/signingKeys';
import { resourceName, topology } from '#topology/topology';
import { handleRequest, type WebhookDeps } from './handleRequest.ts';
import { toHttpRequest } from './toHttpRequest.ts';

const config = loadConfig();
const env = config.HERALD_ENV;
const logger = createLogger({ level: config.LOG_LEVEL, file: config.LOG_FILE }).child({ stage: 'webhook' });
const secrets = new SecretsManagerSecrets({});
const webhookSecretName = resourceName(topology.secrets.webhookSecret, env);
const signingKeysName = resourceName(topology.secrets.signingKeys, env);
const reviewSigningKeysName = resourceName(topology.secrets.reviewSigningKeys, env);
// Review links read and decide approval records and read their drafts' subjects.
const ledger = new DynamoLedger({
  tableName: resourceName(topology.tables.ledger, env),
  ttlSeconds: topology.ledgerTtlSeconds,
});

const deps: WebhookDeps = {
  bus: new EventBridgeBus({ busName: resourceName(topology.bus, env) }),
  directory: new DynamoDirectory({ tableName: resourceName(topology.tables.directory, env) }),
  // SecretsManagerSecrets caches the value for the life of the process.
  webhookSecret: () => secrets.get(webhookSecretName),
  logger,
  now: () => new Date(),
  signingKeys: async () => parseSigningKeys(await secrets.get(signingKeysName)),
  reviewSigningKeys: async () => parseSigningKeys(await secrets.get(reviewSigningKeysName)),
  approvals: ledger,
  drafts: ledger,
};

/** Lambda function URL entry point of the webhook (Jira webhooks, unsubscribe links, review links). */
export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const response = await handleRequest(toHttpRequest(event), {
    ...deps,
    logger: logger.child({ requestId: event.requestContext.requestId }),
  });
  return { statusCode: response.status, headers: response.headers, body: response.body };
};
