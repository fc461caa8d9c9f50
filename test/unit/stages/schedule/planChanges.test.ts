import { describe, expect, it } from 'vitest';
import type { OneTimeSchedule } from '#adapters/scheduler/SchedulerPort';
import type { ReleaseSnapshot } from '#contracts/releaseSnapshot';
import { parsePointSpecs } from '#contracts/sendPolicy';
import { desiredSchedules } from '#stages/schedule/desiredSchedules';
import { FIRE_WINDOW_MS, planChanges } from '#stages/schedule/planChanges';
import { COMPOSE_QUEUE_ARN, recipientsIn, snapshotOf, withReleaseDate } from './fakes.ts';

const NOW = new Date('2024-06-01T00:00:00Z');

const desiredAt = (snapshot: ReleaseSnapshot, now = NOW, traceparent?: string) =>
  desiredSchedules(snapshot, { now, targetArn: COMPOSE_QUEUE_ARN, traceparent });

/** What Scheduler holds after the desired schedules of `snapshot` at `now` were all created. */
const existingFor = (snapshot: ReleaseSnapshot, now = NOW): OneTimeSchedule[] =>
  desiredAt(snapshot, now).schedules.map((d) => ({ ...d.schedule }));

const names = (items: Array<{ existing: OneTimeSchedule } | { schedule: OneTimeSchedule }>) =>
  items.map((i) => ('existing' in i ? i.existing.name : i.schedule.name));

const counts = (plan: ReturnType<typeof planChanges>) => ({
  create: plan.create.length,
  update: plan.update.length,
  delete: plan.delete.length,
  keep: plan.keep.length,
});

describe('Function: planChanges', () => {
  it('creates every desired schedule when none exists', () => {
    // Arrange
    const desired = desiredAt(snapshotOf());

    // Act
    const plan = planChanges(desired, [], { now: NOW });

    // Assert
    expect(counts(plan)).toEqual({ create: 6, update: 0, delete: 0, keep: 0 });
    expect(plan.create).toEqual(desired.schedules);
  });

  it('keeps everything when nothing changed, whatever the trace context', () => {
    // Arrange
    const snapshot = snapshotOf();
    const existing = existingFor(snapshot);
    const desired = desiredAt(snapshot, NOW, '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');

    // Act
    const plan = planChanges(desired, existing, { now: NOW });

    // Assert
    expect(counts(plan)).toEqual({ create: 0, update: 0, delete: 0, keep: 6 });
    expect(plan.keep.every((k) => k.reason === 'unchanged')).toBe(true);
  });

  it('compares Inputs parsed, not as text', () => {
    // Arrange: the same compose.job re-serialised with other key order and whitespace.
    const snapshot = snapshotOf();
    const existing = existingFor(snapshot).map((s) => {
      const { payload, ...envelope } = JSON.parse(s.input) as Record<string, unknown>;
      return { ...s, input: JSON.stringify({ payload, ...envelope }, null, 2) };
    });

    // Act
    const plan = planChanges(desiredAt(snapshot), existing, { now: NOW });

    // Assert
    expect(counts(plan)).toEqual({ create: 0, update: 0, delete: 0, keep: 6 });
  });

  it('updates time and Input of every point when the release date moves', () => {
    // Arrange
    const snapshot = snapshotOf();
    const existing = existingFor(snapshot);
    const moved = withReleaseDate(snapshot, '2024-06-27');

    // Act
    const plan = planChanges(desiredAt(moved), existing, { now: NOW });

    // Assert
    expect(counts(plan)).toEqual({ create: 0, update: 6, delete: 0, keep: 0 });
    expect(plan.update.every((u) => u.changes.join() === 'at,input')).toBe(true);
    expect(plan.update.map((u) => [u.existing.at, u.desired.schedule.at]).slice(0, 1)).toEqual([
      ['2024-06-13T09:00:00', '2024-06-20T09:00:00'],
    ]);
  });

  it('deletes the schedules of a point removed from the policy', () => {
    // Arrange
    const snapshot = snapshotOf();
    const existing = existingFor(snapshot);
    const fewer = {
      ...snapshot,
      policy: { ...snapshot.policy, points: parsePointSpecs('-1d@09:00,0d@09:00') },
    };

    // Act
    const plan = planChanges(desiredAt(fewer), existing, { now: NOW });

    // Assert
    expect(counts(plan)).toEqual({ create: 0, update: 0, delete: 2, keep: 4 });
    expect(
      plan.delete.every((d) => d.reason === 'cancelled' && d.existing.name.includes('-b7d0h0m0900-')),
    ).toBe(true);
  });

  it('keeps a schedule whose compose.job differs only in snapshotAt (the ledger holds the watermark)', () => {
    // Arrange: the same release read again later, with nothing changed in Jira or the directory.
    const snapshot = snapshotOf();
    const existing = existingFor(snapshot);
    const later = { ...snapshot, readAt: snapshot.readAt + 60_000 };

    // Act
    const plan = planChanges(desiredAt(later), existing, { now: NOW });

    // Assert
    expect(counts(plan)).toEqual({ create: 0, update: 0, delete: 0, keep: 6 });
    expect(plan.keep.every((k) => k.reason === 'unchanged')).toBe(true);
  });

  it('keeps a schedule made before snapshotAt existed', () => {
    // Arrange
    const snapshot = snapshotOf();
    const legacy = existingFor(snapshot).map((s) => {
      const job = JSON.parse(s.input) as { payload: Record<string, unknown> };
      delete job.payload.snapshotAt;
      return { ...s, input: JSON.stringify(job) };
    });

    // Act
    const plan = planChanges(desiredAt(snapshot), legacy, { now: NOW });

    // Assert
    expect(counts(plan)).toEqual({ create: 0, update: 0, delete: 0, keep: 6 });
  });

  it('updates only the Input when the recipients change', () => {
    // Arrange
    const snapshot = snapshotOf();
    const existing = existingFor(snapshot);
    const renamed = {
      ...snapshot,
      recipients: snapshot.recipients.map((r) =>
        r.timeZone === 'Europe/Berlin' ? { ...r, name: 'Renamed' } : r,
      ),
    };

    // Act
    const plan = planChanges(desiredAt(renamed), existing, { now: NOW });

    // Assert
    expect(counts(plan)).toEqual({ create: 0, update: 3, delete: 0, keep: 3 });
    expect(
      plan.update.every(
        (u) => u.changes.join() === 'input' && u.desired.recipientTimeZone === 'Europe/Berlin',
      ),
    ).toBe(true);
  });

  it('creates the schedules of a new zone and cancels those of a zone left with no recipients', () => {
    // Arrange
    const snapshot = snapshotOf();
    const existing = existingFor(snapshot);
    const moved = { ...snapshot, recipients: recipientsIn(1, 'Asia/Kolkata', 'ny') };

    // Act
    const plan = planChanges(desiredAt(moved), existing, { now: NOW });

    // Assert
    expect(counts(plan)).toEqual({ create: 3, update: 0, delete: 6, keep: 0 });
    expect(plan.create.every((c) => c.schedule.timeZone === 'Asia/Kolkata')).toBe(true);
  });

  it('updates a schedule whose target or zone differ', () => {
    // Arrange
    const snapshot = snapshotOf();
    const [first, second, ...rest] = existingFor(snapshot);
    if (!first || !second) throw new Error('expected schedules');
    const existing = [
      { ...first, targetArn: 'arn:aws:sqs:us-east-1:123456789012:old' },
      { ...second, timeZone: 'UTC' },
      ...rest,
    ];

    // Act
    const plan = planChanges(desiredAt(snapshot), existing, { now: NOW });

    // Assert
    expect(plan.update.map((u) => [u.existing.name, u.changes])).toEqual([
      [first.name, ['target']],
      [second.name, ['time_zone']],
    ]);
  });

  it('replaces an Input that is not a compose.job and deletes a foreign name under the prefix', () => {
    // Arrange
    const snapshot = snapshotOf();
    const [first, ...rest] = existingFor(snapshot);
    if (!first) throw new Error('expected schedules');
    const foreign: OneTimeSchedule = { ...first, name: 'rh-10001-manual' };
    const existing = [{ ...first, input: 'not json' }, ...rest, foreign];

    // Act
    const plan = planChanges(desiredAt(snapshot), existing, { now: NOW });

    // Assert
    expect(plan.update.map((u) => [u.existing.name, u.changes])).toEqual([[first.name, ['input']]]);
    expect(plan.delete).toEqual([{ existing: foreign, reason: 'cancelled' }]);
  });

  it('leaves an extra chunk of a wanted point that is about to fire, and deletes one that is not', () => {
    // Arrange: 300 recipients needed several chunks; now only one recipient is left.
    const large = snapshotOf({ recipients: recipientsIn(300, 'Europe/Berlin') });
    const small = snapshotOf({ recipients: recipientsIn(1, 'Europe/Berlin') });
    const existing = existingFor(large);
    const oneMinuteBefore7dPoint = new Date('2024-06-13T06:59:00Z');

    // Act
    const plan = planChanges(desiredAt(small, oneMinuteBefore7dPoint), existing, {
      now: oneMinuteBefore7dPoint,
    });

    // Assert: chunk 0 of every point is updated; the 7-day point's other chunks fire as planned.
    const extra = existing.filter((e) => !e.name.endsWith('-0'));
    expect(extra.length).toBeGreaterThan(3);
    expect(names(plan.update)).toEqual(existing.filter((e) => e.name.endsWith('-0')).map((e) => e.name));
    expect(plan.keep.map((k) => [k.existing.name, k.reason])).toEqual(
      extra.filter((e) => e.name.includes('-b7d0h0m0900-')).map((e) => [e.name, 'about_to_fire']),
    );
    expect(plan.delete.map((d) => [d.existing.name, d.reason])).toEqual(
      extra
        .filter((e) => !e.name.includes('-b7d0h0m0900-'))
        .map((e) => [e.name, 'obsolete'])
        .sort(),
    );
  });

  it('leaves a wanted point that is already due (skipped as past) to fire', () => {
    // Arrange: the 7-day point was due 30 s ago and Scheduler has not fired it yet.
    const snapshot = snapshotOf();
    const existing = existingFor(snapshot);
    const now = new Date('2024-06-13T07:00:30Z');

    // Act
    const plan = planChanges(desiredAt(snapshot, now), existing, { now });

    // Assert
    expect(plan.delete).toEqual([]);
    expect(plan.keep.filter((k) => k.reason === 'about_to_fire').map((k) => k.existing.at)).toEqual([
      '2024-06-13T09:00:00',
    ]);
  });

  it('uses the fire window to decide what is about to fire', () => {
    // Arrange: the 7-day point's extra chunks are due one second after the fire window ends.
    const large = snapshotOf({ recipients: recipientsIn(300, 'Europe/Berlin') });
    const small = snapshotOf({ recipients: recipientsIn(1, 'Europe/Berlin') });
    const existing = existingFor(large);
    const justOutside = new Date(Date.parse('2024-06-13T07:00:00Z') - FIRE_WINDOW_MS - 1000);

    // Act
    const plan = planChanges(desiredAt(small, justOutside), existing, { now: justOutside });

    // Assert
    expect(plan.keep).toEqual([]);
    expect(plan.delete.length).toBeGreaterThan(3);
    expect(plan.delete.every((d) => d.reason === 'obsolete')).toBe(true);
  });

  it.each([
    ['deleted', { event: 'jira:version_deleted', state: 'deleted', version: null }],
    [
      'archived',
      {
        state: 'archived',
        version: { id: '10001', name: 'v1', releaseDate: '2024-06-20', released: false, archived: true },
      },
    ],
    [
      'released',
      {
        event: 'jira:version_released',
        state: 'released',
        version: { id: '10001', name: 'v1', releaseDate: '2024-06-20', released: true, archived: false },
      },
    ],
  ] as const)('cancels every before point of a %s release, even one about to fire', (_state, overrides) => {
    // Arrange
    const existing = existingFor(snapshotOf());
    const now = new Date('2024-06-13T06:59:30Z');

    // Act
    const plan = planChanges(desiredAt(snapshotOf(overrides), now), existing, { now });

    // Assert
    expect(counts(plan)).toEqual({ create: 0, update: 0, delete: 6, keep: 0 });
    expect(plan.delete.every((d) => d.reason === 'cancelled')).toBe(true);
  });

  it('keeps a pending on-release point on a later run, and while the released version is edited', () => {
    // Arrange
    const released = snapshotOf({
      event: 'jira:version_released',
      state: 'released',
      version: { id: '10001', name: 'v1', releaseDate: '2024-06-20', released: true, archived: false },
      policy: { ...snapshotOf().policy, onRelease: true },
    });
    const firstRun = new Date('2024-06-20T10:00:00Z');
    const existing = existingFor(released, firstRun);
    const later = new Date('2024-06-20T10:00:40Z');

    // Act
    const redelivered = planChanges(desiredAt(released, later), existing, { now: later });
    const edited = planChanges(desiredAt({ ...released, event: 'jira:version_updated' }, later), existing, {
      now: later,
    });
    const unreleased = planChanges(
      desiredAt({ ...released, event: 'jira:version_unreleased', state: 'active' }, later),
      existing,
      { now: later },
    );

    // Assert
    expect(counts(redelivered)).toEqual({ create: 0, update: 0, delete: 0, keep: 2 });
    expect(edited.keep.map((k) => k.reason)).toEqual(['about_to_fire', 'about_to_fire']);
    expect(edited.delete).toEqual([]);
    expect(unreleased.delete.map((d) => d.reason)).toEqual(['cancelled', 'cancelled']);
  });
});
