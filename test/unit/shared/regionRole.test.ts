import { describe, expect, it } from 'vitest';
import type { ActiveRegion } from '#contracts/activeRegion';
import { HANDOVER_GUARD_SECONDS, REPLICATION_ALLOWANCE_SECONDS, regionRole } from '#shared/regionRole';
import { topology } from '#topology/topology';

const EAST = 'us-east-1';
const WEST = 'us-west-2';
const T = Date.parse('2026-03-01T10:00:00.000Z');

/** A switch to the west, written at T with a 300 s drain and the guard before it. */
const toWest = (overrides: Partial<ActiveRegion> = {}): ActiveRegion => ({
  region: WEST,
  activeFrom: T + 300_000,
  previousUntil: T + 300_000 - HANDOVER_GUARD_SECONDS * 1000,
  activatedAt: new Date(T).toISOString(),
  epoch: 1,
  ...overrides,
});

describe('Function: regionRole', () => {
  it('makes only the home region active while no switch is recorded', () => {
    // Act
    const home = regionRole({ flag: null, region: EAST, homeRegion: EAST, now: T });
    const other = regionRole({ flag: null, region: WEST, homeRegion: EAST, now: T });

    // Assert
    expect(home).toEqual({ role: 'active' });
    expect(other).toEqual({ role: 'passive', activeRegion: EAST });
  });

  it('keeps the new region pending until activeFrom, then active', () => {
    // Act
    const before = regionRole({ flag: toWest(), region: WEST, homeRegion: EAST, now: T + 299_999 });
    const at = regionRole({ flag: toWest(), region: WEST, homeRegion: EAST, now: T + 300_000 });

    // Assert
    expect(before).toEqual({ role: 'pending', activeFrom: T + 300_000 });
    expect(at).toEqual({ role: 'active' });
  });

  it('lets the home region drain until previousUntil when the first switch names no previous region', () => {
    // Arrange
    const until = T + 300_000 - HANDOVER_GUARD_SECONDS * 1000;

    // Act
    const draining = regionRole({ flag: toWest(), region: EAST, homeRegion: EAST, now: until - 1 });
    const stopped = regionRole({ flag: toWest(), region: EAST, homeRegion: EAST, now: until });

    // Assert
    expect(draining).toEqual({ role: 'active' });
    expect(stopped).toEqual({ role: 'passive', activeRegion: WEST });
  });

  it('never has two regions active at one instant of a switch', () => {
    // Arrange: a failback west → east, and a third region that was never active
    const flag = toWest({ region: EAST, previous: WEST, epoch: 2 });
    const roles = (now: number) =>
      [EAST, WEST, 'eu-west-1'].map((region) => regionRole({ flag, region, homeRegion: WEST, now }).role);

    // Act
    const timeline = [T, flag.previousUntil ?? 0, flag.activeFrom - 1, flag.activeFrom].map(roles);

    // Assert
    expect(timeline).toEqual([
      ['pending', 'active', 'passive'],
      ['pending', 'passive', 'passive'],
      ['pending', 'passive', 'passive'],
      ['active', 'passive', 'passive'],
    ]);
  });

  it('makes the previous region passive at once when the switch left it no drain', () => {
    // Act
    const role = regionRole({
      flag: toWest({ activeFrom: T, previousUntil: undefined }),
      region: EAST,
      homeRegion: EAST,
      now: T - 60_000,
    });

    // Assert
    expect(role).toEqual({ role: 'passive', activeRegion: WEST });
  });

  it('sizes the handover guard as the send timeout plus the replication allowance', () => {
    // Assert
    expect(HANDOVER_GUARD_SECONDS).toBe(
      topology.stages.send.fn.timeoutSeconds + REPLICATION_ALLOWANCE_SECONDS,
    );
  });
});
