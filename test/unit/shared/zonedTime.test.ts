import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addWallClockMinutes,
  isLocalDateTime,
  timeZoneOffsetMinutes,
  utcToZoned,
  zonedToUtc,
} from '#shared/zonedTime';

describe('Function: zonedToUtc', () => {
  it.each([
    // zone, local wall time, expected instant
    ['UTC', '2024-06-01T09:00:00', '2024-06-01T09:00:00.000Z'],
    ['Europe/Berlin', '2024-01-15T09:00:00', '2024-01-15T08:00:00.000Z'],
    ['Europe/Berlin', '2024-07-15T09:00:00', '2024-07-15T07:00:00.000Z'],
    ['America/New_York', '2024-01-15T09:00:00', '2024-01-15T14:00:00.000Z'],
    ['America/New_York', '2024-07-15T09:00:00', '2024-07-15T13:00:00.000Z'],
    ['Asia/Kolkata', '2024-06-01T09:00:00', '2024-06-01T03:30:00.000Z'],
    ['Asia/Kolkata', '2024-12-31T23:59:59', '2024-12-31T18:29:59.000Z'],
    ['Australia/Lord_Howe', '2024-07-01T09:00:00', '2024-06-30T22:30:00.000Z'],
    ['Australia/Lord_Howe', '2024-12-01T09:00:00', '2024-11-30T22:00:00.000Z'],
    ['Pacific/Chatham', '2024-07-01T09:00:00', '2024-06-30T20:15:00.000Z'],
    ['Pacific/Chatham', '2024-12-01T09:00:00', '2024-11-30T19:15:00.000Z'],
  ])('resolves an unambiguous %s wall time %s', (zone, local, expected) => {
    // Act
    const instant = zonedToUtc(local, zone);

    // Assert
    expect(instant.toISOString()).toBe(expected);
  });

  it.each([
    // zone, local time inside the gap, first instant after the gap, wall clock then
    ['Europe/Berlin', '2024-03-31T02:30:00', '2024-03-31T01:00:00.000Z', '2024-03-31T03:00:00'],
    ['Europe/Berlin', '2024-03-31T02:00:00', '2024-03-31T01:00:00.000Z', '2024-03-31T03:00:00'],
    ['America/New_York', '2024-03-10T02:59:59', '2024-03-10T07:00:00.000Z', '2024-03-10T03:00:00'],
    ['Australia/Lord_Howe', '2024-10-06T02:15:00', '2024-10-05T15:30:00.000Z', '2024-10-06T02:30:00'],
    ['Pacific/Chatham', '2024-09-29T03:00:00', '2024-09-28T14:00:00.000Z', '2024-09-29T03:45:00'],
    // Samoa skipped 30 December 2011 entirely when it crossed the date line.
    ['Pacific/Apia', '2011-12-30T12:00:00', '2011-12-30T10:00:00.000Z', '2011-12-31T00:00:00'],
  ])('moves a %s time in a DST gap (%s) to the instant the gap ends', (zone, local, expected, wallAfter) => {
    // Act
    const instant = zonedToUtc(local, zone);

    // Assert
    expect(instant.toISOString()).toBe(expected);
    expect(utcToZoned(instant, zone)).toBe(wallAfter);
  });

  it('keeps the minute before a gap where it is', () => {
    expect(zonedToUtc('2024-03-31T01:59:00', 'Europe/Berlin').toISOString()).toBe('2024-03-31T00:59:00.000Z');
    expect(zonedToUtc('2024-03-31T03:00:00', 'Europe/Berlin').toISOString()).toBe('2024-03-31T01:00:00.000Z');
  });

  it.each([
    // zone, repeated local time, earlier instant, later instant (one overlap length on)
    ['Europe/Berlin', '2024-10-27T02:30:00', '2024-10-27T00:30:00.000Z', '2024-10-27T01:30:00.000Z'],
    ['America/New_York', '2024-11-03T01:30:00', '2024-11-03T05:30:00.000Z', '2024-11-03T06:30:00.000Z'],
    ['Australia/Lord_Howe', '2024-04-07T01:45:00', '2024-04-06T14:45:00.000Z', '2024-04-06T15:15:00.000Z'],
    ['Pacific/Chatham', '2024-04-07T02:50:00', '2024-04-06T13:05:00.000Z', '2024-04-06T14:05:00.000Z'],
  ])('picks the earlier instant of a %s time repeated in an overlap (%s)', (zone, local, earlier, later) => {
    // Act
    const instant = zonedToUtc(local, zone);

    // Assert: both instants read the same on the wall clock; the earlier one wins.
    expect(utcToZoned(new Date(later), zone)).toBe(local);
    expect(instant.toISOString()).toBe(earlier);
  });

  it('round-trips every quarter hour across a DST week in each zone', () => {
    // Arrange
    const zones = [
      'Europe/Berlin',
      'America/New_York',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'Asia/Kolkata',
    ];
    const weeks = [
      ['2024-03-28T00:00:00Z', '2024-04-09T00:00:00Z'],
      ['2024-09-26T00:00:00Z', '2024-10-08T00:00:00Z'],
      ['2024-10-24T00:00:00Z', '2024-11-05T00:00:00Z'],
    ] as const;

    for (const zone of zones) {
      for (const [from, to] of weeks) {
        for (let t = Date.parse(from); t < Date.parse(to); t += 15 * 60_000) {
          // Act
          const local = utcToZoned(new Date(t), zone);
          const back = zonedToUtc(local, zone).getTime();

          // Assert: the same instant, or the earlier reading of a repeated wall time.
          expect(utcToZoned(new Date(back), zone)).toBe(local);
          expect(back).toBeLessThanOrEqual(t);
          expect(t - back).toBeLessThanOrEqual(60 * 60_000);
        }
      }
    }
  });

  it.each(['2024-02-30T09:00:00', '2024-06-01 09:00:00', '2024-06-01T24:00:00', '2024-06-01T09:00', ''])(
    'rejects the malformed local time "%s"',
    (local) => {
      expect(() => zonedToUtc(local, 'UTC')).toThrow(RangeError);
    },
  );

  it('rejects an unknown time zone', () => {
    expect(() => zonedToUtc('2024-06-01T09:00:00', 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('Function: utcToZoned', () => {
  it.each([
    ['UTC', '2024-06-01T09:00:00.999Z', '2024-06-01T09:00:00'],
    ['Europe/Berlin', '2024-03-31T00:59:59Z', '2024-03-31T01:59:59'],
    ['Europe/Berlin', '2024-03-31T01:00:00Z', '2024-03-31T03:00:00'],
    ['America/New_York', '2024-11-03T05:59:59Z', '2024-11-03T01:59:59'],
    ['America/New_York', '2024-11-03T06:00:00Z', '2024-11-03T01:00:00'],
    ['Asia/Kolkata', '2024-12-31T18:30:00Z', '2025-01-01T00:00:00'],
    ['Australia/Lord_Howe', '2024-10-05T15:29:00Z', '2024-10-06T01:59:00'],
    ['Pacific/Chatham', '2024-09-28T13:59:00Z', '2024-09-29T02:44:00'],
  ])('reads the %s wall clock at %s', (zone, iso, expected) => {
    expect(utcToZoned(new Date(iso), zone)).toBe(expected);
  });

  it('uses 00, never 24, for midnight', () => {
    expect(utcToZoned(new Date('2024-06-01T22:00:00Z'), 'Europe/Berlin')).toBe('2024-06-02T00:00:00');
  });

  it('rejects an invalid date', () => {
    expect(() => utcToZoned(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
  });
});

describe('Function: timeZoneOffsetMinutes', () => {
  it.each([
    ['UTC', '2024-06-01T00:00:00Z', 0],
    ['Asia/Kolkata', '2024-06-01T00:00:00Z', 330],
    ['America/New_York', '2024-01-01T00:00:00Z', -300],
    ['Australia/Lord_Howe', '2024-01-01T00:00:00Z', 660],
    ['Australia/Lord_Howe', '2024-07-01T00:00:00Z', 630],
    ['Pacific/Chatham', '2024-07-01T00:00:00Z', 765],
  ])('gives the %s offset at %s', (zone, iso, minutes) => {
    expect(timeZoneOffsetMinutes(new Date(iso), zone)).toBe(minutes);
  });
});

describe('Function: addCalendarDays', () => {
  it.each([
    ['2024-03-01', -1, '2024-02-29'],
    ['2023-03-01', -1, '2023-02-28'],
    ['2024-12-31', 1, '2025-01-01'],
    ['2024-03-31', -7, '2024-03-24'],
    ['2024-06-15', 0, '2024-06-15'],
    ['2024-01-01', -366, '2022-12-31'],
  ])('moves %s by %i days to %s', (date, days, expected) => {
    expect(addCalendarDays(date, days)).toBe(expected);
  });

  it('rejects a date that is not yyyy-mm-dd', () => {
    expect(() => addCalendarDays('2024-6-1', 1)).toThrow(RangeError);
    expect(() => addCalendarDays('2024-02-30', 1)).toThrow(RangeError);
  });
});

describe('Function: addWallClockMinutes', () => {
  it('moves on the wall clock ignoring transitions, across midnight and into a gap', () => {
    expect(addWallClockMinutes('2024-03-31T01:30:00', 60)).toBe('2024-03-31T02:30:00');
    expect(addWallClockMinutes('2024-06-01T00:30:00', -90)).toBe('2024-05-31T23:00:00');
    expect(addWallClockMinutes('2024-06-01T09:00:00', 48 * 60)).toBe('2024-06-03T09:00:00');
  });
});

describe('Function: isLocalDateTime', () => {
  it('accepts a real local date-time and rejects anything else', () => {
    expect(isLocalDateTime('2024-02-29T23:59:59')).toBe(true);
    expect(isLocalDateTime('2023-02-29T09:00:00')).toBe(false);
    expect(isLocalDateTime('2024-06-01T09:00:00Z')).toBe(false);
  });
});
