import {
  type ActionAfterCompletion,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  SchedulerClient,
  type ScheduleState,
} from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BootstrapResult } from '#local/bootstrap';
import { type FiredSchedule, LocalScheduler } from '#local/LocalScheduler';
import { silentLogger } from '#shared/logger';
import { bootstrapWebhookStack, drain, e2eClientConfig, queueDepth, uniqueEnv, waitFor } from './support.ts';

const env = uniqueEnv('sch');
const config = e2eClientConfig();
const sqs = new SQSClient(config);
const scheduler = new SchedulerClient(config);
let stack: BootstrapResult;

const createSchedule = async (
  name: string,
  options: {
    at: string;
    timeZone?: string;
    input?: string;
    state?: ScheduleState;
    after?: ActionAfterCompletion;
    expression?: string;
  },
) =>
  scheduler.send(
    new CreateScheduleCommand({
      Name: name,
      GroupName: stack.names.scheduleGroup,
      ScheduleExpression: options.expression ?? `at(${options.at})`,
      ...(options.timeZone ? { ScheduleExpressionTimezone: options.timeZone } : {}),
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: options.state ?? 'ENABLED',
      ActionAfterCompletion: options.after ?? 'DELETE',
      Target: {
        Arn: stack.queues.compose.main.arn,
        RoleArn: 'arn:aws:iam::123456789012:role/herald-scheduler',
        Input: options.input ?? `{"schedule":"${name}"}`,
      },
    }),
  );

const exists = async (name: string) =>
  scheduler
    .send(new GetScheduleCommand({ Name: name, GroupName: stack.names.scheduleGroup }))
    .then(() => true)
    .catch((err: Error) => {
      if (err.name === 'ResourceNotFoundException') return false;
      throw err;
    });

/** A scheduler whose clock the test sets. */
const clocked = (start: string, extra: { pageSize?: number } = {}) => {
  let now = new Date(start);
  const local = new LocalScheduler({
    scheduler,
    sqs,
    groupName: stack.names.scheduleGroup,
    now: () => now,
    logger: silentLogger(),
    ...extra,
  });
  return {
    local,
    setNow: (iso: string) => {
      now = new Date(iso);
    },
  };
};

const composeBodies = () => drain(sqs, stack.queues.compose.main.url);

beforeAll(async () => {
  stack = await bootstrapWebhookStack(env);
});

afterAll(() => {
  sqs.destroy();
  scheduler.destroy();
});

describe('Function: LocalScheduler', () => {
  it('fires an at() schedule in Europe/Berlin at its instant, not before, and deletes it', async () => {
    // Arrange: 2030-03-31 is the day Berlin moves to summer time (UTC+2 from 01:00Z).
    await createSchedule('rh-berlin', {
      at: '2030-03-31T09:00:00',
      timeZone: 'Europe/Berlin',
      input: '{"n":1}',
    });
    const { local, setNow } = clocked('2030-03-31T06:59:59Z');

    // Act
    const early = await local.tick();
    const stillThere = await exists('rh-berlin');
    const bodiesBefore = await composeBodies();
    setNow('2030-03-31T07:00:00Z');
    const onTime = await local.tick();

    // Assert
    expect(early).toEqual([]);
    expect(stillThere).toBe(true);
    expect(bodiesBefore).toEqual([]);
    expect(onTime).toMatchObject([
      {
        name: 'rh-berlin',
        dueAt: new Date('2030-03-31T07:00:00Z'),
        firedAt: new Date('2030-03-31T07:00:00Z'),
        targetArn: stack.queues.compose.main.arn,
        input: '{"n":1}',
        deleted: true,
      },
    ]);
    expect(await composeBodies()).toEqual(['{"n":1}']);
    expect(await exists('rh-berlin')).toBe(false);
  });

  it('reads an at() schedule without a time zone as UTC', async () => {
    // Arrange
    await createSchedule('rh-utc', { at: '2030-06-01T12:00:00' });
    const { local, setNow } = clocked('2030-06-01T11:59:59Z');

    // Act
    const early = await local.tick();
    setNow('2030-06-01T12:00:00Z');
    const onTime = await local.tick();

    // Assert
    expect(early).toEqual([]);
    expect(onTime.map((f) => f.name)).toEqual(['rh-utc']);
    expect(await composeBodies()).toEqual(['{"schedule":"rh-utc"}']);
  });

  it('does not fire a disabled schedule', async () => {
    // Arrange
    await createSchedule('rh-disabled', { at: '2030-01-01T00:00:00', state: 'DISABLED' });
    const { local } = clocked('2031-01-01T00:00:00Z');

    // Act
    const fired = await local.tick();

    // Assert
    expect(fired).toEqual([]);
    expect(await exists('rh-disabled')).toBe(true);
    expect(await queueDepth(sqs, stack.queues.compose.main.url)).toMatchObject({ visible: 0 });
  });

  it('fires a schedule kept after completion only once', async () => {
    // Arrange
    await createSchedule('rh-kept', { at: '2031-02-01T00:00:00', after: 'NONE' });
    const { local } = clocked('2031-02-01T00:00:00Z');

    // Act
    const first = await local.tick();
    const second = await local.tick();

    // Assert
    expect(first.map((f) => [f.name, f.deleted])).toEqual([['rh-kept', false]]);
    expect(second.filter((f) => f.name === 'rh-kept')).toEqual([]);
    expect(await exists('rh-kept')).toBe(true);
    expect(await composeBodies()).toEqual(['{"schedule":"rh-kept"}']);
    await scheduler.send(
      new DeleteScheduleCommand({ Name: 'rh-kept', GroupName: stack.names.scheduleGroup }),
    );
  });

  it('ignores rate() and cron() schedules', async () => {
    // Arrange
    await createSchedule('rh-rate', { at: '', expression: 'rate(1 minute)' });
    const { local } = clocked('2040-01-01T00:00:00Z');

    // Act
    const fired = await local.tick();

    // Assert
    expect(fired.filter((f) => f.name === 'rh-rate')).toEqual([]);
    expect(await exists('rh-rate')).toBe(true);
  });

  it('reads every page of the group', async () => {
    // Arrange
    for (const n of [1, 2, 3, 4, 5]) await createSchedule(`rh-page-${n}`, { at: '2032-01-01T00:00:00' });
    const { local } = clocked('2032-01-01T00:00:00Z', { pageSize: 2 });

    const firstPage = await scheduler.send(
      new ListSchedulesCommand({ GroupName: stack.names.scheduleGroup, MaxResults: 2 }),
    );

    // Act
    const fired = await local.tick();

    // Assert: the emulator does paginate, so several pages were read.
    expect(firstPage.NextToken).toBeTruthy();
    expect(fired.map((f) => f.name).sort()).toEqual([
      'rh-page-1',
      'rh-page-2',
      'rh-page-3',
      'rh-page-4',
      'rh-page-5',
    ]);
    expect((await composeBodies()).sort()).toEqual([1, 2, 3, 4, 5].map((n) => `{"schedule":"rh-page-${n}"}`));
  });

  it('fires a future schedule on request with fireNow', async () => {
    // Arrange
    await createSchedule('rh-now', { at: '2099-01-01T00:00:00', timeZone: 'America/New_York' });
    const { local } = clocked('2030-01-01T00:00:00Z');

    // Act
    const fired = await local.fireNow('rh-now');

    // Assert
    expect(fired).toMatchObject({ name: 'rh-now', dueAt: new Date('2099-01-01T05:00:00Z'), deleted: true });
    expect(await composeBodies()).toEqual(['{"schedule":"rh-now"}']);
    await expect(local.fireNow('rh-now')).rejects.toThrow(/not found/);
  });

  it('fires due schedules on its own once started and tells onFire', async () => {
    // Arrange
    await createSchedule('rh-loop', { at: '2033-01-01T00:00:00', timeZone: 'Asia/Tokyo' });
    const fired: FiredSchedule[] = [];
    const local = new LocalScheduler({
      scheduler,
      sqs,
      groupName: stack.names.scheduleGroup,
      now: () => new Date('2032-12-31T15:00:00Z'),
      tickMs: 50,
      onFire: (f) => fired.push(f),
      logger: silentLogger(),
    });

    // Act
    local.start();
    await waitFor('the schedule to fire', () => (fired.length > 0 ? true : undefined));
    await local.stop();

    // Assert
    expect(fired.map((f) => [f.name, f.dueAt.toISOString()])).toEqual([
      ['rh-loop', '2032-12-31T15:00:00.000Z'],
    ]);
    expect(await composeBodies()).toEqual(['{"schedule":"rh-loop"}']);
  });
});
