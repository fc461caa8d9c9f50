import { describe, expect, it } from 'vitest';
import { daysBefore } from '#stages/compose/daysBefore';
import { draftKey } from '#stages/shared/draftKey';

describe('Function: daysBefore', () => {
  it('counts calendar days from the local due date to the release date', () => {
    // Arrange: 09:00 in Berlin on 8 December is 08:00 UTC.
    const job = {
      pointKind: 'before' as const,
      releaseDate: '2026-12-15',
      dueAt: '2026-12-08T08:00:00.000Z',
      timeZone: 'Europe/Berlin',
    };

    // Act / Assert
    expect(daysBefore(job)).toBe(7);
  });

  it('counts from the actual day when the point goes out late, never from the planned one', () => {
    // Arrange: the 7-day point, composed 3 days late.
    const job = {
      pointKind: 'before' as const,
      releaseDate: '2026-12-15',
      dueAt: '2026-12-08T08:00:00.000Z',
      timeZone: 'Europe/Berlin',
    };

    // Act / Assert
    expect(daysBefore(job, new Date('2026-12-11T09:00:00Z'))).toBe(4);
    // Early (a redelivery cannot run before its time, but a clock may): the planned day.
    expect(daysBefore(job, new Date('2026-12-07T09:00:00Z'))).toBe(7);
  });

  it('uses the recipients’ time zone, not UTC, for the due day', () => {
    // Arrange: 23:30 UTC on 13 December is already 14 December in Tokyo.
    const job = {
      pointKind: 'before' as const,
      releaseDate: '2026-12-15',
      dueAt: '2026-12-13T23:30:00.000Z',
      timeZone: 'Asia/Tokyo',
    };

    // Act / Assert
    expect(daysBefore(job)).toBe(1);
  });

  it('is 0 on the release day and never negative', () => {
    const base = { pointKind: 'before' as const, releaseDate: '2026-12-15', timeZone: 'UTC' };
    expect(daysBefore({ ...base, dueAt: '2026-12-15T09:00:00.000Z' })).toBe(0);
    expect(daysBefore({ ...base, dueAt: '2026-12-16T09:00:00.000Z' })).toBe(0);
  });

  it('is undefined for on-release points and jobs without a release date', () => {
    expect(
      daysBefore({
        pointKind: 'on_release',
        releaseDate: '2026-12-15',
        dueAt: '2026-12-15T09:00:00Z',
        timeZone: 'UTC',
      }),
    ).toBeUndefined();
    expect(
      daysBefore({
        pointKind: 'before',
        releaseDate: undefined,
        dueAt: '2026-12-15T09:00:00Z',
        timeZone: 'UTC',
      }),
    ).toBeUndefined();
  });
});

describe('Function: draftKey', () => {
  it('keys a draft by version, point, release date and locale', () => {
    expect(draftKey({ versionId: '10042', pointId: 'b7d0h0m0900', releaseDate: '2026-12-15' }, 'de-DE')).toBe(
      'draft:10042:b7d0h0m0900@2026-12-15:de-DE',
    );
    expect(draftKey({ versionId: '10042', pointId: 'onrelease', releaseDate: undefined }, 'en')).toBe(
      'draft:10042:onrelease@none:en',
    );
  });
});
