import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  GetScheduleCommand,
  InternalServerException,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBridgeScheduler } from '#adapters/scheduler/EventBridgeScheduler';
import { ScheduleTimePassedError } from '#adapters/scheduler/errors';
import type { OneTimeSchedule } from '#adapters/scheduler/SchedulerPort';
import { PermanentError, RetryableError } from '#shared/errors';
import { topology } from '#topology/topology';

const GROUP = 'herald';
const ROLE = 'arn:aws:iam::123456789012:role/herald-scheduler';
const DLQ = 'arn:aws:sqs:us-east-1:123456789012:herald-compose-dlq';
const TARGET = 'arn:aws:sqs:us-east-1:123456789012:herald-compose';
const scheduler = mockClient(SchedulerClient);
/** The adapter's clock: a week before {@link schedule}'s default time (09:00 Berlin = 08:00Z). */
const NOW = Date.parse('2026-02-22T08:00:00Z');

const adapter = (
  options: {
    deadLetterArn?: string;
    retry?: { maximumEventAgeSeconds: number; maximumRetryAttempts: number };
    now?: () => number;
    fireWindowMs?: number;
  } = {},
) =>
  new EventBridgeScheduler({
    client: new SchedulerClient({ region: 'us-east-1' }),
    groupName: GROUP,
    roleArn: ROLE,
    now: () => NOW,
    ...options,
  });

const notFound = () =>
  new ResourceNotFoundException({ message: 'not found', Message: 'not found', $metadata: {} });

const schedule = (overrides: Partial<OneTimeSchedule> = {}): OneTimeSchedule => ({
  name: 'rh-10001-b7d0h0m0900-Europe_Berlin-0',
  at: '2026-03-01T09:00:00',
  timeZone: 'Europe/Berlin',
  targetArn: TARGET,
  input: '{"v":1,"kind":"compose.job"}',
  description: 'ABC 2.0, 7 days before',
  ...overrides,
});

const definition = (
  s: OneTimeSchedule,
  deadLetterArn?: string,
): CreateScheduleCommandInput & Record<string, unknown> => ({
  GroupName: GROUP,
  Name: s.name,
  ScheduleExpression: `at(${s.at})`,
  ScheduleExpressionTimezone: s.timeZone,
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'DELETE',
  State: 'ENABLED',
  Description: s.description,
  Target: {
    Arn: s.targetArn,
    RoleArn: ROLE,
    Input: s.input,
    RetryPolicy: {
      MaximumEventAgeInSeconds: topology.scheduleTargetRetry.maximumEventAgeSeconds,
      MaximumRetryAttempts: topology.scheduleTargetRetry.maximumRetryAttempts,
    },
    DeadLetterConfig: deadLetterArn === undefined ? undefined : { Arn: deadLetterArn },
  },
});

afterEach(() => {
  scheduler.reset();
});

describe('Function: EventBridgeScheduler.create', () => {
  it('creates a one-time schedule that deletes itself, with target retry policy and DLQ', async () => {
    // Arrange
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
    const s = schedule();

    // Act
    await adapter({ deadLetterArn: DLQ }).create(s);

    // Assert
    expect(scheduler).toReceiveCommandWith(CreateScheduleCommand, definition(s, DLQ));
  });

  it("uses a schedule's own dead-letter target over the adapter's", async () => {
    // Arrange
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
    const ownDlq = 'arn:aws:sqs:us-east-1:123456789012:herald-send-dlq';
    const s = schedule({ deadLetterArn: ownDlq });

    // Act
    await adapter({ deadLetterArn: DLQ }).create(s);

    // Assert
    expect(scheduler).toReceiveCommandWith(CreateScheduleCommand, definition(s, ownDlq));
  });

  it('uses the retry policy it was given', async () => {
    // Arrange
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });

    // Act
    await adapter({ retry: { maximumEventAgeSeconds: 3600, maximumRetryAttempts: 10 } }).create(schedule());

    // Assert
    expect(scheduler).toReceiveCommandWith(CreateScheduleCommand, {
      Target: expect.objectContaining({
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
      }),
    });
  });

  it('updates the schedule when it already exists', async () => {
    // Arrange
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
    const s = schedule();

    // Act
    await adapter().create(s);

    // Assert
    expect(scheduler).toReceiveCommandOnce(CreateScheduleCommand);
    expect(scheduler).toReceiveCommandWith(UpdateScheduleCommand, definition(s));
  });

  it('turns a ValidationException into PermanentError schedule_invalid', async () => {
    // Arrange
    scheduler.on(CreateScheduleCommand).rejects(
      new ValidationException({
        message: 'Invalid Schedule Expression',
        Message: 'Invalid Schedule Expression',
        $metadata: {},
      }),
    );

    // Act
    const result = adapter().create(schedule());

    // Assert
    await expect(result).rejects.toThrow(PermanentError);
    await expect(result).rejects.toMatchObject({ reason: 'schedule_invalid' });
  });

  it('turns a ValidationException about a past time into ScheduleTimePassedError, not permanent', async () => {
    // Arrange
    scheduler.on(CreateScheduleCommand).rejects(
      new ValidationException({
        message: 'The schedule expression at(2026-03-01T09:00:00) is in the past.',
        Message: 'The schedule expression at(2026-03-01T09:00:00) is in the past.',
        $metadata: {},
      }),
    );

    // Act
    const result = adapter().create(schedule());

    // Assert
    await expect(result).rejects.toThrow(ScheduleTimePassedError);
    await expect(result).rejects.toMatchObject({
      reason: 'rejected',
      scheduleName: schedule().name,
      dueAt: new Date('2026-03-01T08:00:00Z'),
    });
  });

  it('reads any ValidationException as a past time once the clock has passed the time', async () => {
    // Arrange: the clock moved past the time while the call was on its way.
    let now = Date.parse('2026-03-01T07:59:59Z');
    scheduler.on(CreateScheduleCommand).callsFake(() => {
      now += 2_000;
      throw new ValidationException({
        message: 'Invalid request',
        Message: 'Invalid request',
        $metadata: {},
      });
    });

    // Act
    const result = adapter({ now: () => now }).create(schedule());

    // Assert
    await expect(result).rejects.toMatchObject({ name: 'ScheduleTimePassedError', reason: 'rejected' });
  });

  it('refuses a schedule whose time has passed without calling AWS', async () => {
    // Act
    const result = adapter({ now: () => Date.parse('2026-03-01T08:00:00Z') }).create(schedule());

    // Assert
    await expect(result).rejects.toMatchObject({ name: 'ScheduleTimePassedError', reason: 'past' });
    expect(scheduler).not.toReceiveAnyCommand();
  });

  it('turns a ConflictException of the update fallback into a RetryableError', async () => {
    // Arrange: exists, and another run is changing it at the same moment.
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    scheduler
      .on(UpdateScheduleCommand)
      .rejects(new ConflictException({ message: 'busy', Message: 'busy', $metadata: {} }));

    // Act
    const result = adapter().create(schedule());

    // Assert
    await expect(result).rejects.toThrow(RetryableError);
  });

  it('turns a server fault into a RetryableError', async () => {
    // Arrange
    scheduler
      .on(CreateScheduleCommand)
      .rejects(
        new InternalServerException({ message: 'oops', Message: 'oops', $metadata: { httpStatusCode: 500 } }),
      );

    // Act
    const result = adapter().create(schedule());

    // Assert
    await expect(result).rejects.toThrow(RetryableError);
  });

  it.each([
    ['a name with a space', { name: 'rh 1' }],
    ['a name over 64 characters', { name: 'x'.repeat(65) }],
    ['a time that is not yyyy-mm-ddThh:mm:ss', { at: '2026-03-01 09:00' }],
    ['a day that does not exist', { at: '2026-02-30T09:00:00' }],
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }],
    ['an input over the Scheduler limit', { input: 'x'.repeat(topology.scheduleInputLimit + 1) }],
  ])('rejects %s before calling AWS', async (_label, overrides) => {
    // Act
    const result = adapter().create(schedule(overrides));

    // Assert
    await expect(result).rejects.toMatchObject({ name: 'PermanentError', reason: 'schedule_invalid' });
    expect(scheduler).not.toReceiveAnyCommand();
  });
});

describe('Function: EventBridgeScheduler.update', () => {
  it('replaces the whole definition', async () => {
    // Arrange
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
    const s = schedule({ at: '2026-03-02T09:00:00', input: '{"v":2}' });

    // Act
    await adapter({ deadLetterArn: DLQ }).update(s);

    // Assert
    expect(scheduler).toReceiveCommandWith(UpdateScheduleCommand, definition(s, DLQ));
    expect(scheduler).not.toReceiveCommand(CreateScheduleCommand);
  });

  it('creates the schedule when it does not exist (never created, or already fired)', async () => {
    // Arrange
    scheduler
      .on(UpdateScheduleCommand)
      .rejects(new ResourceNotFoundException({ message: 'not found', Message: 'not found', $metadata: {} }));
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
    const s = schedule();

    // Act
    await adapter().update(s);

    // Assert
    expect(scheduler).toReceiveCommandWith(CreateScheduleCommand, definition(s));
  });

  it('does not create again a missing schedule due within the fire window: it has fired', async () => {
    // Arrange: due 08:00Z, the clock 1 minute 59 seconds before.
    scheduler.on(UpdateScheduleCommand).rejects(notFound());
    const clock = () => Date.parse('2026-03-01T07:58:01Z');

    // Act
    const result = adapter({ now: clock }).update(schedule());

    // Assert
    await expect(result).rejects.toThrow(ScheduleTimePassedError);
    await expect(result).rejects.toMatchObject({ reason: 'fired' });
    expect(scheduler).not.toReceiveCommand(CreateScheduleCommand);
  });

  it('creates a missing schedule due just outside the fire window', async () => {
    // Arrange
    scheduler.on(UpdateScheduleCommand).rejects(notFound());
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
    const clock = () => Date.parse('2026-03-01T07:57:59Z');

    // Act
    await adapter({ now: clock, fireWindowMs: 120_000 }).update(schedule());

    // Assert
    expect(scheduler).toReceiveCommandOnce(CreateScheduleCommand);
  });

  it('turns a ConflictException into a RetryableError', async () => {
    // Arrange
    scheduler
      .on(UpdateScheduleCommand)
      .rejects(new ConflictException({ message: 'busy', Message: 'busy', $metadata: {} }));

    // Act
    const result = adapter().update(schedule());

    // Assert
    await expect(result).rejects.toThrow(RetryableError);
    await expect(result).rejects.toMatchObject({ cause: expect.any(ConflictException) });
  });
});

describe('Function: EventBridgeScheduler.delete', () => {
  it('deletes the schedule in the group', async () => {
    // Arrange
    scheduler.on(DeleteScheduleCommand).resolves({});

    // Act
    await adapter().delete('rh-1-p');

    // Assert
    expect(scheduler).toReceiveCommandWith(DeleteScheduleCommand, { GroupName: GROUP, Name: 'rh-1-p' });
  });

  it('ignores a schedule that is already gone', async () => {
    // Arrange
    scheduler
      .on(DeleteScheduleCommand)
      .rejects(new ResourceNotFoundException({ message: 'not found', Message: 'not found', $metadata: {} }));

    // Act
    const result = adapter().delete('rh-1-p');

    // Assert
    await expect(result).resolves.toBeUndefined();
  });

  it('turns a ConflictException into a RetryableError', async () => {
    // Arrange
    scheduler
      .on(DeleteScheduleCommand)
      .rejects(new ConflictException({ message: 'busy', Message: 'busy', $metadata: {} }));

    // Act
    const result = adapter().delete('rh-1-p');

    // Assert
    await expect(result).rejects.toThrow(RetryableError);
  });

  it('rethrows errors it does not know', async () => {
    // Arrange
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    scheduler.on(DeleteScheduleCommand).rejects(denied);

    // Act
    const result = adapter().delete('rh-1-p');

    // Assert
    await expect(result).rejects.toBe(denied);
  });
});

describe('Function: EventBridgeScheduler.list', () => {
  it('pages through ListSchedules and reads each schedule back', async () => {
    // Arrange
    scheduler
      .on(ListSchedulesCommand)
      .resolvesOnce({ Schedules: [{ Name: 'rh-1-a' }, { Name: 'rh-1-b' }], NextToken: 'page-2' })
      .resolvesOnce({ Schedules: [{ Name: 'rh-1-c' }] });
    for (const [name, tz] of [
      ['rh-1-a', 'Europe/Berlin'],
      ['rh-1-b', 'America/New_York'],
    ] as const) {
      scheduler.on(GetScheduleCommand, { Name: name }).resolves({
        Name: name,
        GroupName: GROUP,
        ScheduleExpression: 'at(2026-03-01T09:00:00)',
        ScheduleExpressionTimezone: tz,
        Description: `desc ${name}`,
        Target: { Arn: TARGET, RoleArn: ROLE, Input: `{"name":"${name}"}` },
      });
    }
    // Fired and deleted itself between the list and the read.
    scheduler
      .on(GetScheduleCommand, { Name: 'rh-1-c' })
      .rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));

    // Act
    const schedules = await adapter().list('rh-1-');

    // Assert
    expect(schedules).toEqual([
      {
        name: 'rh-1-a',
        at: '2026-03-01T09:00:00',
        timeZone: 'Europe/Berlin',
        targetArn: TARGET,
        input: '{"name":"rh-1-a"}',
        description: 'desc rh-1-a',
      },
      {
        name: 'rh-1-b',
        at: '2026-03-01T09:00:00',
        timeZone: 'America/New_York',
        targetArn: TARGET,
        input: '{"name":"rh-1-b"}',
        description: 'desc rh-1-b',
      },
    ]);
    expect(scheduler).toReceiveNthCommandWith(ListSchedulesCommand, 1, {
      GroupName: GROUP,
      NamePrefix: 'rh-1-',
    });
    expect(scheduler).toReceiveNthCommandWith(ListSchedulesCommand, 2, {
      GroupName: GROUP,
      NamePrefix: 'rh-1-',
      NextToken: 'page-2',
    });
    expect(scheduler).toReceiveCommandTimes(GetScheduleCommand, 3);
  });

  it('keeps at most 5 GetSchedule calls in flight', async () => {
    // Arrange
    const names = Array.from({ length: 12 }, (_, i) => `rh-${i}`);
    scheduler.on(ListSchedulesCommand).resolves({ Schedules: names.map((Name) => ({ Name })) });
    let inFlight = 0;
    let peak = 0;
    scheduler.on(GetScheduleCommand).callsFake(async (input: { Name: string }) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return {
        Name: input.Name,
        ScheduleExpression: 'at(2026-03-01T09:00:00)',
        Target: { Arn: TARGET, RoleArn: ROLE },
      };
    });

    // Act
    const schedules = await adapter().list('rh-');

    // Assert
    expect(schedules.map((s) => s.name)).toEqual(names);
    expect(peak).toBe(5);
  });

  it('skips schedules that are not one-time and reads a missing zone as UTC', async () => {
    // Arrange
    scheduler.on(ListSchedulesCommand).resolves({ Schedules: [{ Name: 'rh-rate' }, { Name: 'rh-utc' }] });
    scheduler.on(GetScheduleCommand, { Name: 'rh-rate' }).resolves({
      Name: 'rh-rate',
      ScheduleExpression: 'rate(5 minutes)',
      Target: { Arn: TARGET, RoleArn: ROLE },
    });
    scheduler.on(GetScheduleCommand, { Name: 'rh-utc' }).resolves({
      Name: 'rh-utc',
      ScheduleExpression: 'at(2026-03-01T09:00:00)',
      Target: { Arn: TARGET, RoleArn: ROLE, Input: '{}' },
    });

    // Act
    const schedules = await adapter().list('rh-');

    // Assert
    expect(schedules).toEqual([
      {
        name: 'rh-utc',
        at: '2026-03-01T09:00:00',
        timeZone: 'UTC',
        targetArn: TARGET,
        input: '{}',
        description: undefined,
      },
    ]);
  });
});
