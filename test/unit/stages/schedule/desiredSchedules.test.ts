import { describe, expect, it } from 'vitest';
import { type ComposeJob, composeJobMessage } from '#contracts/composeJob';
import { parseContract } from '#contracts/errors';
import { ON_RELEASE_POINT_ID, parsePointSpecs } from '#contracts/sendPolicy';
import { PermanentError } from '#shared/errors';
import {
  type DesiredSchedule,
  desiredSchedules,
  SCHEDULE_INPUT_MARGIN,
} from '#stages/schedule/desiredSchedules';
import { SCHEDULE_NAME_PATTERN, scheduleSeries, zoneTag } from '#stages/schedule/scheduleNames';
import { topology } from '#topology/topology';
import { COMPOSE_QUEUE_ARN, recipientsIn, SNAPSHOT_READ_AT, snapshotOf, withReleaseDate } from './fakes.ts';

const NOW = new Date('2024-06-01T00:00:00Z');
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const options = { now: NOW, targetArn: COMPOSE_QUEUE_ARN, traceparent: TRACEPARENT };

const jobOf = (d: DesiredSchedule) =>
  parseContract('compose.job', composeJobMessage, JSON.parse(d.schedule.input));

/** `[timeZone, at, dueAt]` of each schedule, for compact assertions. */
const timesOf = (schedules: DesiredSchedule[]) =>
  schedules.map((d) => [d.schedule.timeZone, d.schedule.at, d.dueAt.toISOString()]);

describe('Function: desiredSchedules', () => {
  it('schedules the default policy (7, 1 and 0 days before at 09:00) in each zone', () => {
    // Arrange
    const snapshot = snapshotOf();

    // Act
    const { schedules, skipped, listPrefix } = desiredSchedules(snapshot, options);

    // Assert
    expect(listPrefix).toBe('rh-10001-');
    expect(skipped).toEqual([]);
    expect(timesOf(schedules)).toEqual([
      ['America/New_York', '2024-06-13T09:00:00', '2024-06-13T13:00:00.000Z'],
      ['America/New_York', '2024-06-19T09:00:00', '2024-06-19T13:00:00.000Z'],
      ['America/New_York', '2024-06-20T09:00:00', '2024-06-20T13:00:00.000Z'],
      ['Europe/Berlin', '2024-06-13T09:00:00', '2024-06-13T07:00:00.000Z'],
      ['Europe/Berlin', '2024-06-19T09:00:00', '2024-06-19T07:00:00.000Z'],
      ['Europe/Berlin', '2024-06-20T09:00:00', '2024-06-20T07:00:00.000Z'],
    ]);
    expect(schedules.map((d) => d.pointId)).toEqual([
      'b7d0h0m0900',
      'b1d0h0m0900',
      'a0d0h0m0900',
      'b7d0h0m0900',
      'b1d0h0m0900',
      'a0d0h0m0900',
    ]);
    expect(schedules.every((d) => d.schedule.targetArn === COMPOSE_QUEUE_ARN)).toBe(true);
  });

  it('puts a compose.job envelope with the key, point, zone, recipients and snapshot time in each Input', () => {
    // Arrange
    const snapshot = snapshotOf();

    // Act
    const [first] = desiredSchedules(snapshot, options).schedules;

    // Assert
    if (!first) throw new Error('expected a schedule');
    const job = jobOf(first);
    expect(job.key).toBe('10001:b7d0h0m0900@2024-06-20:America/New_York:0');
    expect(job.traceparent).toBe(TRACEPARENT);
    expect(job.payload).toEqual<ComposeJob>({
      versionId: '10001',
      projectKey: 'ABC',
      pointId: 'b7d0h0m0900',
      pointKind: 'before',
      releaseDate: '2024-06-20',
      timeZone: 'America/New_York',
      dueAt: '2024-06-13T13:00:00.000Z',
      chunk: { index: 0, count: 1 },
      recipients: [{ email: 'ny-0@example.com', name: 'Client 0', locale: 'en' }],
      snapshotAt: SNAPSHOT_READ_AT,
      // Due time plus the default lateness of 6 h (not a release-day point).
      notAfter: '2024-06-13T19:00:00.000Z',
    });
  });

  it('resolves points across a DST change in the zone: days on the calendar, hours on the wall clock', () => {
    // Arrange: Berlin springs forward at 02:00 on 2024-03-31, the release date.
    const snapshot = snapshotOf({
      version: { id: '10001', name: 'v1', releaseDate: '2024-03-31', released: false, archived: false },
      policy: {
        ...snapshotOf().policy,
        points: parsePointSpecs('-7d@09:00,-1d@09:00,0d@09:00,0d@02:30,-12h@14:00'),
      },
      recipients: recipientsIn(1, 'Europe/Berlin'),
    });

    // Act
    const { schedules } = desiredSchedules(snapshot, { ...options, now: new Date('2024-03-01T00:00:00Z') });

    // Assert
    expect(timesOf(schedules)).toEqual([
      ['Europe/Berlin', '2024-03-24T09:00:00', '2024-03-24T08:00:00.000Z'],
      ['Europe/Berlin', '2024-03-30T09:00:00', '2024-03-30T08:00:00.000Z'],
      ['Europe/Berlin', '2024-03-31T09:00:00', '2024-03-31T07:00:00.000Z'],
      // 02:30 does not exist that night: the first instant after the gap, named as it occurs.
      ['Europe/Berlin', '2024-03-31T03:00:00', '2024-03-31T01:00:00.000Z'],
      // 14:00 less 12 wall-clock hours is 02:00, also in the gap (not 12 elapsed hours, 00:00Z).
      ['Europe/Berlin', '2024-03-31T03:00:00', '2024-03-31T01:00:00.000Z'],
    ]);
  });

  it('resolves the DST week of New York, Lord Howe (half-hour shift) and Chatham', () => {
    // Arrange
    const at = (releaseDate: string, zone: string, specs: string) =>
      timesOf(
        desiredSchedules(
          snapshotOf({
            version: { id: '10001', name: 'v1', releaseDate, released: false, archived: false },
            policy: { ...snapshotOf().policy, points: parsePointSpecs(specs) },
            recipients: recipientsIn(1, zone),
          }),
          { ...options, now: new Date('2024-01-01T00:00:00Z') },
        ).schedules,
      );

    // Act + Assert: New York springs forward on 2024-03-10 at 02:00.
    expect(at('2024-03-10', 'America/New_York', '-1d@09:00,0d@09:00,0d@02:15')).toEqual([
      ['America/New_York', '2024-03-09T09:00:00', '2024-03-09T14:00:00.000Z'],
      ['America/New_York', '2024-03-10T09:00:00', '2024-03-10T13:00:00.000Z'],
      ['America/New_York', '2024-03-10T03:00:00', '2024-03-10T07:00:00.000Z'],
    ]);
    // Lord Howe moves from +10:30 to +11 on 2024-10-06 at 02:00 (a 30-minute gap).
    expect(at('2024-10-06', 'Australia/Lord_Howe', '-1d@09:00,0d@09:00,0d@02:15')).toEqual([
      ['Australia/Lord_Howe', '2024-10-05T09:00:00', '2024-10-04T22:30:00.000Z'],
      ['Australia/Lord_Howe', '2024-10-06T09:00:00', '2024-10-05T22:00:00.000Z'],
      ['Australia/Lord_Howe', '2024-10-06T02:30:00', '2024-10-05T15:30:00.000Z'],
    ]);
    // Chatham falls back from +13:45 to +12:45 on 2024-04-07 at 03:45: 02:50 happens twice.
    expect(at('2024-04-07', 'Pacific/Chatham', '-1d@09:00,0d@09:00,0d@02:50')).toEqual([
      ['Pacific/Chatham', '2024-04-06T09:00:00', '2024-04-05T19:15:00.000Z'],
      ['Pacific/Chatham', '2024-04-07T09:00:00', '2024-04-06T20:15:00.000Z'],
      ['Pacific/Chatham', '2024-04-07T02:50:00', '2024-04-06T13:05:00.000Z'],
    ]);
    // Kolkata and UTC have no DST.
    expect(at('2024-03-31', 'Asia/Kolkata', '0d@09:00')).toEqual([
      ['Asia/Kolkata', '2024-03-31T09:00:00', '2024-03-31T03:30:00.000Z'],
    ]);
    expect(at('2024-03-31', 'UTC', '0d@09:00')).toEqual([
      ['UTC', '2024-03-31T09:00:00', '2024-03-31T09:00:00.000Z'],
    ]);
  });

  it('skips points due at or before now and reports them', () => {
    // Arrange: the 1-day-before point in Berlin is due exactly now.
    const now = new Date('2024-06-19T07:00:00Z');

    // Act
    const { schedules, skipped } = desiredSchedules(snapshotOf(), { ...options, now });

    // Assert
    expect(timesOf(schedules)).toEqual([
      ['America/New_York', '2024-06-19T09:00:00', '2024-06-19T13:00:00.000Z'],
      ['America/New_York', '2024-06-20T09:00:00', '2024-06-20T13:00:00.000Z'],
      ['Europe/Berlin', '2024-06-20T09:00:00', '2024-06-20T07:00:00.000Z'],
    ]);
    expect(skipped.map((s) => [s.timeZone, s.pointId, s.dueAt.toISOString(), s.reason])).toEqual([
      ['America/New_York', 'b7d0h0m0900', '2024-06-13T13:00:00.000Z', 'past'],
      ['Europe/Berlin', 'b7d0h0m0900', '2024-06-13T07:00:00.000Z', 'past'],
      ['Europe/Berlin', 'b1d0h0m0900', '2024-06-19T07:00:00.000Z', 'past'],
    ]);
  });

  it('wants past and future points alike, so a point about to fire is not cancelled', () => {
    // Act
    const { wantedSeries } = desiredSchedules(snapshotOf(), {
      ...options,
      now: new Date('2024-06-19T07:00:00Z'),
    });

    // Assert
    expect(wantedSeries).toHaveLength(6);
    expect(wantedSeries).toContain(
      scheduleSeries({ versionId: '10001', pointId: 'b7d0h0m0900', timeZone: 'Europe/Berlin' }),
    );
  });

  it('gives a released version only the on-release point, one per zone a minute from now, for the released event', () => {
    // Arrange
    const now = new Date('2024-06-20T10:00:00.500Z');
    const snapshot = snapshotOf({
      event: 'jira:version_released',
      state: 'released',
      version: { id: '10001', name: 'v1', releaseDate: '2024-06-20', released: true, archived: false },
      policy: { ...snapshotOf().policy, onRelease: true },
    });

    // Act
    const { schedules, wantedSeries } = desiredSchedules(snapshot, { ...options, now });

    // Assert
    expect(timesOf(schedules)).toEqual([
      ['UTC', '2024-06-20T10:01:00', '2024-06-20T10:01:00.000Z'],
      ['UTC', '2024-06-20T10:01:00', '2024-06-20T10:01:00.000Z'],
    ]);
    expect(schedules.map((d) => d.schedule.name)).toEqual([
      `rh-10001-onrelease-${zoneTag('America/New_York')}-0`,
      `rh-10001-onrelease-${zoneTag('Europe/Berlin')}-0`,
    ]);
    const job = schedules[1] && jobOf(schedules[1]);
    expect(job?.key).toBe('10001:onrelease@2024-06-20:Europe/Berlin:0');
    expect(job?.payload).toMatchObject({
      pointId: ON_RELEASE_POINT_ID,
      pointKind: 'on_release',
      timeZone: 'Europe/Berlin',
    });
    expect(wantedSeries.every((s) => s.includes(`-${ON_RELEASE_POINT_ID}-`))).toBe(true);
  });

  it('creates no on-release point for other events or without onRelease, but still wants it when released', () => {
    // Arrange
    const released = snapshotOf({
      event: 'jira:version_updated',
      state: 'released',
      version: { id: '10001', name: 'v1', releaseDate: '2024-06-20', released: true, archived: false },
      policy: { ...snapshotOf().policy, onRelease: true },
    });
    const releasedEventNoPolicy = {
      ...released,
      event: 'jira:version_released' as const,
      policy: snapshotOf().policy,
    };

    // Act
    const updated = desiredSchedules(released, options);
    const noPolicy = desiredSchedules(releasedEventNoPolicy, options);

    // Assert
    expect(updated.schedules).toEqual([]);
    expect(updated.wantedSeries).toHaveLength(2);
    expect(noPolicy.schedules).toEqual([]);
    expect(noPolicy.wantedSeries).toEqual([]);
  });

  it.each(['deleted', 'archived'] as const)('wants nothing for a %s version', (state) => {
    // Arrange
    const snapshot = snapshotOf({
      event: state === 'deleted' ? 'jira:version_deleted' : 'jira:version_updated',
      state,
      version:
        state === 'deleted'
          ? null
          : { id: '10001', name: 'v1', releaseDate: '2024-06-20', released: false, archived: true },
      policy: { ...snapshotOf().policy, onRelease: true },
    });

    // Act
    const set = desiredSchedules(snapshot, options);

    // Assert
    expect(set).toMatchObject({ schedules: [], skipped: [], wantedSeries: [] });
  });

  it('has no before points when the release date is unset', () => {
    // Act
    const set = desiredSchedules(withReleaseDate(snapshotOf(), undefined), options);

    // Assert
    expect(set).toMatchObject({ schedules: [], skipped: [], wantedSeries: [] });
  });

  it('schedules each address once, in the first zone it appears with', () => {
    // Arrange
    const snapshot = snapshotOf({
      recipients: [
        { email: 'b@example.com', locale: 'de', timeZone: 'Europe/Berlin' },
        { email: 'a@example.com', locale: 'en', timeZone: 'Europe/Berlin' },
        { email: 'a@example.com', locale: 'en', timeZone: 'Asia/Kolkata' },
      ],
      policy: { ...snapshotOf().policy, points: parsePointSpecs('0d@09:00') },
    });

    // Act
    const { schedules } = desiredSchedules(snapshot, options);

    // Assert: one zone, addresses sorted so the same directory always packs the same way.
    expect(schedules).toHaveLength(1);
    expect(schedules[0]?.schedule.timeZone).toBe('Europe/Berlin');
    expect(schedules[0] && jobOf(schedules[0]).payload.recipients.map((r) => r.email)).toEqual([
      'a@example.com',
      'b@example.com',
    ]);
  });

  it('splits 2,000 recipients into chunks that fit the Input limit and cover everyone exactly once', () => {
    // Arrange: long names with multi-byte characters, in two zones.
    const recipients = [
      ...recipientsIn(1500, 'Europe/Berlin', 'berlin'),
      ...recipientsIn(500, 'Asia/Kolkata', 'kolkata'),
    ].map((r, i) => ({
      ...r,
      name: `Zoë Łukasiewicz-Müller 😀 ${'x'.repeat(i % 150)}`,
      locale: i % 3 === 0 ? 'de-DE' : 'en',
    }));
    const snapshot = snapshotOf({ recipients });
    const budget = topology.scheduleInputLimit - SCHEDULE_INPUT_MARGIN;

    // Act
    const { schedules } = desiredSchedules(snapshot, options);

    // Assert: every Input fits, in UTF-8 bytes and so in characters.
    for (const d of schedules) {
      expect(Buffer.byteLength(d.schedule.input)).toBeLessThanOrEqual(budget);
      expect(d.schedule.input.length).toBeLessThanOrEqual(topology.scheduleInputLimit);
    }
    // Each (point, zone) covers its zone's recipients exactly once, in chunks 0..count-1.
    const series = Map.groupBy(schedules, (d) => `${d.pointId} ${d.recipientTimeZone}`);
    expect(series.size).toBe(6);
    for (const [key, chunks] of series) {
      const zone = key.split(' ')[1];
      const expected = recipients.filter((r) => r.timeZone === zone).map((r) => r.email);
      const jobs = chunks.map(jobOf);
      const emails = jobs.flatMap((j) => j.payload.recipients.map((r) => r.email));
      expect(emails).toHaveLength(expected.length);
      expect(new Set(emails)).toEqual(new Set(expected));
      expect(jobs.map((j) => j.payload.chunk)).toEqual(
        jobs.map((_, index) => ({ index, count: jobs.length })),
      );
      expect(jobs.length).toBeGreaterThan(1);
      // Greedy: no chunk could have taken the next chunk's first recipient (packing reserves
      // room for 5-digit chunk numbers in the key and the chunk's index and count).
      const reserved = 3 * 4;
      for (let i = 0; i + 1 < jobs.length; i++) {
        const [current, following] = [jobs[i], jobs[i + 1]];
        if (!current || !following) throw new Error('missing chunk');
        const grown = {
          ...current,
          payload: {
            ...current.payload,
            recipients: [...current.payload.recipients, following.payload.recipients[0]],
          },
        };
        expect(Buffer.byteLength(JSON.stringify(grown))).toBeGreaterThan(budget - reserved);
      }
    }
    // Names are unique.
    expect(new Set(schedules.map((d) => d.schedule.name)).size).toBe(schedules.length);
  });

  it('refuses a recipient that alone cannot fit the Input limit', () => {
    // Act + Assert
    expect(() => desiredSchedules(snapshotOf(), { ...options, inputLimit: 900 })).toThrow(PermanentError);
  });

  it('gives deterministic, valid names and identical inputs for the same snapshot and time', () => {
    // Arrange
    const snapshot = snapshotOf({ recipients: recipientsIn(300, 'Pacific/Chatham') });

    // Act
    const first = desiredSchedules(snapshot, options);
    const second = desiredSchedules(structuredClone(snapshot), options);

    // Assert
    expect(second).toEqual(first);
    for (const d of first.schedules) {
      expect(d.schedule.name).toMatch(SCHEDULE_NAME_PATTERN);
      expect(d.schedule.name).toBe(`rh-10001-${d.pointId}-${zoneTag('Pacific/Chatham')}-${d.chunk.index}`);
      expect(d.schedule.name.startsWith(first.listPrefix)).toBe(true);
    }
  });

  it('uses the configured schedule prefix', () => {
    // Act
    const set = desiredSchedules(snapshotOf(), { ...options, schedulePrefix: 'test' });

    // Assert
    expect(set.listPrefix).toBe('test-10001-');
    expect(set.schedules.every((d) => d.schedule.name.startsWith('test-10001-'))).toBe(true);
  });
});
