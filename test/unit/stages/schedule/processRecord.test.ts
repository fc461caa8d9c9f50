import { afterEach, describe, expect, it, vi } from 'vitest';
import { wrap } from '#contracts/envelope';
import { ContractError } from '#contracts/errors';
import type { ReleaseSnapshot } from '#contracts/releaseSnapshot';
import { PermanentError, RetryableError } from '#shared/errors';
import { processRecord, type ScheduleDeps } from '#stages/schedule/processRecord';
import { memoryLogger, recordContext } from '#test/unit/stages/fakes';
import { COMPOSE_QUEUE_ARN, FakeScheduler, recipientsIn, snapshotOf, withReleaseDate } from './fakes.ts';

const NOW = new Date('2024-06-01T00:00:00Z');

const bodyOf = (snapshot: ReleaseSnapshot): { body: string } => ({
  body: JSON.stringify(wrap('release.snapshot', `${snapshot.versionId}:${snapshot.event}:1`, snapshot)),
});

const setup = (now = NOW) => {
  const scheduler = new FakeScheduler();
  const log = memoryLogger();
  const deps: ScheduleDeps = { scheduler, composeQueueArn: COMPOSE_QUEUE_ARN, now: () => now };
  const run = (snapshot: ReleaseSnapshot) => processRecord(bodyOf(snapshot), recordContext(log.logger), deps);
  return { scheduler, log, deps, run };
};

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

  it('still drops an older snapshot after a newer one that changed nothing', async () => {
    // Arrange: read at t1 (date A), t3 (date A again) and t2 (date B), delivered t1, t3, t2.
    const { scheduler, log, run } = setup();
    const t1 = snapshotOf();
    const t3 = { ...t1, readAt: t1.readAt + 10_000 };
    const t2 = { ...withReleaseDate(t1, '2024-07-01'), readAt: t1.readAt + 5_000 };
    await run(t1);
    await run(t3);
    const afterT3 = structuredClone([...scheduler.schedules.values()]);

    // Act
    await run(t2);

    // Assert: t3 moved the watermark without moving any time; t2 changed nothing.
    expect(log.events('schedule_updated').map((l) => l.changes)).toEqual(Array(6).fill(['snapshot_at']));
    expect(log.events('snapshot_out_of_order')).toHaveLength(1);
    expect([...scheduler.schedules.values()]).toEqual(afterT3);
    expect(afterT3.map((s) => s.at).sort()[0]).toBe('2024-06-13T09:00:00');
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
    await run(withReleaseDate(snapshot, '2024-07-01'));

    // Assert
    expect(log.events('snapshot_out_of_order')).toHaveLength(0);
    expect(log.events('schedule_updated')).toHaveLength(6);
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
