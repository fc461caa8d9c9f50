import { describe, expect, it } from 'vitest';
import { wrap } from '#contracts/envelope';
import type { ReleaseSnapshot } from '#contracts/releaseSnapshot';
import { DEFAULT_SEND_POLICY } from '#contracts/sendPolicy';
import { processRecord, type ScheduleDeps } from '#stages/schedule/processRecord';
import { composeJobOfInput } from '#stages/schedule/scheduleInput';
import { scheduleName } from '#stages/schedule/scheduleNames';
import { draftKey } from '#stages/shared/draftKey';
import { FakeQueue } from '#test/factories/FakeQueue';
import { FakeScheduler } from '#test/factories/FakeScheduler';
import { memoryLogger } from '#test/factories/memoryLogger';
import { recordContext } from '#test/factories/recordContext';
import { COMPOSE_QUEUE_ARN, FakeWatermarks, snapshotOf } from './fakes.ts';

/** The day before the release (2024-06-20), 12:00Z: Berlin's 1-day point (07:00Z) is 5 h late. */
const NOW = new Date('2024-06-19T12:00:00Z');

const setup = (now = NOW) => {
  const scheduler = new FakeScheduler();
  const ledger = new FakeWatermarks();
  const queue = new FakeQueue();
  const log = memoryLogger();
  const deps: ScheduleDeps = {
    scheduler,
    ledger,
    queue,
    composeQueueArn: COMPOSE_QUEUE_ARN,
    now: () => now,
  };
  const run = (snapshot: ReleaseSnapshot) =>
    processRecord(
      { body: JSON.stringify(wrap('release.snapshot', `${snapshot.versionId}:1`, snapshot)) },
      recordContext(log.logger),
      deps,
    );
  /** compose.jobs sent straight to the compose queue, with their delay. */
  const queued = () =>
    queue.sent
      .filter((s) => s.queueName === 'herald-compose')
      .map((s) => ({ delaySeconds: s.message.delaySeconds, job: composeJobOfInput(s.message.body) }));
  return { scheduler, ledger, queue, log, run, queued };
};

describe('Function: processRecord (schedule) points already due', () => {
  it('catches up a point within its deadline a minute from now and records the late ones', async () => {
    // Arrange
    const { ledger, log, run, queued, scheduler } = setup();

    // Act
    await run(snapshotOf());

    // Assert: Berlin's 1-day point goes out now, its due time and deadline unchanged.
    expect(queued()).toEqual([
      {
        delaySeconds: 60,
        job: expect.objectContaining({
          key: '10001:b1d0h0m0900@2024-06-20:Europe/Berlin:0',
          payload: expect.objectContaining({
            pointId: 'b1d0h0m0900',
            timeZone: 'Europe/Berlin',
            dueAt: '2024-06-19T07:00:00.000Z',
            notAfter: '2024-06-19T13:00:00.000Z',
          }),
        }),
      },
    ]);
    // The 7-day points of both zones are past their deadline; New York's 1-day point is ahead.
    expect([...ledger.outcomes.entries()].map(([k, o]) => [k, o.status, o.reason]).sort()).toEqual([
      ['10001:b1d0h0m0900@2024-06-20:Europe/Berlin', 'caught_up', 'catch_up'],
      ['10001:b7d0h0m0900@2024-06-20:America/New_York', 'missed', 'past_deadline'],
      ['10001:b7d0h0m0900@2024-06-20:Europe/Berlin', 'missed', 'past_deadline'],
    ]);
    expect(log.events('point_caught_up')).toEqual([
      expect.objectContaining({
        pointId: 'b1d0h0m0900',
        timeZone: 'Europe/Berlin',
        recorded: true,
        chunks: 1,
      }),
    ]);
    expect(log.events('point_missed')).toHaveLength(2);
    expect(log.events('release_scheduled')).toEqual([expect.objectContaining({ caughtUp: 1, missed: 2 })]);
    expect([...scheduler.schedules.keys()]).toEqual([
      scheduleName({
        versionId: '10001',
        pointId: 'b1d0h0m0900',
        timeZone: 'America/New_York',
        chunkIndex: 0,
      }),
      scheduleName({
        versionId: '10001',
        pointId: 'a0d0h0m0900',
        timeZone: 'America/New_York',
        chunkIndex: 0,
      }),
      scheduleName({ versionId: '10001', pointId: 'a0d0h0m0900', timeZone: 'Europe/Berlin', chunkIndex: 0 }),
    ]);
  });

  it('records nothing new on a redelivery and queues the same job under the same key', async () => {
    // Arrange
    const { ledger, log, run, queued } = setup();
    await run(snapshotOf());
    const before = new Map(ledger.outcomes);

    // Act
    await run(snapshotOf());

    // Assert
    expect(ledger.outcomes).toEqual(before);
    expect(log.events('point_caught_up').map((l) => l.recorded)).toEqual([true, false]);
    expect(log.events('point_missed').map((l) => l.recorded)).toEqual([true, true, false, false]);
    const keys = queued().map((q) => q.job?.key);
    expect(keys).toEqual([keys[0], keys[0]]);
  });

  it('records a late point missed (catch_up_skip) when the policy says skip, and queues nothing', async () => {
    // Arrange
    const { ledger, run, queued } = setup();

    // Act
    await run(snapshotOf({ policy: { ...DEFAULT_SEND_POLICY, catchUp: 'skip' } }));

    // Assert
    expect(queued()).toEqual([]);
    expect(ledger.outcomes.get('10001:b1d0h0m0900@2024-06-20:Europe/Berlin')).toMatchObject({
      status: 'missed',
      reason: 'catch_up_skip',
    });
  });

  it('uses the policy maxLateness: 4 h makes the 5 h late point missed', async () => {
    // Arrange
    const { ledger, run, queued } = setup();

    // Act
    await run(snapshotOf({ policy: { ...DEFAULT_SEND_POLICY, maxLateness: '4h' } }));

    // Assert
    expect(queued()).toEqual([]);
    expect(ledger.outcomes.get('10001:b1d0h0m0900@2024-06-20:Europe/Berlin')).toMatchObject({
      status: 'missed',
      reason: 'past_deadline',
    });
  });

  it('leaves a past point alone that was composed already (a re-plan after it went out)', async () => {
    // Arrange: every past point has a draft in the ledger.
    const { ledger, log, run, queued } = setup();
    for (const pointId of ['b1d0h0m0900', 'b7d0h0m0900']) {
      ledger.drafts.add(draftKey({ versionId: '10001', pointId, releaseDate: '2024-06-20' }, 'en'));
    }

    // Act
    await run(snapshotOf());

    // Assert
    expect(queued()).toEqual([]);
    expect(ledger.outcomes.size).toBe(0);
    expect(log.events('point_caught_up')).toEqual([]);
    expect(log.events('point_missed')).toEqual([]);
  });

  it('finds a composed point by the draft of its recipients’ audience', async () => {
    // Arrange: Berlin's recipient is a developer; only the developers' draft exists.
    const { ledger, run, queued } = setup();
    const snapshot = snapshotOf({
      recipients: [
        { email: 'dev@example.com', locale: 'en', timeZone: 'Europe/Berlin', audience: 'developers' },
      ],
    });
    ledger.drafts.add(
      draftKey({ versionId: '10001', pointId: 'b1d0h0m0900', releaseDate: '2024-06-20' }, 'en', 'developers'),
    );

    // Act
    await run(snapshot);

    // Assert: the 1-day point was composed; the 7-day point was not, and is missed.
    expect(queued()).toEqual([]);
    expect([...ledger.outcomes.keys()]).toEqual(['10001:b7d0h0m0900@2024-06-20:Europe/Berlin']);
  });

  it('leaves a past point alone whose schedule is still there, about to fire', async () => {
    // Arrange: planned on time; Scheduler has not fired Berlin's 1-day point 30 s after its time.
    const onTime = setup(new Date('2024-06-10T00:00:00Z'));
    await onTime.run(snapshotOf());
    const late = setup(new Date('2024-06-19T07:00:30Z'));
    const berlin1d = scheduleName({
      versionId: '10001',
      pointId: 'b1d0h0m0900',
      timeZone: 'Europe/Berlin',
      chunkIndex: 0,
    });
    const pending = onTime.scheduler.schedules.get(berlin1d);
    if (!pending) throw new Error('expected the 1-day schedule');
    late.scheduler.schedules.set(berlin1d, pending);

    // Act
    await late.run(snapshotOf({ readAt: Date.parse('2024-06-19T07:00:29Z') }));

    // Assert
    expect(late.queued()).toEqual([]);
    expect(late.log.events('point_caught_up')).toEqual([]);
    expect(late.log.events('schedule_kept').map((l) => l.name)).toEqual([berlin1d]);
    expect(late.ledger.outcomes.has('10001:b1d0h0m0900@2024-06-20:Europe/Berlin')).toBe(false);
  });

  it('stamps the release watermark with the snapshot state and release date', async () => {
    // Arrange
    const { ledger, run } = setup();

    // Act
    await run(snapshotOf());

    // Assert
    expect(ledger.stamps.get('10001')).toEqual({ state: 'active', releaseDate: '2024-06-20' });
  });
});
