import { JiraCloud } from '#adapters/jira/JiraCloud';
import { createJiraTransport } from '#adapters/jira/jiraTransport';
import type { LlmPort } from '#adapters/llm/LlmPort';
import { OpenAiLlm } from '#adapters/llm/OpenAiLlm';
import { SecretsManagerSecrets } from '#adapters/secrets/SecretsManagerSecrets';
import { UsageError } from '#ops/cli/errors';
import type { OpsContext } from '#ops/cli/OpsContext';
import { type ReadVersion, readVersionRecord } from './readVersionRecord.ts';

/** Jira as the CLI reads it: the port the stages use, and a version read that keeps its project id. */
export interface OpsJira {
  jira: JiraCloud;
  readVersion: ReadVersion;
}

type SecretsContext = Pick<OpsContext, 'clients' | 'names'>;

/**
 * Jira for the command's environment: site and account from `JIRA_SITE_URL` and `JIRA_EMAIL`
 * (the compose stage's settings), the API token from `JIRA_API_TOKEN`, else from Secrets
 * Manager under the environment's name (`herald-<env>-jira-api-token`).
 * @throws UsageError naming what is missing; SecretMissingError (exit 2) when the secret is.
 */
export const opsJira = async (
  ctx: Pick<OpsContext, 'config' | 'secretsFromEnv' | 'logger'> & SecretsContext,
) => {
  const { JIRA_SITE_URL: siteUrl, JIRA_EMAIL: email, JIRA_TIMEOUT_MS: timeoutMs } = ctx.config;
  if (siteUrl === undefined || email === undefined) {
    throw new UsageError(
      'Jira is not configured: set JIRA_SITE_URL and JIRA_EMAIL (and JIRA_API_TOKEN, or keep it in Secrets Manager)',
    );
  }
  const apiToken =
    ctx.secretsFromEnv.jiraApiToken ??
    (await new SecretsManagerSecrets({ client: ctx.clients.secrets }).get(ctx.names.secrets.jiraApiToken));
  const transport = createJiraTransport({ siteUrl, email, apiToken, timeoutMs });
  return {
    jira: new JiraCloud({ siteUrl, email, apiToken, timeoutMs, client: transport, logger: ctx.logger }),
    readVersion: (versionId: string) => readVersionRecord(transport, versionId),
  } satisfies OpsJira;
};

/**
 * The LLM the compose stage would use: the key from `OPENAI_API_KEY`, else Secrets Manager
 * (`herald-<env>-openai-api-key`); undefined when there is none (template emails, as compose).
 */
export const opsLlm = async (
  ctx: Pick<OpsContext, 'config' | 'secretsFromEnv'> & SecretsContext,
): Promise<LlmPort | undefined> => {
  const apiKey =
    ctx.secretsFromEnv.openaiApiKey ??
    (await new SecretsManagerSecrets({ client: ctx.clients.secrets }).getOptional(
      ctx.names.secrets.openaiApiKey,
    ));
  if (apiKey === undefined) return undefined;
  return new OpenAiLlm({
    apiKey,
    model: ctx.config.OPENAI_MODEL,
    timeoutMs: ctx.config.OPENAI_TIMEOUT_MS,
    ...(ctx.config.OPENAI_BASE_URL !== undefined ? { baseURL: ctx.config.OPENAI_BASE_URL } : {}),
  });
};
