import { meteredLlm } from '#adapters/metrics/meteredLlm';
import { DynamoDirectory } from '#adapters/directory/DynamoDirectory';
import { JiraCloud } from '#adapters/jira/JiraCloud';
import { DynamoDeliveryRecords } from '#adapters/ledger/DynamoDeliveryRecords';
import { DynamoLedger } from '#adapters/ledger/DynamoLedger';
import { OpenAiLlm } from '#adapters/llm/OpenAiLlm';
import { regionGateFor } from '#adapters/region/regionGateFor';
import { SecretsManagerSecrets } from '#adapters/secrets/SecretsManagerSecrets';
import { requireConfig } from '#shared/config';
import { PermanentError } from '#shared/errors';
import { lazyOnce } from '#shared/lazyOnce';
import { parseSigningKeys } from '#shared/signingKeys';
import { sqsStageWiring } from '#stages/shared/sqsStageWiring';
import { resourceName, topology } from '#topology/topology';
import type { ReviewLinks } from './approval/ReviewLinks.ts';
import type { ComposeDeps } from './ComposeDeps.ts';
import { processRecord } from './processRecord.ts';

const { config, env, metrics, logger, queue, handlerFor } = sqsStageWiring('compose');
const { JIRA_SITE_URL, JIRA_EMAIL } = requireConfig(config, 'JIRA_SITE_URL', 'JIRA_EMAIL');
// What is logged outside a record (createSqsHandler binds `stage` to each record's logger).
const stageLogger = logger.child({ stage: 'compose' });
const ledger = new DynamoLedger({
  tableName: resourceName(topology.tables.ledger, env),
  ttlSeconds: topology.ledgerTtlSeconds,
});
// Who was planned to get which draft, per chunk: what `herald report` and the owners' summary read.
const records = new DynamoDeliveryRecords({
  tableName: resourceName(topology.tables.ledger, env),
  ttlSeconds: topology.ledgerTtlSeconds,
});
/** The owners' summary looks after a few seconds with the `fast` retry profile (local tests), 60 s otherwise. */
const FAST_SUMMARY_DELAY_SECONDS = 2;
// Multi-region: only the active region composes and sends (docs/DEPLOY.md, "A second region").
const regionGate = regionGateFor(config, resourceName(topology.tables.ledger, env));
const secrets = new SecretsManagerSecrets({});
const directory = new DynamoDirectory({ tableName: resourceName(topology.tables.directory, env) });

type SecretDeps = Pick<ComposeDeps, 'jira' | 'llm'>;

// Review emails (policy approval): the links' base and the review-signing-keys secret, read on
// first use only (a deployment without approval never reads it). SecretsPort caches per process.
const reviewKeysName = resourceName(topology.secrets.reviewSigningKeys, env);
const review = async (): Promise<ReviewLinks> => {
  if (config.REVIEW_BASE_URL === undefined) {
    throw new PermanentError('review_not_configured', 'policy approval needs REVIEW_BASE_URL');
  }
  return { baseUrl: config.REVIEW_BASE_URL, keys: parseSigningKeys(await secrets.get(reviewKeysName)) };
};
const approvalRecheckSeconds =
  config.APPROVAL_RECHECK_SECONDS ?? (config.HERALD_RETRY_PROFILE === 'fast' ? 2 : undefined);

// Built on first use (see lazyOnce): a failed build is not cached.
const secretDeps = lazyOnce(() =>
  Promise.all([
    secrets.get(resourceName(topology.secrets.jiraApiToken, env)),
    // No OpenAI key configured: template mode, every draft comes from fallbackEmail.
    secrets.getOptional(resourceName(topology.secrets.openaiApiKey, env)),
  ]).then(([apiToken, openaiKey]): SecretDeps => {
    const jira = new JiraCloud({
      siteUrl: JIRA_SITE_URL,
      email: JIRA_EMAIL,
      apiToken,
      timeoutMs: config.JIRA_TIMEOUT_MS,
    });
    if (openaiKey === undefined) {
      stageLogger.warn('llm_not_configured');
      return { jira, llm: undefined };
    }
    const llm = new OpenAiLlm({
      apiKey: openaiKey,
      model: config.OPENAI_MODEL,
      timeoutMs: config.OPENAI_TIMEOUT_MS,
      ...(config.OPENAI_BASE_URL !== undefined ? { baseURL: config.OPENAI_BASE_URL } : {}),
    });
    return { jira, llm: meteredLlm(llm, metrics) };
  }),
);

/** Lambda entry point of the compose stage (SQS event source on `herald-compose`). */
export const handler = handlerFor(async (record, ctx) => {
  if (!(await regionGate('compose', ctx.logger))) return;
  const deps: ComposeDeps = {
    ...(await secretDeps()),
    directory,
    ledger,
    queue,
    now: () => new Date(),
    env,
    maxIssues: config.JIRA_MAX_ISSUES,
    review,
    approvalRecheckSeconds,
    records,
    summaryDelaySeconds: config.HERALD_RETRY_PROFILE === 'fast' ? FAST_SUMMARY_DELAY_SECONDS : undefined,
  };
  await processRecord(record, ctx, deps);
});
