import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StackNames } from '#local/stackNames';
import type { Config } from '#shared/config';
import type { Log } from '#shared/logger';
import type { AwsSettings } from './awsSettings.ts';
import type { Confirm } from './confirm.ts';
import type { OperatorEnvironment } from './opsEnvironment.ts';
import type { Output } from './Output.ts';
import type { ProgressFactory } from './progress.ts';

/** The AWS SDK clients of one command, each built on first use with the command's settings. */
export interface OpsClients {
  readonly sqs: SQSClient;
  readonly scheduler: SchedulerClient;
  /** Document client (`removeUndefinedValues`), as the directory adapter expects. */
  readonly documents: DynamoDBDocumentClient;
  readonly secrets: SecretsManagerClient;
  /** Closes every client built (sockets), so the process can exit at once. */
  destroy(): void;
}

/** Everything a command's action needs: where it runs, its clients and how it talks to the operator. */
export interface OpsContext {
  /** Environment name (`--env` / `HERALD_ENV`); empty for the default environment. */
  env: string;
  /** Physical names of the environment's resources (from the topology). */
  names: StackNames;
  aws: AwsSettings;
  /** The pipeline configuration read from the environment (JIRA_SITE_URL, OPENAI_MODEL, ...). */
  config: Config;
  /** Secrets handed over in the environment (`JIRA_API_TOKEN`, `OPENAI_API_KEY`), if any. */
  secretsFromEnv: { jiraApiToken: string | undefined; openaiApiKey: string | undefined };
  clients: OpsClients;
  output: Output;
  progress: ProgressFactory;
  confirm: Confirm;
  /** Clock (ages, `occurredAt` of replays). */
  now: () => Date;
  /** Logger of the adapters and cores the CLI calls: silent unless `--verbose` (JSON on stderr). */
  logger: Log;
  /** The operator's name and editor (USER, VISUAL/EDITOR), for `herald drafts`. */
  operator: OperatorEnvironment;
}
