import {
  DeleteScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { OneTimeSchedule } from '#adapters/scheduler/SchedulerPort';
import { wrap } from '#contracts/envelope';
import { OpsError } from '#ops/cli/errors';
import { cancelSchedules, fireSchedule, listSchedules, renderScheduleList } from '#ops/commands/schedules';
import { FakeScheduler } from '#test/factories/FakeScheduler';

const scheduler = mockClient(SchedulerClient);
const sqs = mockClient(SQSClient);
const COMPOSE_ARN = 'arn:aws:sqs:us-east-1:123456789012:herald-t-compose';

const schedule = (
  versionId: string,
  projectKey: string,
  pointId: string,
  at: string,
  timeZone = 'UTC',
): OneTimeSchedule => ({
  name: `rh-${versionId}-${pointId}-abcd1234-0`,
  at,
  timeZone,
  targetArn: COMPOSE_ARN,
  input: JSON.stringify(
    wrap('compose.job', `k-${versionId}-${pointId}`, {
      versionId,
      projectKey,
      pointId,
      pointKind: 'before',
      releaseDate: '2030-03-10',
      timeZone,
      dueAt: '2030-03-09T09:00:00.000Z',
      chunk: { index: 0, count: 2 },
      recipients: [
        { email: 'ada@example.com', locale: 'en' },
        { email: 'bob@example.org', locale: 'de' },
      ],
    }),
  ),
});

describe('Function: listSchedules', () => {
  const fake = new FakeScheduler();
  for (const s of [
    schedule('10001', 'SHOP', 'a0d0h0m0900', '2030-03-10T09:00:00', 'Europe/Berlin'),
    schedule('10001', 'SHOP', 'b1d0h0m0900', '2030-03-09T09:00:00'),
    schedule('20001', 'APP', 'b7d0h0m0900', '2030-03-03T09:00:00'),
    {
      ...schedule('30001', 'APP', 'b7d0h0m0900', '2030-03-03T09:00:00'),
      name: 'rh-30001-odd-0',
      input: 'not json',
    },
  ]) {
    fake.schedules.set(s.name, s);
  }

  it('lists every send-point schedule soonest first, reading the compose job in each', async () => {
    // Act
    const views = await listSchedules(fake, {});

    // Assert
    expect(views.map((v) => [v.versionId, v.point, v.dueAt])).toEqual([
      ['20001', '-7d@09:00', '2030-03-03T09:00:00.000Z'],
      [undefined, undefined, '2030-03-03T09:00:00.000Z'],
      ['10001', '-1d@09:00', '2030-03-09T09:00:00.000Z'],
      ['10001', '0d@09:00', '2030-03-10T08:00:00.000Z'],
    ]);
    expect(views[0]).toMatchObject({ projectKey: 'APP', chunk: '1/2', recipients: 2 });
  });

  it('filters by release (name prefix) and by project (compose job)', async () => {
    // Act
    const byRelease = await listSchedules(fake, { release: '10001' });
    const byProject = await listSchedules(fake, { project: 'APP' });

    // Assert
    expect(byRelease.map((v) => v.name)).toEqual([
      'rh-10001-b1d0h0m0900-abcd1234-0',
      'rh-10001-a0d0h0m0900-abcd1234-0',
    ]);
    expect(byProject.map((v) => v.name)).toEqual(['rh-20001-b7d0h0m0900-abcd1234-0']);
  });

  it('renders a table and a count', async () => {
    // Act
    const text = renderScheduleList(await listSchedules(fake, { release: '10001' }));

    // Assert
    expect(text.split('\n')[0]).toMatch(
      /^NAME\s+DUE \(UTC\)\s+LOCAL TIME\s+ZONE\s+PROJECT\s+RELEASE\s+POINT\s+CHUNK\s+RECIPIENTS$/,
    );
    expect(text).toMatch(
      /rh-10001-a0d0h0m0900-abcd1234-0\s+2030-03-10T08:00Z\s+2030-03-10T09:00:00\s+Europe\/Berlin\s+SHOP\s+10001\s+0d@09:00\s+1\/2\s+2/,
    );
    expect(text.endsWith('2 schedule(s)')).toBe(true);
  });
});

describe('Function: cancelSchedules', () => {
  it('deletes every schedule of the release and nothing else', async () => {
    // Arrange
    const fake = new FakeScheduler();
    for (const s of [
      schedule('1', 'SHOP', 'b1d0h0m0900', '2030-03-09T09:00:00'),
      schedule('1', 'SHOP', 'a0d0h0m0900', '2030-03-10T09:00:00'),
      schedule('10', 'SHOP', 'a0d0h0m0900', '2030-03-10T09:00:00'),
    ]) {
      fake.schedules.set(s.name, s);
    }

    // Act
    const deleted = await cancelSchedules(fake, '1');

    // Assert
    expect(deleted).toEqual(['rh-1-a0d0h0m0900-abcd1234-0', 'rh-1-b1d0h0m0900-abcd1234-0']);
    expect([...fake.schedules.keys()]).toEqual(['rh-10-a0d0h0m0900-abcd1234-0']);
  });
});

describe('Function: fireSchedule', () => {
  afterEach(() => {
    scheduler.reset();
    sqs.reset();
  });

  const deps = () => ({
    scheduler: new SchedulerClient({ region: 'us-east-1' }),
    sqs: new SQSClient({ region: 'us-east-1' }),
    groupName: 'herald-t-schedules',
  });

  it('sends the target input to the target queue, then deletes the schedule', async () => {
    // Arrange
    const s = schedule('10001', 'SHOP', 'b1d0h0m0900', '2030-03-09T09:00:00', 'Europe/Berlin');
    scheduler.on(GetScheduleCommand).resolves({
      Name: s.name,
      ScheduleExpression: `at(${s.at})`,
      ScheduleExpressionTimezone: s.timeZone,
      Target: { Arn: COMPOSE_ARN, RoleArn: 'arn:aws:iam::123456789012:role/x', Input: s.input },
    });
    sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: 'http://127.0.0.1:5000/123456789012/herald-t-compose' });
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const order: string[] = [];
    sqs.on(SendMessageCommand).callsFake(() => {
      order.push('send');
      return { MessageId: 'm-1' };
    });
    scheduler.on(DeleteScheduleCommand).callsFake(() => {
      order.push('delete');
      return {};
    });

    // Act
    const fired = await fireSchedule(deps(), s.name);

    // Assert
    expect(fired).toEqual({
      name: s.name,
      queue: 'herald-t-compose',
      messageId: 'm-1',
      dueAt: '2030-03-09T08:00:00.000Z',
    });
    expect(order).toEqual(['send', 'delete']);
    expect(sqs).toReceiveCommandWith(GetQueueUrlCommand, {
      QueueName: 'herald-t-compose',
      QueueOwnerAWSAccountId: '123456789012',
    });
    expect(sqs).toReceiveCommandWith(SendMessageCommand, { MessageBody: s.input });
    expect(scheduler).toReceiveCommandWith(DeleteScheduleCommand, {
      GroupName: 'herald-t-schedules',
      Name: s.name,
    });
  });

  it('fails with an OpsError naming the schedule and group when it does not exist', async () => {
    // Arrange
    scheduler
      .on(GetScheduleCommand)
      .rejects(new ResourceNotFoundException({ message: 'nope', $metadata: {}, Message: 'nope' }));

    // Act
    const run = fireSchedule(deps(), 'rh-1-x-0');

    // Assert
    await expect(run).rejects.toThrow(OpsError);
    await expect(run).rejects.toThrow('schedule rh-1-x-0 not found in group herald-t-schedules');
    expect(sqs).not.toReceiveCommand(SendMessageCommand);
  });

  it('refuses a schedule whose target is not a queue, sending nothing', async () => {
    // Arrange
    scheduler.on(GetScheduleCommand).resolves({
      Name: 'rh-1-x-0',
      Target: { Arn: 'arn:aws:lambda:us-east-1:123456789012:function:f', RoleArn: 'r' },
    });

    // Act & Assert
    await expect(fireSchedule(deps(), 'rh-1-x-0')).rejects.toThrow('not an SQS queue');
    expect(sqs).not.toReceiveCommand(SendMessageCommand);
    expect(scheduler).not.toReceiveCommand(DeleteScheduleCommand);
  });
});
