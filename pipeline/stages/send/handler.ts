import { meteredMailer } from '#adapters/metrics/meteredMailer';
import { DynamoDirectory } from '#adapters/directory/DynamoDirectory';
import { DynamoDeliveryRecords } from '#adapters/ledger/DynamoDeliveryRecords';
import { DynamoLedger } from '#adapters/ledger/DynamoLedger';
import { SesMailer } from '#adapters/mailer/SesMailer';
import { regionGateFor } from '#adapters/region/regionGateFor';
import { SecretsManagerSecrets } from '#adapters/secrets/SecretsManagerSecrets';
import { requireConfig } from '#shared/config';
import { parseSigningKeys } from '#shared/signingKeys';
import { sqsStageWiring } from '#stages/shared/sqsStageWiring';
import { resourceName, topology } from '#topology/topology';
import { processRecord } from './processRecord.ts';
import { isPointSummary, processSummary } from './processSummary.ts';
import { createRateLimiter } from './rateLimiter.ts';

const { config, env, metrics, queue, handlerFor } = sqsStageWiring('send');
const { SENDER_EMAIL, UNSUBSCRIBE_BASE_URL } = requireConfig(config, 'SENDER_EMAIL', 'UNSUBSCRIBE_BASE_URL');
const mailer = meteredMailer(
  new SesMailer({
    ...(config.SES_CONFIGURATION_SET !== undefined ? { configurationSet: config.SES_CONFIGURATION_SET } : {}),
  }),
  metrics,
);
const ledger = new DynamoLedger({
  tableName: resourceName(topology.tables.ledger, env),
  ttlSeconds: topology.ledgerTtlSeconds,
});
// Multi-region: only the active region composes and sends (docs/DEPLOY.md, "A second region").
const regionGate = regionGateFor(config, resourceName(topology.tables.ledger, env));
const directory = new DynamoDirectory({ tableName: resourceName(topology.tables.directory, env) });
const secrets = new SecretsManagerSecrets({});
const signingKeysName = resourceName(topology.secrets.signingKeys, env);

// SES's rate is per account; this bucket is per process. At most `maxConcurrency` send
// functions run at once (the CDK stack sets it on the SQS event source and gives each its share).
const rateLimiter = createRateLimiter({ ratePerSecond: config.SES_SEND_RATE_PER_SECOND });

const summaryDeps = {
  ledger,
  // The points' approval records (review before send): held drafts in the summary.
  approvals: ledger,
  records: new DynamoDeliveryRecords({
    tableName: resourceName(topology.tables.ledger, env),
    ttlSeconds: topology.ledgerTtlSeconds,
  }),
  directory,
  mailer,
  queue,
  senderEmail: SENDER_EMAIL,
  leaseSeconds: config.SEND_LEASE_SECONDS,
  env,
  // Local tests (the `fast` retry profile) look every 2 s and wait at most 60 s.
  ...(config.HERALD_RETRY_PROFILE === 'fast' ? { recheckSeconds: 2, settleWithinSeconds: 60 } : {}),
};

/** Lambda entry point of the send stage (SQS event source on `herald-send`). */
export const handler = handlerFor(async (record, ctx) => {
  if (!(await regionGate('send', ctx.logger))) return;
  // The owners' summary of a point shares the send queue (this function has SES's rights).
  if (isPointSummary(record.body)) {
    await processSummary(record, ctx, { ...summaryDeps, now: () => new Date() });
    return;
  }
  // SecretsPort caches per process, so this is one Secrets Manager call per cold start.
  const signingKeys = parseSigningKeys(await secrets.get(signingKeysName));
  await processRecord(record, ctx, {
    ledger,
    mailer,
    directory,
    now: () => new Date(),
    senderEmail: SENDER_EMAIL,
    unsubscribeBaseUrl: UNSUBSCRIBE_BASE_URL,
    signingKeys,
    leaseSeconds: config.SEND_LEASE_SECONDS,
    rateLimiter,
    sesEventWaitMs: config.SES_EVENT_WAIT_SECONDS * 1000,
  });
});
