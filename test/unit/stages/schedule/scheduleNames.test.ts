import { describe, expect, it } from 'vitest';
import {
  releaseSchedulePrefix,
  SCHEDULE_NAME_PATTERN,
  scheduleName,
  scheduleSeries,
  seriesOfName,
  zoneTag,
} from '#stages/schedule/scheduleNames';

describe('Function: zoneTag', () => {
  it('gives 8 hex digits, the same for the same zone', () => {
    expect(zoneTag('Europe/Berlin')).toMatch(/^[0-9a-f]{8}$/);
    expect(zoneTag('Europe/Berlin')).toBe(zoneTag('Europe/Berlin'));
    expect(zoneTag('Europe/Berlin')).not.toBe(zoneTag('Europe/Paris'));
  });

  it('gives every time zone the runtime knows a distinct tag', () => {
    // Arrange
    const zones = [...Intl.supportedValuesOf('timeZone'), 'UTC'];

    // Act
    const tags = new Set(zones.map(zoneTag));

    // Assert
    expect(tags.size).toBe(new Set(zones).size);
  });
});

describe('Function: scheduleName', () => {
  it('builds rh-<version>-<point>-<zone tag>-<chunk>', () => {
    // Act
    const name = scheduleName({ versionId: '10001', pointId: 'b7d0h0m0900', timeZone: 'UTC', chunkIndex: 3 });

    // Assert
    expect(name).toBe(`rh-10001-b7d0h0m0900-${zoneTag('UTC')}-3`);
    expect(name).toMatch(SCHEDULE_NAME_PATTERN);
  });

  it('stays within 64 characters for the longest version id, point id and chunk index', () => {
    // Act
    const name = scheduleName({
      versionId: '9'.repeat(18),
      pointId: 'b'.repeat(24),
      timeZone: 'America/Argentina/ComodRivadavia',
      chunkIndex: 99_999,
    });

    // Assert
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name).toMatch(SCHEDULE_NAME_PATTERN);
  });

  it('rejects parts that make no valid Scheduler name', () => {
    expect(() =>
      scheduleName({ versionId: '10001', pointId: 'has space', timeZone: 'UTC', chunkIndex: 0 }),
    ).toThrow(RangeError);
    expect(() =>
      scheduleName({ versionId: '1'.repeat(40), pointId: 'b'.repeat(24), timeZone: 'UTC', chunkIndex: 0 }),
    ).toThrow(RangeError);
  });
});

describe('Function: releaseSchedulePrefix', () => {
  it('ends with a dash so version 1 does not list version 10', () => {
    // Arrange
    const ofVersion10 = scheduleName({
      versionId: '10',
      pointId: 'b1d0h0m0900',
      timeZone: 'UTC',
      chunkIndex: 0,
    });

    // Act
    const prefix = releaseSchedulePrefix('1');

    // Assert
    expect(prefix).toBe('rh-1-');
    expect(ofVersion10.startsWith(prefix)).toBe(false);
    expect(ofVersion10.startsWith(releaseSchedulePrefix('10'))).toBe(true);
  });
});

describe('Function: seriesOfName', () => {
  it('drops the chunk index, giving the series every chunk shares', () => {
    // Arrange
    const parts = { versionId: '10001', pointId: 'b1d0h0m0900', timeZone: 'Asia/Kolkata' };

    // Act
    const series = seriesOfName(scheduleName({ ...parts, chunkIndex: 12 }));

    // Assert
    expect(series).toBe(scheduleSeries(parts));
    expect(seriesOfName('rh-10001-no-chunk-index-')).toBeUndefined();
  });
});
