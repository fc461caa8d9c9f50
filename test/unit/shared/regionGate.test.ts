import { describe, expect, it, vi } from 'vitest';
import type { ActiveRegion } from '#contracts/activeRegion';
import { PermanentError, RetryableError } from '#shared/errors';
import { createRegionGate, RegionPassiveError, RegionPendingError } from '#shared/regionGate';

const T = Date.parse('2026-03-01T10:00:00.000Z');
const switchToWest: ActiveRegion = {
  region: 'us-west-2',
  activeFrom: T + 90_000,
  previousUntil: T,
  activatedAt: new Date(T - 10_000).toISOString(),
  epoch: 3,
};

const gateIn = (region: string, flag: ActiveRegion | null) => {
  const get = vi.fn(async () => flag);
  const gate = createRegionGate({ store: { get }, region, homeRegion: 'us-east-1', now: () => T });
  return { gate, get, logger: { warn: vi.fn() } };
};

describe('Function: createRegionGate', () => {
  it('lets compose and send go on in the active region, reading the record for every record', async () => {
    // Arrange
    const { gate, get, logger } = gateIn('us-east-1', null);

    // Act
    const results = [await gate('compose', logger), await gate('send', logger)];

    // Assert
    expect(results).toEqual([true, true]);
    expect(get).toHaveBeenCalledTimes(2);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('skips a compose job in a passive region and logs which region is active', async () => {
    // Arrange
    const { gate, logger } = gateIn('us-east-1', switchToWest);

    // Act
    const result = await gate('compose', logger);

    // Assert
    expect(result).toBe(false);
    expect(logger.warn).toHaveBeenCalledWith(
      { region: 'us-east-1', activeRegion: 'us-west-2' },
      'compose_skipped_region_passive',
    );
  });

  it('dead-letters a send job in a passive region with reason region_passive', async () => {
    // Arrange
    const { gate, logger } = gateIn('us-east-1', switchToWest);

    // Act
    const run = gate('send', logger);

    // Assert
    await expect(run).rejects.toBeInstanceOf(RegionPassiveError);
    await expect(run).rejects.toBeInstanceOf(PermanentError);
    await expect(run).rejects.toMatchObject({ reason: 'region_passive', activeRegion: 'us-west-2' });
  });

  it('makes a pending region wait until it starts (retryable, Retry-After in seconds)', async () => {
    // Arrange
    const { gate, logger } = gateIn('us-west-2', switchToWest);

    // Act
    const runs = [gate('compose', logger), gate('send', logger)];

    // Assert
    for (const run of runs) {
      await expect(run).rejects.toBeInstanceOf(RegionPendingError);
      await expect(run).rejects.toBeInstanceOf(RetryableError);
      await expect(run).rejects.toMatchObject({ retryAfterSeconds: 90, activeFrom: T + 90_000 });
    }
  });
});
