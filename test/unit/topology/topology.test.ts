import { describe, expect, it } from 'vitest';
import {
  oldestMessageAgeSeconds,
  parseQueueName,
  QUEUE_ROLES,
  queueName,
  rescheduleRedriveMaxReceiveCount,
  resourceName,
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

  it('is the rescheduler attempts alone when the count restarts on the reschedule queue', () => {
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

describe('Constant: OUTAGE_LADDER', () => {
  it.each(['compose', 'send'] as const)(
    'lets %s ride out an afternoon-long outage: redeliveries back off to minutes, reschedules span at least 6 h',
    (stage) => {
      // Arrange
      const retry = topology.stages[stage].retry;
      const lastBackoffCeiling = Math.min(
        retry.backoffCapSeconds,
        retry.backoffBaseSeconds * 2 ** (retry.maxReceiveCount - 2),
      );

      // Act
      const rescheduledSeconds = retry.rescheduleDelaysSeconds.reduce((sum, s) => sum + s, 0);

      // Assert
      expect(lastBackoffCeiling).toBeGreaterThanOrEqual(120);
      expect(rescheduledSeconds).toBeGreaterThanOrEqual(6 * 3600);
      expect(retry.rescheduleDelaysSeconds.some((s) => s > 900)).toBe(true);
    },
  );
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

describe('Constant: topology (resources beyond the stages)', () => {
  it('names the two extra DLQs apart from every stage queue and not as stage queues', () => {
    // Arrange
    const stageQueues = STAGES.flatMap((stage) => QUEUE_ROLES.map((role) => queueName(stage, role, 'prod')));
    const extra = [topology.rule.deadLetterQueue, topology.feedback.deadLetterQueue].map((n) =>
      resourceName(n, 'prod'),
    );

    // Act
    const all = [...stageQueues, ...extra];

    // Assert
    expect(new Set(all).size).toBe(all.length);
    for (const name of extra) expect(parseQueueName(name, 'prod')).toBeUndefined();
  });

  it('keeps both EventBridge target retry policies within what EventBridge and Scheduler accept', () => {
    // Assert: 60..86,400 s of event age and 0..185 retries for rule and schedule targets alike.
    for (const retry of [topology.ruleTargetRetry, topology.scheduleTargetRetry]) {
      expect(retry.maximumEventAgeSeconds).toBeGreaterThanOrEqual(60);
      expect(retry.maximumEventAgeSeconds).toBeLessThanOrEqual(86_400);
      expect(retry.maximumRetryAttempts).toBeGreaterThanOrEqual(0);
      expect(retry.maximumRetryAttempts).toBeLessThanOrEqual(185);
    }
  });

  it('sizes the webhook and feedback functions within Lambda limits', () => {
    // Assert: Lambda allows 128..10,240 MiB and 1..900 s.
    for (const fn of [topology.webhook.fn, topology.feedback.fn]) {
      expect(fn.memoryMb).toBeGreaterThanOrEqual(128);
      expect(fn.memoryMb).toBeLessThanOrEqual(10_240);
      expect(fn.timeoutSeconds).toBeGreaterThanOrEqual(1);
      expect(fn.timeoutSeconds).toBeLessThanOrEqual(900);
    }
  });

  it('names the SES configuration set, feedback rule and alarm topic per environment', () => {
    // Act
    const names = [topology.ses.configurationSet, topology.feedback.rule, topology.alarmTopic].map((n) =>
      resourceName(n, 'prod'),
    );

    // Assert
    expect(names).toEqual(['herald-prod-email', 'herald-prod-ses-feedback', 'herald-prod-alarms']);
  });
});
