import { randomBytes } from 'node:crypto';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateScheduleGroupCommand,
  GetScheduleGroupCommand,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  CreateConfigurationSetCommand,
  CreateEmailIdentityCommand,
  SESv2Client,
} from '@aws-sdk/client-sesv2';
import { SES_EVENT_SOURCE, SES_FEEDBACK_DETAIL_TYPES } from '#stages/feedback/sesFeedbackEvent';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type Log, maskEmail } from '#shared/logger';
import {
  DLQ_RETENTION_SECONDS,
  type QueueRole,
  rescheduleRedriveMaxReceiveCount,
  STAGES,
  type StageName,
  topology,
} from '#topology/topology';
import { BootstrapError } from './errors.ts';
import { LOCAL_AWS_REGION, localClientConfig } from './localAwsConfig.ts';
import { type StackNames, stackNames } from './stackNames.ts';

/** A queue as the local stack addresses it. */
export interface QueueRef {
  /** Queue name, e.g. `herald-compose-dlq`. */
  name: string;
  /** Queue URL (SQS API calls). */
  url: string;
  /** Queue ARN (redrive policies, rule and schedule targets, `eventSourceARN`). */
  arn: string;
}

/** The three queues of every stage. */
export type StackQueues = Record<StageName, Record<QueueRole, QueueRef>>;

/** The secret values to store; an absent one is not created (the stage that needs it fails loudly). */
export interface BootstrapSecrets {
  /** Jira API token. */
  jira?: string | undefined;
  /** OpenAI API key. */
  openai?: string | undefined;
  /** HMAC secret of the Jira webhook. */
  webhook: string;
  /**
   * The signing-keys secret's value (a JSON array of keys, newest first). Default: kept when the
   * secret exists (links already sent keep working across restarts), else one random key.
   */
  signingKeys?: string | undefined;
}

/** Options of {@link bootstrap}. */
export interface BootstrapOptions {
  /** Emulator endpoint, e.g. `http://127.0.0.1:PORT`. */
  endpoint: string;
  /** Environment name (`HERALD_ENV`) appended to every resource name. Default none. */
  env?: string;
  /** AWS region. Default `us-east-1`. */
  region?: string;
  /** From address of every email: created as an SES v2 email identity. */
  senderEmail: string;
  /** Secret values stored in Secrets Manager under the topology's names. */
  secrets: BootstrapSecrets;
  logger: Log;
}

/** What {@link bootstrap} created (or found). */
export interface BootstrapResult {
  /** Every name, as {@link stackNames} gives them. */
  names: StackNames;
  /** Region the resources are in. */
  region: string;
  /** URL and ARN of every queue. */
  queues: StackQueues;
  /** ARN of the EventBridge bus. */
  busArn: string;
  /** ARN of the rule routing version events to the ingest queue. */
  ruleArn: string;
  /** ARN of the Scheduler group. */
  scheduleGroupArn: string;
  /** The queue the SES feedback rule on the default bus targets (local stand-in for the feedback function's invocations). */
  feedbackQueue: QueueRef;
}

const isAwsError = (err: unknown, ...names: string[]): boolean =>
  err instanceof Error && (names.includes(err.name) || names.includes((err as { Code?: string }).Code ?? ''));

/** Runs one bootstrap step, turning an SDK failure into a {@link BootstrapError} naming the resource. */
const step = async <T>(resource: string, what: string, fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof BootstrapError) throw err;
    throw new BootstrapError(resource, `${what} ${resource} failed: ${(err as Error).message}`, {
      cause: err,
    });
  }
};

const ensureQueue = async (
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<QueueRef> =>
  step(name, 'creating queue', async () => {
    // CreateQueue fails when an existing queue has other attributes: update those instead,
    // so that a changed topology converges on the next run.
    let url: string | undefined;
    try {
      url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
    } catch (err) {
      if (!isAwsError(err, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue')) throw err;
    }
    if (url) {
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
    } else {
      url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl;
    }
    if (!url) throw new BootstrapError(name, `SQS returned no URL for ${name}`);
    const got = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
    );
    const arn = got.Attributes?.QueueArn;
    if (!arn) throw new BootstrapError(name, `SQS returned no ARN for ${name}`);
    return { name, url, arn };
  });

const redrive = (deadLetterTargetArn: string, maxReceiveCount: number) =>
  JSON.stringify({ deadLetterTargetArn, maxReceiveCount });

/** DLQ, then reschedule queue (redrive → DLQ), then main queue (redrive → reschedule queue). */
const ensureStageQueues = async (
  sqs: SQSClient,
  stage: StageName,
  names: StackNames,
): Promise<Record<QueueRole, QueueRef>> => {
  const settings = topology.stages[stage];
  const dlq = await ensureQueue(sqs, names.queues[stage].dlq, {
    MessageRetentionPeriod: String(DLQ_RETENTION_SECONDS),
  });
  const reschedule = await ensureQueue(sqs, names.queues[stage].reschedule, {
    VisibilityTimeout: String(topology.rescheduleQueue.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(settings.retentionSeconds),
    // moto keeps a message's receive count when it redrives it from the main queue. LocalStack
    // restarts it as AWS does; the rescheduler then gets a few more attempts, which is harmless.
    RedrivePolicy: redrive(
      dlq.arn,
      rescheduleRedriveMaxReceiveCount(stage, { receiveCountCarriesOver: true }),
    ),
  });
  const main = await ensureQueue(sqs, names.queues[stage].main, {
    VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(settings.retentionSeconds),
    RedrivePolicy: redrive(reschedule.arn, settings.retry.maxReceiveCount),
  });
  return { main, reschedule, dlq };
};

const ensureBus = async (events: EventBridgeClient, names: StackNames, ingestArn: string) =>
  step(names.bus, 'creating event bus', async () => {
    let busArn: string | undefined;
    try {
      busArn = (await events.send(new DescribeEventBusCommand({ Name: names.bus }))).Arn;
    } catch (err) {
      if (!isAwsError(err, 'ResourceNotFoundException')) throw err;
    }
    busArn ??= (await events.send(new CreateEventBusCommand({ Name: names.bus }))).EventBusArn;
    if (!busArn) throw new BootstrapError(names.bus, `EventBridge returned no ARN for bus ${names.bus}`);
    // PutRule and PutTargets are upserts: running them again converges on the topology.
    const { RuleArn } = await events.send(
      new PutRuleCommand({
        Name: names.rule,
        EventBusName: names.bus,
        State: 'ENABLED',
        Description: 'Jira version events to the ingest queue',
        EventPattern: JSON.stringify({
          source: [topology.rule.source],
          'detail-type': [{ prefix: topology.rule.detailTypePrefix }],
        }),
      }),
    );
    const targets = await events.send(
      new PutTargetsCommand({
        Rule: names.rule,
        EventBusName: names.bus,
        Targets: [{ Id: 'ingest-queue', Arn: ingestArn }],
      }),
    );
    if (targets.FailedEntryCount) {
      const [failed] = targets.FailedEntries ?? [];
      throw new BootstrapError(
        names.rule,
        `PutTargets on rule ${names.rule} failed: ${failed?.ErrorCode} ${failed?.ErrorMessage}`,
      );
    }
    if (!RuleArn) throw new BootstrapError(names.rule, `EventBridge returned no ARN for rule ${names.rule}`);
    return { busArn, ruleArn: RuleArn };
  });

const ensureScheduleGroup = async (scheduler: SchedulerClient, name: string): Promise<string> =>
  step(name, 'creating schedule group', async () => {
    // Look before creating: moto's CreateScheduleGroup on an existing name replaces the group
    // and silently drops its schedules (AWS answers ConflictException).
    try {
      const { Arn } = await scheduler.send(new GetScheduleGroupCommand({ Name: name }));
      if (Arn) return Arn;
    } catch (err) {
      if (!isAwsError(err, 'ResourceNotFoundException')) throw err;
    }
    try {
      const { ScheduleGroupArn } = await scheduler.send(new CreateScheduleGroupCommand({ Name: name }));
      if (ScheduleGroupArn) return ScheduleGroupArn;
    } catch (err) {
      if (!isAwsError(err, 'ConflictException')) throw err;
    }
    const { Arn } = await scheduler.send(new GetScheduleGroupCommand({ Name: name }));
    if (!Arn) throw new BootstrapError(name, `Scheduler returned no ARN for group ${name}`);
    return Arn;
  });

const ensureTable = async (
  dynamo: DynamoDBClient,
  name: string,
  keys: readonly { name: string; type: 'HASH' | 'RANGE' }[],
  ttlAttribute?: string,
): Promise<void> =>
  step(name, 'creating table', async () => {
    try {
      await dynamo.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: keys.map((k) => ({ AttributeName: k.name, AttributeType: 'S' })),
          KeySchema: keys.map((k) => ({ AttributeName: k.name, KeyType: k.type })),
        }),
      );
    } catch (err) {
      if (!isAwsError(err, 'ResourceInUseException')) throw err;
    }
    // Emulators create tables ACTIVE at once; a real DynamoDB (or a slow emulator) takes seconds.
    for (let waited = 0; ; waited += 250) {
      const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: name }));
      if (Table?.TableStatus === 'ACTIVE') break;
      if (waited > 30_000)
        throw new BootstrapError(name, `table ${name} is still ${Table?.TableStatus} after 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    if (!ttlAttribute) return;
    // UpdateTimeToLive fails when TTL is already enabled: look first.
    const { TimeToLiveDescription } = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: name }));
    const status = TimeToLiveDescription?.TimeToLiveStatus;
    if (
      (status === 'ENABLED' || status === 'ENABLING') &&
      TimeToLiveDescription?.AttributeName === ttlAttribute
    ) {
      return;
    }
    await dynamo.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
      }),
    );
  });

const ensureSecret = async (secrets: SecretsManagerClient, name: string, value: string): Promise<void> =>
  step(name, 'storing secret', async () => {
    try {
      await secrets.send(new CreateSecretCommand({ Name: name, SecretString: value }));
    } catch (err) {
      if (!isAwsError(err, 'ResourceExistsException')) throw err;
      await secrets.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
    }
  });

/** Creates a signing-keys secret (unsubscribe or review links) with one random key when it does not exist; never replaces it. */
const ensureSigningKeys = async (secrets: SecretsManagerClient, name: string): Promise<void> =>
  step(name, 'creating signing keys', async () => {
    try {
      const value = JSON.stringify([randomBytes(32).toString('base64url')]);
      await secrets.send(new CreateSecretCommand({ Name: name, SecretString: value }));
    } catch (err) {
      if (!isAwsError(err, 'ResourceExistsException')) throw err;
    }
  });

const ensureEmailIdentity = async (ses: SESv2Client, email: string): Promise<void> =>
  step(maskEmail(email), 'creating email identity', async () => {
    try {
      await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: email }));
    } catch (err) {
      if (!isAwsError(err, 'AlreadyExistsException')) throw err;
    }
  });

/**
 * SES feedback as the CDK stack wires it, with a queue in place of the function: the SES
 * configuration set, and a rule on the default bus matching this configuration set's SES events
 * (the detail-types feedback handles) that targets the feedback queue (redrive → feedback DLQ
 * after 3 receives, as Lambda's 2 asynchronous retries).
 */
const ensureFeedbackRoute = async (
  sqs: SQSClient,
  events: EventBridgeClient,
  ses: SESv2Client,
  names: StackNames,
): Promise<QueueRef> => {
  const { feedback } = names;
  await step(feedback.configurationSet, 'creating configuration set', async () => {
    try {
      await ses.send(new CreateConfigurationSetCommand({ ConfigurationSetName: feedback.configurationSet }));
    } catch (err) {
      if (!isAwsError(err, 'AlreadyExistsException', 'ConfigurationSetAlreadyExistsException')) throw err;
    }
  });
  const dlq = await ensureQueue(sqs, feedback.dlq, { MessageRetentionPeriod: String(DLQ_RETENTION_SECONDS) });
  const queue = await ensureQueue(sqs, feedback.queue, {
    VisibilityTimeout: String(topology.feedback.fn.timeoutSeconds + 5),
    RedrivePolicy: redrive(dlq.arn, 3),
  });
  await step(feedback.rule, 'creating rule', async () => {
    await events.send(
      new PutRuleCommand({
        Name: feedback.rule,
        EventBusName: 'default',
        State: 'ENABLED',
        Description: `SES events of ${feedback.configurationSet} to the feedback queue`,
        EventPattern: JSON.stringify({
          source: [SES_EVENT_SOURCE],
          'detail-type': [...SES_FEEDBACK_DETAIL_TYPES],
          detail: { mail: { tags: { 'ses:configuration-set': [feedback.configurationSet] } } },
        }),
      }),
    );
    const targets = await events.send(
      new PutTargetsCommand({
        Rule: feedback.rule,
        EventBusName: 'default',
        Targets: [{ Id: 'feedback-queue', Arn: queue.arn }],
      }),
    );
    if (targets.FailedEntryCount) {
      const [failed] = targets.FailedEntries ?? [];
      throw new BootstrapError(
        feedback.rule,
        `PutTargets failed: ${failed?.ErrorCode} ${failed?.ErrorMessage}`,
      );
    }
  });
  return queue;
};

/**
 * Creates every resource of the topology in the emulator, or brings existing ones in line with
 * it: per stage a DLQ (14 days), a reschedule queue (`topology.rescheduleQueue`; redrive → DLQ
 * after {@link rescheduleRedriveMaxReceiveCount} with moto's carried-over receive count) and a main queue (visibility, retention,
 * redrive → reschedule queue after the stage's `maxReceiveCount`); the EventBridge bus and the
 * rule `source=jira, detail-type prefix jira:version_` targeting the ingest queue; the Scheduler
 * group; the directory (`pk`, `sk`) and ledger (`pk`, TTL `expiresAt`) tables; the secrets (the
 * signing keys generated once when not given); the sender's SES v2 email identity; the SES
 * configuration set and the rule on the default bus routing its events to the local feedback
 * queue. Idempotent: run it on every start. Names come from
 * {@link stackNames}. Queue policies and IAM are not created (emulators do not enforce them).
 * @throws {BootstrapError} naming the resource that failed.
 */
export const bootstrap = async (options: BootstrapOptions): Promise<BootstrapResult> => {
  const started = Date.now();
  const env = options.env ?? '';
  const region = options.region ?? LOCAL_AWS_REGION;
  const names = stackNames(env);
  const config = localClientConfig(options.endpoint, region);
  const sqs = new SQSClient(config);
  const events = new EventBridgeClient(config);
  const scheduler = new SchedulerClient(config);
  const dynamo = new DynamoDBClient(config);
  const secrets = new SecretsManagerClient(config);
  const ses = new SESv2Client(config);
  try {
    const [stageQueues, scheduleGroupArn] = await Promise.all([
      Promise.all(STAGES.map((stage) => ensureStageQueues(sqs, stage, names))),
      ensureScheduleGroup(scheduler, names.scheduleGroup),
      ensureTable(dynamo, names.tables.directory, [
        { name: 'pk', type: 'HASH' },
        { name: 'sk', type: 'RANGE' },
      ]),
      ensureTable(dynamo, names.tables.ledger, [{ name: 'pk', type: 'HASH' }], 'expiresAt'),
      options.secrets.jira === undefined
        ? undefined
        : ensureSecret(secrets, names.secrets.jiraApiToken, options.secrets.jira),
      options.secrets.openai === undefined
        ? undefined
        : ensureSecret(secrets, names.secrets.openaiApiKey, options.secrets.openai),
      ensureSecret(secrets, names.secrets.webhookSecret, options.secrets.webhook),
      options.secrets.signingKeys === undefined
        ? ensureSigningKeys(secrets, names.secrets.signingKeys)
        : ensureSecret(secrets, names.secrets.signingKeys, options.secrets.signingKeys),
      // Approve/Hold links of review emails: a key of their own, created once, never replaced.
      ensureSigningKeys(secrets, names.secrets.reviewSigningKeys),
      ensureEmailIdentity(ses, options.senderEmail),
    ]);
    const queues = Object.fromEntries(STAGES.map((stage, i) => [stage, stageQueues[i]])) as StackQueues;
    const { busArn, ruleArn } = await ensureBus(events, names, queues.ingest.main.arn);
    const feedbackQueue = await ensureFeedbackRoute(sqs, events, ses, names);
    const skipped = [
      ...(options.secrets.jira === undefined ? [names.secrets.jiraApiToken] : []),
      ...(options.secrets.openai === undefined ? [names.secrets.openaiApiKey] : []),
    ];
    if (skipped.length > 0) options.logger.warn({ secrets: skipped }, 'bootstrap_secrets_not_set');
    options.logger.info(
      {
        env,
        region,
        queues: STAGES.length * 3,
        bus: names.bus,
        scheduleGroup: names.scheduleGroup,
        sender: maskEmail(options.senderEmail),
        durationMs: Date.now() - started,
      },
      'bootstrap_done',
    );
    return { names, region, queues, busArn, ruleArn, scheduleGroupArn, feedbackQueue };
  } finally {
    for (const client of [sqs, events, scheduler, dynamo, secrets, ses]) client.destroy();
  }
};
