import { DynamoDirectory } from '#adapters/directory/DynamoDirectory';
import { JiraCloud } from '#adapters/jira/JiraCloud';
import type { JiraPort } from '#adapters/jira/JiraPort';
import { SqsQueue } from '#adapters/queue/SqsQueue';
import { SecretsManagerSecrets } from '#adapters/secrets/SecretsManagerSecrets';
import { createSqsHandler } from '#retry/createSqsHandler';
import { loadConfig, requireConfig } from '#shared/config';
import { lazyOnce } from '#shared/lazyOnce';
import { createLogger } from '#shared/logger';
import { resourceName, topology } from '#topology/topology';
import { type EnrichDeps, processRecord } from './processRecord.ts';

const config = loadConfig();
const env = config.HERALD_ENV;
const { JIRA_SITE_URL, JIRA_EMAIL } = requireConfig(config, 'JIRA_SITE_URL', 'JIRA_EMAIL');
// createSqsHandler binds `stage` to each record's logger: give it the root logger.
const logger = createLogger({ level: config.LOG_LEVEL });
const queue = new SqsQueue({});
const directory = new DynamoDirectory({ tableName: resourceName(topology.tables.directory, env) });
const secrets = new SecretsManagerSecrets({});
const jiraTokenName = resourceName(topology.secrets.jiraApiToken, env);

// Built on first use (see lazyOnce): a failed build is not cached.
const jira = lazyOnce(
  async (): Promise<JiraPort> =>
    new JiraCloud({
      siteUrl: JIRA_SITE_URL,
      email: JIRA_EMAIL,
      apiToken: await secrets.get(jiraTokenName),
      timeoutMs: config.JIRA_TIMEOUT_MS,
    }),
);

/** Lambda entry point of the enrich stage (SQS event source on `herald-enrich`). */
export const handler = createSqsHandler({
  retryProfile: config.HERALD_RETRY_PROFILE,
  stage: 'enrich',
  env,
  queue,
  logger,
  processRecord: async (record, ctx) => {
    const deps: EnrichDeps = { jira: await jira(), directory, queue, env, now: () => new Date() };
    await processRecord(record, ctx, deps);
  },
});
