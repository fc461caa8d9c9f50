import { CreateScheduleCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { wrap } from '#contracts/envelope';
import { lambdaContext, sqsEvent, sqsRecord } from '#test/factories/lambda';
import { resourceName, topology } from '#topology/topology';
import { snapshotOf, withReleaseDate } from './fakes.ts';

const sqs = mockClient(SQSClient);
const scheduler = mockClient(SchedulerClient);
const ddb = mockClient(DynamoDBDocumentClient);
const ROLE_ARN = 'arn:aws:iam::123456789012:role/herald-scheduler';
const GROUP = resourceName(topology.scheduleGroup);
const arnOf = (name: string) => `arn:aws:sqs:us-east-1:123456789012:${name}`;

beforeEach(() => {
  vi.resetModules();
  vi.stubEnv('SCHEDULER_ROLE_ARN', ROLE_ARN);
  vi.stubEnv('HERALD_ENV', '');
  vi.stubEnv('LOG_LEVEL', 'silent');
  sqs.on(GetQueueUrlCommand).callsFake((input: { QueueName: string }) => ({
    QueueUrl: `https://sqs.us-east-1.amazonaws.com/123456789012/${input.QueueName}`,
  }));
  sqs.on(GetQueueAttributesCommand).callsFake((input: { QueueUrl: string }) => ({
    Attributes: { QueueArn: arnOf(input.QueueUrl.split('/').at(-1) ?? '') },
  }));
  scheduler.on(ListSchedulesCommand).resolves({ Schedules: [] });
  scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:::schedule/herald/x' });
  ddb.on(PutCommand).resolves({});
});

afterEach(() => {
  sqs.reset();
  scheduler.reset();
  ddb.reset();
  vi.unstubAllEnvs();
});

describe('Function: handler', () => {
  it('creates schedules in the schedule group that target the compose queue with its DLQ', async () => {
    // Arrange
    const { handler } = await import('#stages/schedule/handler');
    // The handler runs on the real clock: a release date far ahead keeps every point in the future.
    const snapshot = withReleaseDate(snapshotOf({ event: 'jira:version_created' }), '2099-06-20');
    const record = sqsRecord({
      queueName: 'herald-schedule',
      body: JSON.stringify(wrap('release.snapshot', 'k', snapshot)),
    });
    ddb.on(GetCommand).resolves({ Item: { pk: 'release#10001', readAt: snapshot.readAt } });

    // Act
    const response = await handler(sqsEvent(record), lambdaContext(30_000));

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(scheduler).toReceiveCommandWith(ListSchedulesCommand, {
      GroupName: GROUP,
      NamePrefix: 'rh-10001-',
    });
    expect(ddb).toReceiveCommandWith(PutCommand, {
      TableName: resourceName(topology.tables.ledger),
      Item: expect.objectContaining({ pk: 'release#10001', readAt: snapshot.readAt }),
    });
    expect(ddb).toReceiveCommandWith(GetCommand, {
      TableName: resourceName(topology.tables.ledger),
      Key: { pk: 'release#10001' },
    });
    expect(sqs).not.toReceiveCommand(SendMessageBatchCommand);
    expect(scheduler).toReceiveCommandTimes(CreateScheduleCommand, 6);
    expect(scheduler).toReceiveCommandWith(CreateScheduleCommand, {
      GroupName: GROUP,
      ScheduleExpressionTimezone: 'Europe/Berlin',
      Target: expect.objectContaining({
        Arn: arnOf('herald-compose'),
        RoleArn: ROLE_ARN,
        DeadLetterConfig: { Arn: arnOf('herald-compose-dlq') },
      }),
    });
  });
});
