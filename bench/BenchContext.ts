import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localClientConfig } from '#local/localAwsConfig';
import type { WorkerOptions } from '#local/worker';
import type { JiraStandIn } from '#test/standins/JiraStandIn';
import type { OpenAiStandIn } from '#test/standins/OpenAiStandIn';
import { WorkerProcess } from './WorkerProcess.ts';

/** Credentials of the stand-ins (they check them; nothing here is a real secret). */
export const STANDIN_CREDENTIALS = {
  jiraEmail: 'bench@example.com',
  jiraToken: 'bench-jira-token',
  openaiKey: 'bench-openai-key',
  webhookSecret: 'bench-webhook-secret',
  senderEmail: 'releases@example.com',
} as const;

/** What every benchmark and the chaos run share: the emulator, its clients and the stand-ins. */
export interface BenchContext {
  endpoint: string;
  sqs: SQSClient;
  scheduler: SchedulerClient;
  documents: DynamoDBDocumentClient;
  jira: JiraStandIn;
  openai: OpenAiStandIn;
  /** Folder for worker logs. */
  logDir: string;
  /** Progress lines for a person. */
  say: (text: string) => void;
}

/** AWS clients on the emulator at `endpoint`; `destroy()` closes them. */
export const emulatorClients = (endpoint: string) => {
  const config = localClientConfig(endpoint);
  const sqs = new SQSClient(config);
  const scheduler = new SchedulerClient(config);
  const dynamo = new DynamoDBClient(config);
  const documents = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  return {
    sqs,
    scheduler,
    documents,
    destroy: () => {
      sqs.destroy();
      scheduler.destroy();
      documents.destroy();
      dynamo.destroy();
    },
  };
};

/** A fresh environment name (`<label>-<6 hex>`, at most 20 characters) so runs never share resources. */
export const freshEnv = (label: string): string => `${label.slice(0, 13)}-${randomBytes(3).toString('hex')}`;

/** Worker options for the context's emulator and stand-ins; `overrides` win. */
export const workerOptionsFor = (
  ctx: Pick<BenchContext, 'endpoint' | 'jira' | 'openai'>,
  env: string,
  overrides: Partial<WorkerOptions> = {},
): WorkerOptions => ({
  endpoint: ctx.endpoint,
  env,
  jira: {
    siteUrl: ctx.jira.url,
    email: STANDIN_CREDENTIALS.jiraEmail,
    apiToken: STANDIN_CREDENTIALS.jiraToken,
  },
  openai: { apiKey: STANDIN_CREDENTIALS.openaiKey, baseURL: ctx.openai.url },
  webhookSecret: STANDIN_CREDENTIALS.webhookSecret,
  senderEmail: STANDIN_CREDENTIALS.senderEmail,
  ...overrides,
});

/** Starts a worker for `env`, logging to `<logDir>/<env>.log`. */
export const startWorker = async (
  ctx: BenchContext,
  env: string,
  overrides: Partial<WorkerOptions> = {},
): Promise<WorkerProcess> => {
  const worker = new WorkerProcess(workerOptionsFor(ctx, env, overrides), {
    logFile: join(ctx.logDir, `${env}.log`),
  });
  await worker.start();
  return worker;
};
