import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateScheduleCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import {
  GetQueueAttributesCommand,
  ListQueuesCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BootstrapResult, bootstrap } from '#local/bootstrap';
import { silentLogger } from '#shared/logger';
import {
  DLQ_RETENTION_SECONDS,
  rescheduleRedriveMaxReceiveCount,
  resourceName,
  STAGES,
  topology,
} from '#topology/topology';
import { e2eClientConfig, e2eEndpoint, receiveNow, uniqueEnv, waitFor } from './support.ts';

const SENDER = 'releases@example.com';

describe('Function: bootstrap', () => {
  const env = uniqueEnv('boot');
  const config = e2eClientConfig();
  const sqs = new SQSClient(config);
  const scheduler = new SchedulerClient(config);
  let first: BootstrapResult;
  let second: BootstrapResult;

  const run = (webhook: string) =>
    bootstrap({
      endpoint: e2eEndpoint(),
      env,
      senderEmail: SENDER,
      secrets: { jira: 'jira-token', openai: 'openai-key', webhook },
      logger: silentLogger(),
    });

  const attributesOf = async (url: string) =>
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ??
    {};

  beforeAll(async () => {
    first = await run('webhook-secret-1');
    // A schedule in the group must survive a second run (moto's CreateScheduleGroup would drop it).
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'rh-survivor',
        GroupName: first.names.scheduleGroup,
        ScheduleExpression: 'at(2030-01-01T09:00:00)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: first.queues.compose.main.arn,
          RoleArn: 'arn:aws:iam::123456789012:role/herald-scheduler',
          Input: '{}',
        },
      }),
    );
    second = await run('webhook-secret-2');
  });

  afterAll(() => {
    for (const client of [sqs, scheduler]) client.destroy();
  });

  it('finds the same resources when run twice', async () => {
    // Arrange: both runs happened in beforeAll.
    // Act
    const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: `herald-${env}-` }));

    // Assert
    expect(second).toEqual(first);
    // Every stage's three queues, and the SES feedback queue with its DLQ.
    expect(QueueUrls).toHaveLength(STAGES.length * 3 + 2);
    expect(QueueUrls.map((url) => url.split('/').at(-1))).toEqual(
      expect.arrayContaining([`herald-${env}-feedback-events`, `herald-${env}-feedback-dlq`]),
    );
    expect(first.feedbackQueue.name).toBe(`herald-${env}-feedback-events`);
    expect(first.names.bus).toBe(resourceName(topology.bus, env));
    expect(first.names.scheduleGroup).toBe(resourceName(topology.scheduleGroup, env));
    expect(first.queues.compose.dlq.name).toBe(`herald-${env}-compose-dlq`);
  });

  it('redrives every main queue to its reschedule queue after the topology maxReceiveCount', async () => {
    for (const stage of STAGES) {
      // Act
      const main = await attributesOf(second.queues[stage].main.url);

      // Assert
      expect(JSON.parse(main.RedrivePolicy ?? '{}')).toEqual({
        deadLetterTargetArn: second.queues[stage].reschedule.arn,
        maxReceiveCount: topology.stages[stage].retry.maxReceiveCount,
      });
      expect(Number(main.VisibilityTimeout)).toBe(topology.stages[stage].visibilityTimeoutSeconds);
      expect(Number(main.MessageRetentionPeriod)).toBe(topology.stages[stage].retentionSeconds);
    }
  });

  it('redrives every reschedule queue to its DLQ and keeps DLQ messages 14 days', async () => {
    for (const stage of STAGES) {
      // Act
      const reschedule = await attributesOf(second.queues[stage].reschedule.url);
      const dlq = await attributesOf(second.queues[stage].dlq.url);

      // Assert
      expect(JSON.parse(reschedule.RedrivePolicy ?? '{}')).toEqual({
        deadLetterTargetArn: second.queues[stage].dlq.arn,
        // moto carries the receive count over from the main queue (see the next test).
        maxReceiveCount:
          topology.stages[stage].retry.maxReceiveCount + topology.rescheduleQueue.maxReceiveCount,
      });
      expect(rescheduleRedriveMaxReceiveCount(stage, { receiveCountCarriesOver: true })).toBe(
        topology.stages[stage].retry.maxReceiveCount + topology.rescheduleQueue.maxReceiveCount,
      );
      expect(Number(reschedule.VisibilityTimeout)).toBe(topology.rescheduleQueue.visibilityTimeoutSeconds);
      expect(Number(dlq.MessageRetentionPeriod)).toBe(DLQ_RETENTION_SECONDS);
      expect(dlq.RedrivePolicy).toBeUndefined();
    }
  });

  it('gives the rescheduler its attempts at a message redriven from the main queue before the DLQ', async () => {
    // Arrange: a message received (and given back at once) maxReceiveCount times on the main
    // queue; the next receive redrives it to the reschedule queue.
    const queues = second.queues.schedule;
    await sqs.send(new SendMessageCommand({ QueueUrl: queues.main.url, MessageBody: 'redrive-probe' }));
    for (let i = 0; i < topology.stages.schedule.retry.maxReceiveCount; i++) {
      expect(await receiveNow(sqs, queues.main.url, 0)).toHaveLength(1);
    }
    expect(await receiveNow(sqs, queues.main.url, 0)).toHaveLength(0);

    // Act: receive it on the reschedule queue until the emulator moves it on.
    const receiveCounts: number[] = [];
    for (let i = 0; i < 20; i++) {
      const [message] = await receiveNow(sqs, queues.reschedule.url, 0);
      if (message === undefined) break;
      receiveCounts.push(Number(message.Attributes?.ApproximateReceiveCount));
    }

    // Assert: a redrive policy of a bare rescheduleQueue.maxReceiveCount would give none,
    // because moto's count arrives at the main queue's maxReceiveCount.
    expect(receiveCounts.length).toBeGreaterThanOrEqual(topology.rescheduleQueue.maxReceiveCount);
    const dead = await receiveNow(sqs, queues.dlq.url);
    expect(dead.map((m) => m.Body)).toEqual(['redrive-probe']);
  });

  it('restores a queue attribute that drifted from the topology', async () => {
    // Arrange
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: second.queues.send.main.url,
        Attributes: { VisibilityTimeout: '1' },
      }),
    );

    // Act
    await run('webhook-secret-2');

    // Assert
    const main = await attributesOf(second.queues.send.main.url);
    expect(Number(main.VisibilityTimeout)).toBe(topology.stages.send.visibilityTimeoutSeconds);
  });

  it('keeps the schedule group and its schedules', async () => {
    // Act
    const group = await scheduler.send(new GetScheduleGroupCommand({ Name: second.names.scheduleGroup }));
    const schedule = await scheduler.send(
      new GetScheduleCommand({ Name: 'rh-survivor', GroupName: second.names.scheduleGroup }),
    );

    // Assert
    expect(group.Arn).toBe(second.scheduleGroupArn);
    expect(schedule.Name).toBe('rh-survivor');
  });

  it('creates the directory and ledger tables, the ledger with TTL on expiresAt', async () => {
    // Arrange
    const dynamo = new DynamoDBClient(config);

    // Act
    const directory = await dynamo.send(
      new DescribeTableCommand({ TableName: second.names.tables.directory }),
    );
    const ledger = await dynamo.send(new DescribeTableCommand({ TableName: second.names.tables.ledger }));
    const ttl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: second.names.tables.ledger }));
    dynamo.destroy();

    // Assert
    expect(directory.Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(ledger.Table?.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    expect(ttl.TimeToLiveDescription).toMatchObject({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'expiresAt',
    });
  });

  it('stores the latest secret values and the sender identity', async () => {
    // Arrange
    const secrets = new SecretsManagerClient(config);
    const ses = new SESv2Client(config);

    // Act
    const webhook = await secrets.send(
      new GetSecretValueCommand({ SecretId: second.names.secrets.webhookSecret }),
    );
    const jira = await secrets.send(
      new GetSecretValueCommand({ SecretId: second.names.secrets.jiraApiToken }),
    );
    const identity = await ses.send(new GetEmailIdentityCommand({ EmailIdentity: SENDER }));
    secrets.destroy();
    ses.destroy();

    // Assert
    expect(webhook.SecretString).toBe('webhook-secret-2');
    expect(jira.SecretString).toBe('jira-token');
    expect(identity.IdentityType).toBe('EMAIL_ADDRESS');
  });

  it('routes version events from the bus to the ingest queue and drops other events', async () => {
    // Arrange
    const events = new EventBridgeClient(config);
    const entry = (source: string, detailType: string) => ({
      EventBusName: second.names.bus,
      Source: source,
      DetailType: detailType,
      Detail: JSON.stringify({ webhookEvent: detailType, version: { id: '10042' } }),
    });

    // Act
    const put = await events.send(
      new PutEventsCommand({
        Entries: [
          entry('jira', 'jira:issue_created'),
          entry('other', 'jira:version_released'),
          entry('jira', 'jira:version_released'),
        ],
      }),
    );
    events.destroy();
    const delivered = await waitFor('the version event in the ingest queue', async () => {
      const messages = await receiveNow(sqs, second.queues.ingest.main.url);
      return messages.length > 0 ? messages : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const late = await receiveNow(sqs, second.queues.ingest.main.url);

    // Assert
    expect(put.FailedEntryCount).toBe(0);
    expect([...delivered, ...late]).toHaveLength(1);
    expect(JSON.parse(delivered[0]?.Body ?? '{}')).toMatchObject({
      source: 'jira',
      'detail-type': 'jira:version_released',
      detail: { version: { id: '10042' } },
    });
  });
  it('routes SES events of its configuration set from the default bus to the feedback queue and drops other sets', async () => {
    // Arrange
    const events = new EventBridgeClient(config);
    const sesEvent = (configurationSet: string, messageId: string) => ({
      Source: 'aws.ses',
      DetailType: 'Email Sent',
      Detail: JSON.stringify({
        eventType: 'Send',
        mail: { messageId, tags: { 'ses:configuration-set': [configurationSet] } },
        send: {},
      }),
    });

    // Act
    const put = await events.send(
      new PutEventsCommand({
        Entries: [
          sesEvent('someone-else', 'm-other'),
          sesEvent(second.names.feedback.configurationSet, 'm-ours'),
        ],
      }),
    );
    events.destroy();
    const delivered = await waitFor('the SES event in the feedback queue', async () => {
      const messages = await receiveNow(sqs, second.feedbackQueue.url);
      return messages.length > 0 ? messages : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const late = await receiveNow(sqs, second.feedbackQueue.url);

    // Assert
    expect(put.FailedEntryCount).toBe(0);
    expect([...delivered, ...late]).toHaveLength(1);
    expect(JSON.parse(delivered[0]?.Body ?? '{}')).toMatchObject({
      source: 'aws.ses',
      'detail-type': 'Email Sent',
      detail: { mail: { messageId: 'm-ours' } },
    });
  });
});
