import { describe, expect, it } from 'vitest';
import type { OneTimeSchedule } from '#adapters/scheduler/SchedulerPort';
import type { ApprovalPolicy } from '#contracts/approval';
import type { ReleaseSnapshot } from '#contracts/releaseSnapshot';
import { reviewJobMessage } from '#contracts/reviewJob';
import { DEFAULT_SEND_POLICY, parsePointSpecs } from '#contracts/sendPolicy';
import { desiredSchedules } from '#stages/schedule/desiredSchedules';
import { planChanges } from '#stages/schedule/planChanges';
import { seriesOfName } from '#stages/schedule/scheduleNames';
import { COMPOSE_QUEUE_ARN, recipientsIn, snapshotOf, withReleaseDate } from './fakes.ts';

const NOW = new Date('2024-06-01T00:00:00Z');
const APPROVAL: ApprovalPolicy = { approvers: ['lead@example.com'], lead: '24h', onTimeout: 'hold' };

const approvalSnapshot = (overrides: Partial<ReleaseSnapshot> = {}): ReleaseSnapshot =>
  snapshotOf({
    policy: { ...DEFAULT_SEND_POLICY, points: parsePointSpecs('-7d@09:00,-1d@09:00'), approval: APPROVAL },
    recipients: [
      ...recipientsIn(2, 'Europe/Berlin', 'berlin'),
      ...recipientsIn(1, 'America/New_York', 'ny').map((r) => ({ ...r, locale: 'de', audience: 'partners' })),
    ],
    ...overrides,
  });

const desiredAt = (snapshot: ReleaseSnapshot, now = NOW) =>
  desiredSchedules(snapshot, { now, targetArn: COMPOSE_QUEUE_ARN });

const reviews = (snapshot: ReleaseSnapshot, now = NOW) =>
  desiredAt(snapshot, now).schedules.filter((d) => d.schedule.name.includes('-review-'));

const existingFor = (snapshot: ReleaseSnapshot, now = NOW): OneTimeSchedule[] =>
  desiredAt(snapshot, now).schedules.map((d) => ({ ...d.schedule }));

describe('Function: desiredSchedules (policy approval: review schedules)', () => {
  it('adds one review schedule per point, lead before its earliest zone, with the groups of every zone', () => {
    // Act
    const found = reviews(approvalSnapshot());

    // Assert: 2024-06-13 09:00 Berlin (07:00Z) is the earliest of -7d; 24 h before it, in UTC.
    expect(found.map((d) => [d.schedule.name, d.schedule.at, d.schedule.timeZone])).toEqual([
      ['rh-10001-b7d0h0m0900-review-0', '2024-06-12T07:00:00', 'UTC'],
      ['rh-10001-b1d0h0m0900-review-0', '2024-06-18T07:00:00', 'UTC'],
    ]);
    const job = reviewJobMessage.parse(JSON.parse(found[0]?.schedule.input ?? ''));
    expect(job.kind).toBe('review.job');
    expect(job.payload).toMatchObject({
      versionId: '10001',
      pointId: 'b7d0h0m0900',
      timeZone: 'Europe/Berlin',
      dueAt: '2024-06-13T07:00:00.000Z',
      notAfter: '2024-06-13T13:00:00.000Z',
      groups: [
        { audience: 'all', locale: 'en', recipients: 2 },
        { audience: 'partners', locale: 'de', recipients: 1 },
      ],
    });
    expect(seriesOfName(found[0]?.schedule.name ?? '')).toBe('rh-10001-b7d0h0m0900-review-');
    expect(desiredAt(approvalSnapshot()).wantedSeries).toContain('rh-10001-b7d0h0m0900-review-');
  });

  it('fires a review whose time has passed a minute from now, and none for a point already due', () => {
    // Arrange: 2024-06-12T20:00Z is past -7d's review time, before its send time.
    const now = new Date('2024-06-12T20:00:00Z');

    // Act
    const found = reviews(approvalSnapshot(), now);
    const afterDue = reviews(approvalSnapshot(), new Date('2024-06-13T08:00:00Z'));

    // Assert
    expect(found[0]?.schedule.at).toBe('2024-06-12T20:01:00');
    expect(found[0]?.dueAt.toISOString()).toBe('2024-06-12T20:01:00.000Z');
    expect(afterDue.map((d) => d.pointId)).toEqual(['b1d0h0m0900']);
  });

  it('adds none without approval, nor for a released or deleted release', () => {
    expect(reviews(snapshotOf())).toEqual([]);
    expect(reviews(approvalSnapshot({ state: 'released' }))).toEqual([]);
    expect(reviews(approvalSnapshot({ state: 'deleted', version: null }))).toEqual([]);
  });
});

describe('Function: planChanges (review schedules)', () => {
  it('keeps review schedules that did not change', () => {
    const snapshot = approvalSnapshot();
    const plan = planChanges(desiredAt({ ...snapshot, readAt: snapshot.readAt + 1 }), existingFor(snapshot), {
      now: NOW,
    });
    expect(plan.update).toEqual([]);
    expect(plan.create).toEqual([]);
    expect(plan.delete).toEqual([]);
  });

  it('moves the review schedule with the release date', () => {
    const snapshot = approvalSnapshot();
    const plan = planChanges(desiredAt(withReleaseDate(snapshot, '2024-06-27')), existingFor(snapshot), {
      now: NOW,
    });
    const moved = plan.update.find((u) => u.desired.schedule.name === 'rh-10001-b7d0h0m0900-review-0');
    expect(moved?.changes).toEqual(['at', 'input']);
    expect(moved?.desired.schedule.at).toBe('2024-06-19T07:00:00');
  });

  it('deletes the review schedules when approval is removed from the policy', () => {
    const snapshot = approvalSnapshot();
    const { approval: _approval, ...policy } = snapshot.policy;
    const plan = planChanges(desiredAt({ ...snapshot, policy }), existingFor(snapshot), { now: NOW });
    expect(plan.delete.map((d) => [d.existing.name, d.reason])).toEqual([
      ['rh-10001-b1d0h0m0900-review-0', 'cancelled'],
      ['rh-10001-b7d0h0m0900-review-0', 'cancelled'],
    ]);
    expect(plan.update).toEqual([]);
  });
});
