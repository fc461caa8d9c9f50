import { describe, expect, it } from 'vitest';
import { pointDeadline } from '#shared/pointDeadline';

const SIX_HOURS = 6 * 3_600_000;

describe('Function: pointDeadline', () => {
  it('is the due time plus the maximum lateness for a point before the release day', () => {
    // Act
    const notAfter = pointDeadline({
      pointKind: 'before',
      dueAt: new Date('2026-12-08T08:00:00Z'),
      releaseDate: '2026-12-15',
      timeZone: 'Europe/Berlin',
      maxLatenessMs: SIX_HOURS,
    });

    // Assert
    expect(notAfter.toISOString()).toBe('2026-12-08T14:00:00.000Z');
  });

  it('never lets a release-day point run past midnight of that day in the recipients’ zone', () => {
    // Arrange: 20:00 in Berlin (19:00Z) on the release day; 6 h later would be 02:00 the next day.
    const input = {
      pointKind: 'before' as const,
      dueAt: new Date('2026-12-15T19:00:00Z'),
      releaseDate: '2026-12-15',
      maxLatenessMs: SIX_HOURS,
    };

    // Act
    const berlin = pointDeadline({ ...input, timeZone: 'Europe/Berlin' });
    const tokyo = pointDeadline({
      ...input,
      dueAt: new Date('2026-12-15T11:00:00Z'),
      timeZone: 'Asia/Tokyo',
    });
    const newYork = pointDeadline({
      ...input,
      dueAt: new Date('2026-12-16T01:00:00Z'),
      timeZone: 'America/New_York',
    });

    // Assert: midnight local is 23:00Z in Berlin (CET), 15:00Z in Tokyo, 05:00Z next day in New York.
    expect(berlin.toISOString()).toBe('2026-12-15T23:00:00.000Z');
    expect(tokyo.toISOString()).toBe('2026-12-15T15:00:00.000Z');
    expect(newYork.toISOString()).toBe('2026-12-16T05:00:00.000Z');
  });

  it('keeps the lateness when it ends before midnight on the release day', () => {
    // Act: 09:00 in Berlin on the release day.
    const notAfter = pointDeadline({
      pointKind: 'before',
      dueAt: new Date('2026-12-15T08:00:00Z'),
      releaseDate: '2026-12-15',
      timeZone: 'Europe/Berlin',
      maxLatenessMs: SIX_HOURS,
    });

    // Assert
    expect(notAfter.toISOString()).toBe('2026-12-15T14:00:00.000Z');
  });

  it('ends the release day at the local midnight on both sides of a DST change', () => {
    // Arrange: Berlin springs forward on 2024-03-31 (that day has 23 h) and falls back on
    // 2024-10-27 (25 h); points at 22:00 local with 6 h of lateness.
    const base = { pointKind: 'before' as const, timeZone: 'Europe/Berlin', maxLatenessMs: SIX_HOURS };

    // Act
    const spring = pointDeadline({
      ...base,
      dueAt: new Date('2024-03-31T20:00:00Z'),
      releaseDate: '2024-03-31',
    });
    const autumn = pointDeadline({
      ...base,
      dueAt: new Date('2024-10-27T21:00:00Z'),
      releaseDate: '2024-10-27',
    });

    // Assert: midnight after the change is 22:00Z (CEST) and 23:00Z (CET).
    expect(spring.toISOString()).toBe('2024-03-31T22:00:00.000Z');
    expect(autumn.toISOString()).toBe('2024-10-27T23:00:00.000Z');
  });

  it('does not cap a point due the evening before the release day, nor an on-release point', () => {
    // Act: -2h is 22:00 the day before in Berlin.
    const eve = pointDeadline({
      pointKind: 'before',
      dueAt: new Date('2026-12-14T21:00:00Z'),
      releaseDate: '2026-12-15',
      timeZone: 'Europe/Berlin',
      maxLatenessMs: SIX_HOURS,
    });
    const onRelease = pointDeadline({
      pointKind: 'on_release',
      dueAt: new Date('2026-12-15T22:30:00Z'),
      releaseDate: '2026-12-15',
      timeZone: 'Europe/Berlin',
      maxLatenessMs: SIX_HOURS,
    });

    // Assert
    expect(eve.toISOString()).toBe('2026-12-15T03:00:00.000Z');
    expect(onRelease.toISOString()).toBe('2026-12-16T04:30:00.000Z');
  });
});
