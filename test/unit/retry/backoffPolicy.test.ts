import { describe, expect, it } from 'vitest';
import { ContractError } from '#contracts/errors';
import {
  backoffSeconds,
  decide,
  decideReschedule,
  failureReason,
  MAX_VISIBILITY_TIMEOUT_SECONDS,
  type RetryDecision,
} from '#retry/backoffPolicy';
import { ConfigError } from '#shared/config';
import { PermanentError, RetryableError } from '#shared/errors';
import { type RetryTopology, STAGES, topology } from '#topology/topology';

const ladder: RetryTopology = {
  maxReceiveCount: 5,
  backoffBaseSeconds: 2,
  backoffCapSeconds: 300,
  rescheduleDelaysSeconds: [300, 900, 3600],
};

const throttled = new RetryableError('throttled');
const permanent = new PermanentError('invalid_payload', 'no version id');
const top = () => 0.999_999;
const bottom = () => 0;

describe('Function: decide', () => {
  // [receiveCount, reschedules, error, random, expected]
  const table: Array<[number, number, unknown, () => number, RetryDecision]> = [
    // Retryable, every receive below the maximum: full jitter in [0, 2·2^(n−1)].
    [1, 0, throttled, top, { action: 'retry', visibilityTimeoutSeconds: 2 }],
    [2, 0, throttled, top, { action: 'retry', visibilityTimeoutSeconds: 4 }],
    [3, 0, throttled, top, { action: 'retry', visibilityTimeoutSeconds: 8 }],
    [4, 0, throttled, top, { action: 'retry', visibilityTimeoutSeconds: 16 }],
    [1, 0, throttled, bottom, { action: 'retry', visibilityTimeoutSeconds: 0 }],
    [4, 0, throttled, bottom, { action: 'retry', visibilityTimeoutSeconds: 0 }],
    [3, 2, throttled, () => 0.5, { action: 'retry', visibilityTimeoutSeconds: 4 }],
    // The last receive: forward to the reschedule queue while reschedules remain.
    [5, 0, throttled, top, { action: 'reschedule', reason: 'max_receives:5' }],
    [5, 1, throttled, top, { action: 'reschedule', reason: 'max_receives:5' }],
    [5, 2, throttled, top, { action: 'reschedule', reason: 'max_receives:5' }],
    [7, 0, throttled, top, { action: 'reschedule', reason: 'max_receives:7' }],
    // Every reschedule used up: dead, no pointless hop through the rescheduler.
    [5, 3, throttled, top, { action: 'dead', reason: 'retries_exhausted' }],
    [6, 4, throttled, top, { action: 'dead', reason: 'retries_exhausted' }],
    // Permanent at any receive count and reschedule index: dead at once.
    [1, 0, permanent, top, { action: 'dead', reason: 'permanent:invalid_payload' }],
    [3, 1, permanent, top, { action: 'dead', reason: 'permanent:invalid_payload' }],
    [5, 0, permanent, top, { action: 'dead', reason: 'permanent:invalid_payload' }],
    [5, 3, permanent, top, { action: 'dead', reason: 'permanent:invalid_payload' }],
    [
      1,
      0,
      new ContractError('envelope', ['v: must be 1']),
      top,
      { action: 'dead', reason: 'contract:envelope' },
    ],
    [2, 0, new ConfigError('missing'), top, { action: 'dead', reason: 'config' }],
    [1, 0, new TypeError('x is undefined'), top, { action: 'dead', reason: 'not_retryable:type_error' }],
    [
      1,
      0,
      Object.assign(new Error('gone'), { name: 'NotFoundError', status: 404 }),
      top,
      { action: 'dead', reason: 'http_404:not_found_error' },
    ],
  ];

  it.each(table)(
    'receive %i, reschedules %i, %s → expected decision',
    (receiveCount, reschedules, error, random, expected) => {
      // Act
      const decision = decide({ receiveCount, reschedules, error, retry: ladder, random });

      // Assert
      expect(decision).toEqual(expected);
    },
  );

  it('keeps the jitter within [0, min(cap, base·2^(n−1))] for every receive and many draws', () => {
    for (let receiveCount = 1; receiveCount < ladder.maxReceiveCount; receiveCount++) {
      const ceiling = Math.min(ladder.backoffCapSeconds, ladder.backoffBaseSeconds * 2 ** (receiveCount - 1));
      const seen = new Set<number>();
      for (let i = 0; i < 1000; i++) {
        const r = i / 1000;
        const decision = decide({
          receiveCount,
          reschedules: 0,
          error: throttled,
          retry: ladder,
          random: () => r,
        });
        expect(decision.action).toBe('retry');
        const seconds = (decision as { visibilityTimeoutSeconds: number }).visibilityTimeoutSeconds;
        expect(Number.isInteger(seconds)).toBe(true);
        expect(seconds).toBeGreaterThanOrEqual(0);
        expect(seconds).toBeLessThanOrEqual(ceiling);
        seen.add(seconds);
      }
      // Full jitter reaches both ends of the range.
      expect(seen.has(0)).toBe(true);
      expect(seen.has(ceiling)).toBe(true);
    }
  });

  it('caps the backoff at backoffCapSeconds and never overflows on a long ladder', () => {
    const long: RetryTopology = { ...ladder, maxReceiveCount: 2000, backoffCapSeconds: 120 };
    expect(
      decide({ receiveCount: 1500, reschedules: 0, error: throttled, retry: long, random: top }),
    ).toEqual({
      action: 'retry',
      visibilityTimeoutSeconds: 120,
    });
  });

  it('never retries sooner than the Retry-After the error names', () => {
    const slow = new RetryableError('429', { retryAfterSeconds: 30 });
    expect(decide({ receiveCount: 1, reschedules: 0, error: slow, retry: ladder, random: bottom })).toEqual({
      action: 'retry',
      visibilityTimeoutSeconds: 30,
    });
  });

  it('rounds a fractional Retry-After up to the next whole second', () => {
    const slow = new RetryableError('429', { retryAfterSeconds: 1.2 });
    expect(decide({ receiveCount: 1, reschedules: 0, error: slow, retry: ladder, random: bottom })).toEqual({
      action: 'retry',
      visibilityTimeoutSeconds: 2,
    });
  });

  it('keeps the larger backoff when Retry-After is shorter', () => {
    const slow = new RetryableError('429', { retryAfterSeconds: 1 });
    expect(decide({ receiveCount: 4, reschedules: 0, error: slow, retry: ladder, random: top })).toEqual({
      action: 'retry',
      visibilityTimeoutSeconds: 16,
    });
  });

  it('clamps a huge Retry-After to the 12-hour visibility maximum', () => {
    const slow = new RetryableError('429', { retryAfterSeconds: 100_000 });
    expect(decide({ receiveCount: 1, reschedules: 0, error: slow, retry: ladder, random: bottom })).toEqual({
      action: 'retry',
      visibilityTimeoutSeconds: MAX_VISIBILITY_TIMEOUT_SECONDS,
    });
  });

  it('reads an HTTP-date Retry-After against the injected clock', () => {
    const nowMs = Date.parse('2030-01-01T00:00:00Z');
    const err = Object.assign(new Error('busy'), {
      status: 503,
      headers: { 'retry-after': 'Tue, 01 Jan 2030 00:01:00 GMT' },
    });
    expect(
      decide({ receiveCount: 1, reschedules: 0, error: err, retry: ladder, random: bottom, nowMs }),
    ).toEqual({
      action: 'retry',
      visibilityTimeoutSeconds: 60,
    });
  });

  it.each(STAGES)('walks the whole configured ladder of stage %s to the DLQ', (stage) => {
    // Arrange
    const retry = topology.stages[stage].retry;
    const actions: string[] = [];

    // Act: every receive of every pass through the main queue, then one more pass.
    for (let reschedules = 0; reschedules <= retry.rescheduleDelaysSeconds.length; reschedules++) {
      for (let receiveCount = 1; receiveCount <= retry.maxReceiveCount; receiveCount++) {
        actions.push(decide({ receiveCount, reschedules, error: throttled, retry, random: top }).action);
      }
    }

    // Assert
    const pass = [...Array(retry.maxReceiveCount - 1).fill('retry')];
    const expected = retry.rescheduleDelaysSeconds
      .flatMap(() => [...pass, 'reschedule'])
      .concat([...pass, 'dead']);
    expect(actions).toEqual(expected);
  });
});

describe('Function: decideReschedule', () => {
  it.each([
    [0, { action: 'reschedule', delaySeconds: 300, via: 'sqs' }],
    [1, { action: 'reschedule', delaySeconds: 900, via: 'sqs' }],
    [2, { action: 'reschedule', delaySeconds: 3600, via: 'scheduler' }],
    [3, { action: 'dead', reason: 'retries_exhausted' }],
    [10, { action: 'dead', reason: 'retries_exhausted' }],
  ])('decides reschedule index %i', (reschedules, expected) => {
    expect(decideReschedule({ reschedules, retry: ladder })).toEqual(expected);
  });

  it('is dead at once for a ladder with no reschedules', () => {
    expect(decideReschedule({ reschedules: 0, retry: { ...ladder, rescheduleDelaysSeconds: [] } })).toEqual({
      action: 'dead',
      reason: 'retries_exhausted',
    });
  });
});

describe('Function: backoffSeconds', () => {
  it('treats a receive count below 1 as the first receive', () => {
    expect(backoffSeconds(0, ladder, top)).toBe(2);
  });
});

describe('Function: failureReason', () => {
  it('names a thrown non-error by its type', () => {
    expect(failureReason('boom')).toBe('not_retryable:string');
  });
});
