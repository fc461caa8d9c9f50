import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetScheduleCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { freePort } from '#local/Emulator';
import { localClientConfig } from '#local/localAwsConfig';
import { type Ministack, startMinistack } from '#local/Ministack';
import { postSignedWebhook } from '#local/demo';
import { type StackNames, stackNames } from '#local/stackNames';
import { herald, type HeraldRun } from '#test/e2e/ops/heraldCli';
import { versionWebhookBody } from '#test/e2e/pipeline/support';
import { type JiraStandIn, type StandInVersion, startJiraStandIn } from '#test/standins/JiraStandIn';
import { type OpenAiStandIn, startOpenAiStandIn } from '#test/standins/OpenAiStandIn';
import { QUEUE_ROLES, type QueueRole, STAGES, type StageName } from '#topology/topology';
import { type DeployedStack, deployCloudAssembly, synthStack } from './deployStack.ts';
import { StackTestError } from './errors.ts';
import { localFunctionUrl } from './knownDifferences.ts';
import { type SesRecorder, startSesRecorder } from './SesRecorder.ts';

/** The sender of every email (cdk.json's `senderEmail`). */
export const STACK_SENDER = 'releases@example.com';
const REGION = 'us-east-1';
const JIRA_EMAIL = 'herald@example.com';
const JIRA_TOKEN = 'jira-token-stack';
const OPENAI_KEY = 'sk-stack';

/** The synthesized stack deployed on ministack, with its stand-ins and what the test observes. */
export interface StackUnderTest {
  /** `envName` of the stack (`herald-<env>-…`). */
  env: string;
  names: StackNames;
  ministack: Ministack;
  jira: JiraStandIn;
  openai: OpenAiStandIn;
  /** The SES recorder every function's SES v2 client goes through. */
  ses: SesRecorder;
  deployed: DeployedStack;
  /** Milliseconds spent by `cdk synth`. */
  synthMs: number;
  webhookSecret: string;
  sqs: SQSClient;
  scheduler: SchedulerClient;
  /** Queue URLs of every stage and role. */
  queueUrls: Record<StageName, Record<QueueRole, string>>;
  /** The webhook function URL (the stack's JiraWebhookUrl output) as ministack serves it. */
  webhookUrl: string;
  /** POSTs a signed Jira version webhook to the deployed function URL; resolves with the status. */
  postVersionEvent(event: string, version: StandInVersion, timestamp?: number): Promise<number>;
  /** Runs `herald <args>` as a child process against the deployed stack. */
  herald(args: readonly string[]): Promise<HeraldRun>;
  /** Names of the release's pending schedules (`rh-<versionId>-`), sorted, with their `at()`. */
  schedulesOf(versionId: string): Promise<PendingSchedule[]>;
  /** A contact address unique to this run. */
  address(name: string, domain?: string): string;
  stop(): Promise<void>;
}

/** A pending schedule: its name, `at()` expression and time zone. */
export interface PendingSchedule {
  name: string;
  expression: string;
  timeZone: string;
}

/** The URL of every stage queue of the stack. */
const queueUrlsOf = async (
  sqs: SQSClient,
  names: StackNames,
): Promise<Record<StageName, Record<QueueRole, string>>> => {
  const urlOf = async (stage: StageName, role: QueueRole) => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: names.queues[stage][role] }));
    return [role, QueueUrl ?? ''] as const;
  };
  const perStage = await Promise.all(
    STAGES.map(async (stage) => [
      stage,
      Object.fromEntries(await Promise.all(QUEUE_ROLES.map((role) => urlOf(stage, role)))),
    ]),
  );
  return Object.fromEntries(perStage) as Record<StageName, Record<QueueRole, string>>;
};

/** What docs/DEPLOY.md step 5 does with `aws secretsmanager put-secret-value`, by secret name. */
const putSecrets = async (secrets: SecretsManagerClient, values: Record<string, string>): Promise<void> => {
  for (const [SecretId, SecretString] of Object.entries(values)) {
    await secrets.send(new PutSecretValueCommand({ SecretId, SecretString }));
  }
};

/** The release's pending schedules (`rh-<versionId>-`) in `group`, sorted by name. */
const schedulesOf = async (
  scheduler: SchedulerClient,
  group: string,
  versionId: string,
): Promise<PendingSchedule[]> => {
  const found: PendingSchedule[] = [];
  let NextToken: string | undefined;
  do {
    const page = await scheduler.send(
      new ListSchedulesCommand({ GroupName: group, NamePrefix: `rh-${versionId}-`, NextToken }),
    );
    for (const s of page.Schedules ?? []) {
      const full = await scheduler.send(new GetScheduleCommand({ GroupName: group, Name: s.Name }));
      found.push({
        name: s.Name ?? '',
        expression: full.ScheduleExpression ?? '',
        timeZone: full.ScheduleExpressionTimezone ?? '',
      });
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return found.sort((a, b) => (a.name < b.name ? -1 : 1));
};

/** Options of {@link startStackUnderTest}. */
export interface StackUnderTestOptions {
  /** Short label of the environment name (a-z). */
  label: string;
  /** Functions' LOG_LEVEL (cdk context `logLevel`). Default `HERALD_STACK_LOG_LEVEL`, else `warn`. */
  logLevel?: string;
}

/**
 * Starts the Jira and OpenAI stand-ins, the SES recorder and ministack (its Lambda workers on the
 * pinned Node, OPENAI_BASE_URL and AWS_ENDPOINT_URL_SESV2 in their environment: knownDifferences
 * `function-env-from-emulator`), synthesizes the stack with `cdk synth` (the stand-in's URL as
 * `jiraSiteUrl`) and deploys it as `cdk deploy` would; then puts the three secrets
 * (docs/DEPLOY.md step 5) and leaves the directory to `herald`.
 */
export const startStackUnderTest = async (options: StackUnderTestOptions): Promise<StackUnderTest> => {
  const env = `${options.label.slice(0, 12)}${randomBytes(2).toString('hex')}`;
  const names = stackNames(env);
  const jira = await startJiraStandIn({ email: JIRA_EMAIL, apiToken: JIRA_TOKEN });
  const openai = await startOpenAiStandIn({ apiKey: OPENAI_KEY });
  const port = await freePort();
  const ses = await startSesRecorder({ target: `http://127.0.0.1:${port}` });
  const assemblyDir = await mkdtemp(join(tmpdir(), 'herald-stack-'));
  let ministack: Ministack | undefined;
  try {
    ministack = await startMinistack({
      port,
      region: REGION,
      env: { OPENAI_BASE_URL: openai.url, AWS_ENDPOINT_URL_SESV2: ses.url },
    });
    const synthStarted = Date.now();
    await synthStack(assemblyDir, {
      envName: env,
      jiraSiteUrl: jira.url,
      jiraEmail: JIRA_EMAIL,
      senderEmail: STACK_SENDER,
      retainData: 'false',
      // knownDifferences `no-adot-layer`.
      tracing: 'false',
      logLevel: options.logLevel ?? process.env.HERALD_STACK_LOG_LEVEL ?? 'warn',
    });
    const synthMs = Date.now() - synthStarted;
    const deployed = await deployCloudAssembly({ endpoint: ministack.endpoint, assemblyDir, region: REGION });
    const config = localClientConfig(ministack.endpoint, REGION);
    const webhookSecret = randomBytes(16).toString('hex');
    await putSecrets(new SecretsManagerClient(config), {
      [names.secrets.webhookSecret]: webhookSecret,
      [names.secrets.jiraApiToken]: JIRA_TOKEN,
      [names.secrets.openaiApiKey]: OPENAI_KEY,
      // The unsubscribe links' signing keys: their own secret, a JSON array, newest first.
      [names.secrets.signingKeys]: JSON.stringify([randomBytes(32).toString('base64url')]),
    });
    const sqs = new SQSClient(config);
    const queueUrls = await queueUrlsOf(sqs, names);
    const scheduler = new SchedulerClient(config);
    const webhookUrl = localFunctionUrl(ministack.endpoint, deployed.outputs.JiraWebhookUrl ?? '');
    const endpoint = ministack.endpoint;
    const running = ministack;
    return {
      env,
      names,
      ministack,
      jira,
      openai,
      ses,
      deployed,
      synthMs,
      webhookSecret,
      sqs,
      scheduler,
      queueUrls,
      webhookUrl,
      postVersionEvent: (event, version, timestamp = Date.now()) =>
        postSignedWebhook(webhookUrl, webhookSecret, versionWebhookBody(event, version, timestamp)),
      herald: (args) =>
        herald(args, {
          env: {
            HERALD_ENV: env,
            AWS_ENDPOINT_URL: endpoint,
            AWS_REGION: REGION,
            JIRA_SITE_URL: jira.url,
            JIRA_EMAIL,
          },
        }),
      schedulesOf: (versionId) => schedulesOf(scheduler, names.scheduleGroup, versionId),
      address: (name, domain = 'example.com') => `${name}.${env}@${domain}`,
      stop: async () => {
        await running.stop();
        await Promise.all([jira.close(), openai.close(), ses.close()]);
        await rm(assemblyDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await ministack?.stop();
    await Promise.all([jira.close(), openai.close(), ses.close()]);
    await rm(assemblyDir, { recursive: true, force: true });
    const output = ministack ? `\nministack's output ended with:\n${ministack.output()}` : '';
    throw new StackTestError(`${(err as Error).message}${output}`, { cause: err });
  }
};
