import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type BootstrapResult, bootstrap } from '#local/bootstrap';
import { silentLogger } from '#shared/logger';
import { e2eClientConfig, e2eEndpoint } from '../local/support.ts';
import { type HeraldRun, herald } from './heraldCli.ts';

/** The Jira credentials an ops suite's stand-in accepts and its stack's secret holds. */
export const jiraCredentialsFor = (env: string): { email: string; apiToken: string } => ({
  email: 'ops@example.com',
  apiToken: `jira-token-${env}`,
});

/** A stack bootstrapped for one ops suite and a document client on the shared emulator. */
export interface OpsStack {
  stack: BootstrapResult;
  /** Drops undefined attributes, as the production wiring does. */
  documents: DynamoDBDocumentClient;
}

/** Bootstraps `env` on the shared emulator with the Jira token of {@link jiraCredentialsFor}. */
export const bootstrapOpsStack = async (env: string): Promise<OpsStack> => {
  const stack = await bootstrap({
    endpoint: e2eEndpoint(),
    env,
    senderEmail: 'releases@example.com',
    secrets: { webhook: 'webhook-secret', jira: jiraCredentialsFor(env).apiToken },
    logger: silentLogger(),
  });
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(e2eClientConfig()), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { stack, documents };
};

/** `herald <args> --endpoint <emulator> --env <env>`, with `baseEnv` under each run's extra env. */
export const cliFor =
  (env: string, baseEnv: Record<string, string> = {}) =>
  (args: string[], extraEnv: Record<string, string> = {}): Promise<HeraldRun> =>
    herald([...args, '--endpoint', e2eEndpoint(), '--env', env], { env: { ...baseEnv, ...extraEnv } });
