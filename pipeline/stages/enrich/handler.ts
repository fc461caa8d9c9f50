import { DynamoDirectory } from '#adapters/directory/DynamoDirectory';
import { JiraCloud } from '#adapters/jira/JiraCloud';
import type { JiraPort } from '#adapters/jira/JiraPort';
import { SecretsManagerSecrets } from '#adapters/secrets/SecretsManagerSecrets';
import { requireConfig } from '#shared/config';
import { lazyOnce } from '#shared/lazyOnce';
import { sqsStageWiring } from '#stages/shared/sqsStageWiring';
import { resourceName, topology } from '#topology/topology';
import { type EnrichDeps, processRecord } from './processRecord.ts';

const { config, env, queue, handlerFor } = sqsStageWiring('enrich');
const { JIRA_SITE_URL, JIRA_EMAIL } = requireConfig(config, 'JIRA_SITE_URL', 'JIRA_EMAIL');
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
export const handler = handlerFor(async (record, ctx) => {
  const deps: EnrichDeps = { jira: await jira(), directory, queue, env, now: () => new Date() };
  await processRecord(record, ctx, deps);
});
