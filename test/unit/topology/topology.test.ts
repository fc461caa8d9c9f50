import { describe, expect, it } from 'vitest';
import {
  oldestMessageAgeSeconds,
  rescheduleRedriveMaxReceiveCount,
  retryOf,
  STAGES,
  topology,
} from '#topology/topology';

describe('Function: rescheduleRedriveMaxReceiveCount', () => {
  it('adds the main queue maxReceiveCount when the receive count carries over a redrive (moto)', () => {
    // Arrange
    const main = topology.stages.compose.retry.maxReceiveCount;

    // Act
    const count = rescheduleRedriveMaxReceiveCount('compose', { receiveCountCarriesOver: true });

    // Assert
    expect(count).toBe(main + topology.rescheduleQueue.maxReceiveCount);
    expect(count).toBe(10);
  });

  it('is the rescheduler attempts alone when the count restarts on the reschedule queue (AWS)', () => {
    // Act
    const counts = STAGES.map((stage) =>
      rescheduleRedriveMaxReceiveCount(stage, { receiveCountCarriesOver: false }),
    );

    // Assert
    expect(counts).toEqual(STAGES.map(() => topology.rescheduleQueue.maxReceiveCount));
    expect(topology.rescheduleQueue.maxReceiveCount).toBe(5);
  });
});

describe('Constant: topology.rescheduleQueue', () => {
  it('gives the reschedule queues 6 times the rescheduler timeout as visibility timeout', () => {
    // Assert
    expect(topology.rescheduleQueue.visibilityTimeoutSeconds).toBe(180);
    expect(topology.rescheduleQueue.visibilityTimeoutSeconds).toBe(
      topology.rescheduler.fn.timeoutSeconds * 6,
    );
  });
});

describe('Function: oldestMessageAgeSeconds', () => {
  it('allows maxReceiveCount receives of the longer of visibility timeout and backoff cap', () => {
    // Act
    const byVisibility = oldestMessageAgeSeconds({ maxReceiveCount: 5, backoffCapSeconds: 300 }, 720);
    const byBackoff = oldestMessageAgeSeconds({ maxReceiveCount: 5, backoffCapSeconds: 300 }, 180);

    // Assert
    expect(byVisibility).toBe(3600);
    expect(byBackoff).toBe(1500);
  });

  it('sets every stage alarm threshold from that stage retry and visibility settings', () => {
    // Act
    const thresholds = Object.fromEntries(
      STAGES.map((stage) => [stage, topology.stages[stage].alarms.oldestMessageAgeSeconds]),
    );

    // Assert
    expect(thresholds).toEqual({ ingest: 1500, enrich: 1800, schedule: 1800, compose: 3600, send: 1500 });
  });
});

describe('Function: retryOf', () => {
  it('returns the topology ladder unchanged for the standard profile', () => {
    expect(retryOf('compose')).toBe(topology.stages.compose.retry);
  });

  it('keeps the ladder shape but shrinks every wait for the fast profile', () => {
    const standard = topology.stages.compose.retry;

    const fast = retryOf('compose', 'fast');

    expect(fast.maxReceiveCount).toBe(standard.maxReceiveCount);
    expect(fast.rescheduleDelaysSeconds).toHaveLength(standard.rescheduleDelaysSeconds.length);
    expect(Math.max(...fast.rescheduleDelaysSeconds)).toBeLessThanOrEqual(
      standard.rescheduleDelaysSeconds.length,
    );
    expect(fast.backoffCapSeconds).toBeLessThan(standard.backoffCapSeconds);
  });
});
