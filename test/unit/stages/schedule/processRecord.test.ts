import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScheduleTimePassedError } from '#adapters/scheduler/errors';
import type { OneTimeSchedule } from '#adapters/scheduler/SchedulerPort';
import { wrap } from '#contracts/envelope';
import { ContractError } from '#contracts/errors';
import { releaseChangedMessage } from '#contracts/releaseChanged';
import type { ReleaseSnapshot } from '#contracts/releaseSnapshot';
import { PermanentError, RetryableError } from '#shared/errors';
import { processRecord, type ScheduleDeps } from '#stages/schedule/processRecord';
import { composeJobOfInput } from '#stages/schedule/scheduleInput';
import { scheduleName } from '#stages/schedule/scheduleNames';
import { FakeQueue } from '#test/factories/FakeQueue';
import { FakeScheduler } from '#test/factories/FakeScheduler';
import { memoryLogger } from '#test/factories/memoryLogger';
import { recordContext } from '#test/factories/recordContext';
import { COMPOSE_QUEUE_ARN, FakeWatermarks, recipientsIn, snapshotOf, withReleaseDate } from './fakes.ts';

const NOW = new Date('2024-06-01T00:00:00Z');
const COMPOSE_QUEUE = 'herald-compose';
const ENRICH_QUEUE = 'herald-enrich';

const bodyOf = (snapshot: ReleaseSnapshot, reschedules = 0): { body: string } => ({
  body: JSON.stringify({
    ...wrap('release.snapshot', `${snapshot.versionId}:${snapshot.event}:1`, snapshot),
    reschedules,
  }),
});

const setup = (now = NOW) => {
  const scheduler = new FakeScheduler();
  const ledger = new FakeWatermarks();
  const queue = new FakeQueue();
  const log = memoryLogger();
  /** The stage's clock, epoch ms; tests move it. */
  const clock = { ms: now.getTime() };
  const deps: ScheduleDeps = {
    scheduler,
    ledger,
    queue,
    composeQueueArn: COMPOSE_QUEUE_ARN,
    now: () => new Date(clock.ms),
  };
  const run = (snapshot: ReleaseSnapshot, options: { receiveCount?: number } = {}) =>
    processRecord(
      bodyOf(snapshot),
      { ...recordContext(log.logger), receiveCount: options.receiveCount ?? 1 },
      deps,
    );
  return { scheduler, ledger, queue, log, clock, deps, run };
};

/** The release dates the compose.jobs of the schedules were computed from. */
const releaseDatesIn = (schedules: Iterable<OneTimeSchedule>): Set<string | undefined> =>
  new Set([...schedules].map((s) => composeJobOfInput(s.input)?.payload.releaseDate));

afterEach(() => {
  vi.useRealTimers();
});

describe('Function: processRecord', () => {
  it('creates the schedules of a new release and logs them without addresses', async () => {
    // Arrange
    const { scheduler, log, run } = setup();

    // Act
    await run(snapshotOf());

    // Assert
    expect(scheduler.calls.map((c) => c.op)).toEqual(['list', ...Array(6).fill('create')]);
    expect(scheduler.calls[0]?.name).toBe('rh-10001-');
    expect([...scheduler.schedules.values()].map((s) => [s.at, s.timeZone])).toContainEqual([
      '2024-06-13T09:00:00',
      'Europe/Berlin',
    ]);
    expect(log.events('schedule_created')).toHaveLength(6);
    expect(log.events('schedule_created')[0]).toMatchObject({
      versionId: '10001',
      projectKey: 'ABC',
      name: expect.stringMatching(/^rh-10001-b7d0h0m0900-[0-9a-f]{8}-0$/),
      at: '2024-06-13T09:00:00',
      timeZone: 'America/New_York',
      dueAt: '2024-06-13T13:00:00.000Z',
      chunk: '1/1',
      recipients: 1,
    });
    expect(log.events('release_scheduled')).toEqual([
      expect.objectContaining({ created: 6, updated: 0, deleted: 0, kept: 0, skipped: 0, desired: 6 }),
    ]);
    expect(JSON.stringify(log.lines)).not.toContain('@example.com');
  });

  it('makes no Scheduler change when the same snapshot is processed again', async () => {
    // Arrange
    const { scheduler, log, run } = setup();
    const snapshot = snapshotOf({ recipients: recipientsIn(400, 'Australia/Lord_Howe') });
    await run(snapshot);
    const created = scheduler.writes().length;
    const before = structuredClone([...scheduler.schedules.values()]);

    // Act
    await run(snapshot);

    // Assert
    expect(created).toBeGreaterThan(3);
    expect(scheduler.writes()).toHaveLength(created);
    expect([...scheduler.schedules.values()]).toEqual(before);
    expect(log.events('release_scheduled')[1]).toMatchObject({
      created: 0,
      updated: 0,
      deleted: 0,
      kept: created,
    });
  });

  it('moves every schedule when the release date moves, then cancels all when the version is deleted', async () => {
    // Arrange
    const { scheduler, log, run } = setup();
    const snapshot = snapshotOf();
    await run(snapshot);

    // Act
    await run(withReleaseDate(snapshot, '2024-07-01'));
    const afterMove = [...scheduler.schedules.values()].map((s) => s.at).sort();
    await run({
      ...snapshot,
      event: 'jira:version_deleted',
      state: 'deleted',
      version: null,
      recipients: [],
    });

    // Assert
    expect(afterMove).toEqual([
      '2024-06-24T09:00:00',
      '2024-06-24T09:00:00',
      '2024-06-30T09:00:00',
      '2024-06-30T09:00:00',
      '2024-07-01T09:00:00',
      '2024-07-01T09:00:00',
    ]);
    expect(log.events('schedule_updated')[0]).toMatchObject({
      changes: ['at', 'input'],
      previousAt: '2024-06-13T09:00:00',
      at: '2024-06-24T09:00:00',
    });
    expect(scheduler.schedules.size).toBe(0);
    expect(log.events('schedule_deleted')).toHaveLength(6);
    expect(log.events('schedule_deleted')[0]).toMatchObject({ reason: 'cancelled' });
  });

  it('drops a snapshot read before the one the schedules were made from', async () => {
    // Arrange: the newer snapshot (release date moved) is delivered first.
    const { scheduler, log, run } = setup();
    const older = snapshotOf();
    const newer = { ...withReleaseDate(older, '2024-07-01'), readAt: older.readAt + 5_000 };
    await run(newer);
    const writes = scheduler.writes().length;
    const applied = structuredClone([...scheduler.schedules.values()]);

    // Act
    await run(older);

    // Assert
    expect(scheduler.writes()).toHaveLength(writes);
    expect([...scheduler.schedules.values()]).toEqual(applied);
    expect(log.events('snapshot_out_of_order')).toEqual([
      expect.objectContaining({ versionId: '10001', readAt: older.readAt, newestSnapshotAt: newer.readAt }),
    ]);
    expect(log.events('release_scheduled')).toHaveLength(1);
  });

  it('still drops an older snapshot after a newer one that changed nothing, without rewriting schedules', async () => {
    // Arrange: read at t1 (date A), t3 (date A again) and t2 (date B), delivered t1, t3, t2.
    const { scheduler, ledger, log, run } = setup();
    const t1 = snapshotOf();
    const t3 = { ...t1, readAt: t1.readAt + 10_000 };
    const t2 = { ...withReleaseDate(t1, '2024-07-01'), readAt: t1.readAt + 5_000 };
    await run(t1);
    await run(t3);
    const afterT3 = structuredClone([...scheduler.schedules.values()]);

    // Act
    await run(t2);

    // Assert: t3 moved the ledger's watermark and wrote nothing; t2 changed nothing.
    expect(log.events('schedule_updated')).toHaveLength(0);
    expect(ledger.watermarks.get('10001')).toBe(t3.readAt);
    expect(log.events('snapshot_out_of_order')).toEqual([
      expect.objectContaining({ readAt: t2.readAt, newestSnapshotAt: t3.readAt }),
    ]);
    expect([...scheduler.schedules.values()]).toEqual(afterT3);
    expect(afterT3.map((s) => s.at).sort()[0]).toBe('2024-06-13T09:00:00');
  });

  it('drops an older snapshot by the schedules snapshot time when the ledger has no watermark', async () => {
    // Arrange: the newer snapshot's watermark row is gone (TTL, or schedules older than it).
    const { scheduler, ledger, log, run } = setup();
    const older = snapshotOf();
    const newer = { ...withReleaseDate(older, '2024-07-01'), readAt: older.readAt + 5_000 };
    await run(newer);
    ledger.watermarks.clear();
    const writes = scheduler.writes().length;

    // Act
    await run(older);

    // Assert
    expect(scheduler.writes()).toHaveLength(writes);
    expect(log.events('snapshot_out_of_order')).toEqual([
      expect.objectContaining({ readAt: older.readAt, newestSnapshotAt: newer.readAt }),
    ]);
  });

  it('applies a snapshot as newer when no schedule carries a snapshot time', async () => {
    // Arrange: schedules made before snapshotAt existed.
    const { scheduler, log, run } = setup();
    const snapshot = snapshotOf();
    await run(snapshot);
    for (const [name, schedule] of scheduler.schedules) {
      const job = JSON.parse(schedule.input) as { payload: Record<string, unknown> };
      delete job.payload.snapshotAt;
      scheduler.schedules.set(name, { ...schedule, input: JSON.stringify(job) });
    }

    // Act
    await run({ ...withReleaseDate(snapshot, '2024-07-01'), readAt: snapshot.readAt + 1_000 });

    // Assert
    expect(log.events('snapshot_out_of_order')).toHaveLength(0);
    expect(log.events('schedule_updated')).toHaveLength(6);
  });

  it('applies the same snapshot again when it is redelivered (the watermark equals its readAt)', async () => {
    // Arrange: the first attempt claimed, then failed before any write.
    const { scheduler, ledger, log, run } = setup();
    const snapshot = snapshotOf();
    await ledger.claimRelease(snapshot.versionId, snapshot.readAt);

    // Act
    await run(snapshot, { receiveCount: 2 });

    // Assert
    expect(scheduler.schedules.size).toBe(6);
    expect(log.events('release_scheduled')).toEqual([expect.objectContaining({ redelivered: true })]);
  });

  it('logs points whose time has passed as skipped', async () => {
    // Arrange
    const { scheduler, log, run } = setup(new Date('2024-06-19T12:00:00Z'));

    // Act
    await run(snapshotOf());

    // Assert: New York's 1-day point (13:00Z) is still ahead.
    expect(scheduler.writes()).toHaveLength(3);
    expect(log.events('schedule_point_skipped').map((l) => [l.pointId, l.timeZone, l.dueAt])).toEqual([
      ['b7d0h0m0900', 'America/New_York', '2024-06-13T13:00:00.000Z'],
      ['b7d0h0m0900', 'Europe/Berlin', '2024-06-13T07:00:00.000Z'],
      ['b1d0h0m0900', 'Europe/Berlin', '2024-06-19T07:00:00.000Z'],
    ]);
  });

  it('creates and updates before it deletes, and deletes nothing when a create fails', async () => {
    // Arrange: the release moves to Kolkata only; creating there fails for good.
    const { scheduler, run } = setup();
    const snapshot = snapshotOf();
    await run(snapshot);
    scheduler.calls.length = 0;
    scheduler.failWith = (call) =>
      call.op === 'create' ? new PermanentError('schedule_invalid', 'rejected') : undefined;

    // Act
    const attempt = run({ ...snapshot, recipients: recipientsIn(2, 'Asia/Kolkata') });

    // Assert
    await expect(attempt).rejects.toThrow(PermanentError);
    expect(scheduler.calls.some((c) => c.op === 'delete')).toBe(false);
    expect(scheduler.schedules.size).toBe(6);
  });

  it('orders every create and update before the first delete', async () => {
    // Arrange
    const { scheduler, run } = setup();
    const snapshot = snapshotOf();
    await run(snapshot);
    scheduler.calls.length = 0;

    // Act
    await run({
      ...snapshot,
      recipients: [...recipientsIn(1, 'Asia/Kolkata'), ...recipientsIn(1, 'Europe/Berlin', 'x')],
    });

    // Assert
    const ops = scheduler.calls.map((c) => c.op);
    expect(ops.filter((op) => op === 'create')).toHaveLength(3);
    expect(ops.filter((op) => op === 'update')).toHaveLength(3);
    expect(ops.filter((op) => op === 'delete')).toHaveLength(3);
    expect(ops.lastIndexOf('create')).toBeLessThan(ops.indexOf('delete'));
    expect(ops.lastIndexOf('update')).toBeLessThan(ops.indexOf('delete'));
  });

  it('retries a throttled Scheduler call within the record', async () => {
    // Arrange
    vi.useFakeTimers({ now: NOW });
    const { scheduler, run } = setup();
    let throttled = 0;
    scheduler.failWith = (call) =>
      call.op === 'create' && throttled++ === 0 ? new RetryableError('Scheduler throttled') : undefined;

    // Act
    const done = run(snapshotOf());
    await vi.runAllTimersAsync();
    await done;

    // Assert
    expect(scheduler.schedules.size).toBe(6);
    expect(scheduler.writes().filter((c) => c.op === 'create')).toHaveLength(7);
  });

  it('converges when an older snapshot claims first and its writes land after a newer one', async () => {
    // Arrange: the date moves 06-20 → 06-27; two instances list at the same moment and the
    // older snapshot's writes land last (the race of /tmp/h15/race.ts).
    const { scheduler, queue, log, clock, run } = setup();
    const older = snapshotOf();
    const newer = { ...withReleaseDate(older, '2024-06-27'), readAt: older.readAt + 5_000 };
    const listed: Array<() => void> = [];
    const bothListed = new Promise<void>((resolve) => {
      listed.push(resolve);
    });
    let lists = 0;
    const list = scheduler.list.bind(scheduler);
    scheduler.list = async (prefix) => {
      const found = await list(prefix);
      if (++lists === 2) listed[0]?.();
      await bothListed;
      return found;
    };
    const landLast = async (input: string) => {
      if (composeJobOfInput(input)?.payload.releaseDate === '2024-06-20') {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const create = scheduler.create.bind(scheduler);
    scheduler.create = async (s) => {
      await landLast(s.input);
      return create(s);
    };

    // Act: the older one starts (and claims) first.
    await Promise.all([run(older), run(newer)]);
    const raced = releaseDatesIn(scheduler.schedules.values());
    const replans = queue.bodies(ENRICH_QUEUE).map((b) => releaseChangedMessage.parse(b));
    // Enrich reads Jira afresh (the date is 06-27) and the re-plan's snapshot is applied.
    await run({ ...newer, readAt: newer.readAt + 60_000 });

    // Assert
    expect(raced).toContain('2024-06-20');
    expect(replans).toEqual([
      expect.objectContaining({
        kind: 'release.changed',
        key: `10001:replan:${older.readAt}`,
        payload: {
          event: 'jira:version_updated',
          versionId: '10001',
          projectId: '10000',
          occurredAt: clock.ms,
          hint: {},
        },
      }),
    ]);
    expect(log.events('replan_requested')).toEqual([
      expect.objectContaining({ readAt: older.readAt, newestSnapshotAt: newer.readAt, reason: 'overtaken' }),
    ]);
    expect(scheduler.schedules.size).toBe(6);
    expect(releaseDatesIn(scheduler.schedules.values())).toEqual(new Set(['2024-06-27']));
  });

  it('skips an older snapshot that claims after a newer one, while the newer one is still writing', async () => {
    // Arrange
    const { scheduler, queue, log, run } = setup();
    const older = snapshotOf();
    const newer = { ...withReleaseDate(older, '2024-06-27'), readAt: older.readAt + 5_000 };

    // Act: the newer one starts (and claims) first.
    await Promise.all([run(newer), run(older)]);

    // Assert
    expect(scheduler.calls.filter((c) => c.op === 'list')).toHaveLength(1);
    expect(releaseDatesIn(scheduler.schedules.values())).toEqual(new Set(['2024-06-27']));
    expect(log.events('snapshot_out_of_order')).toEqual([
      expect.objectContaining({ readAt: older.readAt, newestSnapshotAt: newer.readAt }),
    ]);
    expect(queue.sent).toEqual([]);
  });

  it('asks for a re-plan when a redelivered snapshot is out of order (an earlier attempt may have written)', async () => {
    // Arrange
    const { queue, log, run } = setup();
    const older = snapshotOf();
    const newer = { ...withReleaseDate(older, '2024-06-27'), readAt: older.readAt + 5_000 };
    await run(newer);

    // Act
    await run(older, { receiveCount: 2 });

    // Assert
    expect(queue.bodies(ENRICH_QUEUE)).toEqual([
      expect.objectContaining({ key: `10001:replan:${older.readAt}` }),
    ]);
    expect(log.events('replan_requested')).toEqual([
      expect.objectContaining({ reason: 'redelivered_out_of_order' }),
    ]);
  });

  it('asks for a re-plan before rethrowing when it fails after a newer snapshot claimed the release', async () => {
    // Arrange
    const { scheduler, ledger, queue, run } = setup();
    const snapshot = snapshotOf();
    scheduler.failWith = (call) => {
      if (call.op !== 'create') return undefined;
      ledger.watermarks.set('10001', snapshot.readAt + 5_000);
      return new PermanentError('schedule_invalid', 'rejected');
    };

    // Act
    const attempt = run(snapshot);

    // Assert
    await expect(attempt).rejects.toThrow(PermanentError);
    expect(queue.bodies(ENRICH_QUEUE)).toEqual([
      expect.objectContaining({ key: `10001:replan:${snapshot.readAt}` }),
    ]);
  });

  it('sends a point due within the fire window straight to the compose queue, delayed until due', async () => {
    // Arrange: Berlin's release-day point (07:00Z) is 90 s away; New York's (13:00Z) hours away.
    const { scheduler, queue, log, run } = setup(new Date('2024-06-20T06:58:30Z'));

    // Act
    await run(snapshotOf());

    // Assert
    const sent = queue.sent.filter((s) => s.queueName === COMPOSE_QUEUE);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.message.delaySeconds).toBe(90);
    expect(JSON.parse(sent[0]?.message.body ?? '')).toMatchObject({
      kind: 'compose.job',
      key: '10001:a0d0h0m0900@2024-06-20:Europe/Berlin:0',
      payload: { dueAt: '2024-06-20T07:00:00.000Z', timeZone: 'Europe/Berlin' },
    });
    expect([...scheduler.schedules.values()].map((s) => [s.at, s.timeZone])).toEqual([
      ['2024-06-20T09:00:00', 'America/New_York'],
    ]);
    expect(log.events('compose_job_queued')).toEqual([
      expect.objectContaining({ reason: 'due_soon', delaySeconds: 90, recipients: 1 }),
    ]);
    expect(log.events('release_scheduled')).toEqual([expect.objectContaining({ created: 1, queued: 1 })]);
  });

  it('re-checks the time against a fresh clock right before each write', async () => {
    // Arrange: 3 minutes before Berlin's point at planning; listing takes 2 minutes.
    const { scheduler, queue, clock, run } = setup(new Date('2024-06-20T06:57:00Z'));
    scheduler.failWith = (call) => {
      if (call.op === 'list') clock.ms += 120_000;
      return undefined;
    };

    // Act
    await run(snapshotOf());

    // Assert
    expect(queue.sent.map((s) => [s.queueName, s.message.delaySeconds])).toEqual([[COMPOSE_QUEUE, 60]]);
    expect(scheduler.calls.filter((c) => c.op === 'create')).toHaveLength(1);
  });

  it('sends the on-release point to the compose queue instead of scheduling it', async () => {
    // Arrange
    const { scheduler, queue, run } = setup(new Date('2024-06-20T10:00:00.500Z'));
    const released = snapshotOf({
      event: 'jira:version_released',
      state: 'released',
      version: { id: '10001', name: 'v1', releaseDate: '2024-06-20', released: true, archived: false },
      policy: { ...snapshotOf().policy, onRelease: true },
    });

    // Act
    await run(released);

    // Assert
    expect(scheduler.writes()).toEqual([]);
    expect(queue.sent.map((s) => [s.queueName, s.message.delaySeconds])).toEqual([
      [COMPOSE_QUEUE, 60],
      [COMPOSE_QUEUE, 60],
    ]);
    expect(queue.bodies(COMPOSE_QUEUE).map((b) => (b as { key: string }).key)).toEqual([
      '10001:onrelease@2024-06-20:America/New_York:0',
      '10001:onrelease@2024-06-20:Europe/Berlin:0',
    ]);
  });

  it('still sends the on-release point of a released event that arrives out of order', async () => {
    // Arrange: an edit of the released version was read (and applied) after the released event.
    const { queue, log, run } = setup(new Date('2024-06-20T10:00:00Z'));
    const version = { id: '10001', name: 'v1', releaseDate: '2024-06-20', released: true, archived: false };
    const policy = { ...snapshotOf().policy, onRelease: true };
    const releasedEvent = snapshotOf({ event: 'jira:version_released', state: 'released', version, policy });
    const laterEdit = {
      ...releasedEvent,
      event: 'jira:version_updated' as const,
      readAt: releasedEvent.readAt + 5_000,
    };
    await run(laterEdit);

    // Act
    await run(releasedEvent);

    // Assert
    expect(log.events('snapshot_out_of_order')).toHaveLength(1);
    expect(log.events('compose_job_queued').map((l) => l.reason)).toEqual([
      'out_of_order_release',
      'out_of_order_release',
    ]);
    expect(queue.bodies(COMPOSE_QUEUE)).toHaveLength(2);
  });

  it('queues the job of a schedule that became due and deletes the schedule it replaces', async () => {
    // Arrange: scheduled a while ago; now Berlin's release-day point is 90 s away and its
    // recipients changed.
    const { scheduler, queue, log, clock, run } = setup();
    const snapshot = snapshotOf();
    await run(snapshot);
    const berlinDay = [...scheduler.schedules.values()].find(
      (s) => s.at === '2024-06-20T09:00:00' && s.timeZone === 'Europe/Berlin',
    );
    clock.ms = Date.parse('2024-06-20T06:58:30Z');

    // Act
    await run({
      ...snapshot,
      readAt: snapshot.readAt + 1_000,
      recipients: [...snapshot.recipients, ...recipientsIn(1, 'Europe/Berlin', 'new')],
    });

    // Assert
    const job = queue.bodies(COMPOSE_QUEUE)[0] as { payload: { recipients: unknown[] } };
    expect(job.payload.recipients).toHaveLength(2);
    expect(scheduler.calls.filter((c) => c.op === 'update')).toEqual([]);
    expect(log.events('schedule_deleted')).toEqual([
      expect.objectContaining({ name: berlinDay?.name, reason: 'superseded' }),
    ]);
    expect(scheduler.schedules.has(berlinDay?.name ?? '')).toBe(false);
  });

  it('skips a schedule the scheduler refuses as past and queues its job instead of failing', async () => {
    // Arrange: 3 minutes before Berlin's point by our clock; Scheduler's clock says it has passed.
    const { scheduler, queue, log, run } = setup(new Date('2024-06-20T06:57:00Z'));
    const berlinDay = scheduleName({
      versionId: '10001',
      pointId: 'a0d0h0m0900',
      timeZone: 'Europe/Berlin',
      chunkIndex: 0,
    });
    scheduler.failWith = (call) =>
      call.op === 'create' && call.name === berlinDay
        ? new ScheduleTimePassedError(call.name, new Date('2024-06-20T07:00:00Z'), 'rejected', 'in the past')
        : undefined;

    // Act
    await run(snapshotOf());

    // Assert
    expect(log.events('schedule_time_passed')).toEqual([expect.objectContaining({ reason: 'rejected' })]);
    expect(queue.sent.map((s) => [s.queueName, s.message.delaySeconds])).toEqual([[COMPOSE_QUEUE, 180]]);
    expect([...scheduler.schedules.values()].map((s) => s.timeZone)).toEqual(['America/New_York']);
  });

  it('queues the job of an updated schedule that has just fired, without deleting anything', async () => {
    // Arrange
    const { scheduler, queue, log, clock, run } = setup();
    const snapshot = snapshotOf();
    await run(snapshot);
    clock.ms = Date.parse('2024-06-20T06:57:00Z');
    scheduler.failWith = (call) =>
      call.op === 'update'
        ? new ScheduleTimePassedError(call.name, new Date('2024-06-20T07:00:00Z'), 'fired', 'gone')
        : undefined;

    // Act
    await run({
      ...snapshot,
      readAt: snapshot.readAt + 1_000,
      recipients: [...snapshot.recipients, ...recipientsIn(1, 'Europe/Berlin', 'new')],
    });

    // Assert
    expect(log.events('schedule_time_passed')).toEqual([expect.objectContaining({ reason: 'fired' })]);
    expect(queue.bodies(COMPOSE_QUEUE)).toHaveLength(1);
    expect(scheduler.calls.filter((c) => c.op === 'delete')).toEqual([]);
  });

  it('rejects a body that is not a release.snapshot with a ContractError', async () => {
    // Arrange
    const { scheduler, deps, log } = setup();

    // Act
    const notJson = processRecord({ body: '{' }, recordContext(log.logger), deps);
    const wrongKind = processRecord(
      { body: JSON.stringify(wrap('compose.job', 'k', {})) },
      recordContext(log.logger),
      deps,
    );

    // Assert
    await expect(notJson).rejects.toThrow(ContractError);
    await expect(wrongKind).rejects.toThrow(ContractError);
    expect(scheduler.calls).toEqual([]);
  });
});
