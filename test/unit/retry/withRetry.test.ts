import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { safetyMarginMs, withRetry } from '#retry/withRetry';
import { PermanentError, RetryableError } from '#shared/errors';
import { memoryLogger } from './fakes.ts';

/** A function failing with each of `errors` in turn, then resolving `'ok'`; records call times. */
const flaky = (...errors: unknown[]) => {
  const calls: number[] = [];
  const fn = vi.fn(async () => {
    calls.push(Date.now());
    const next = errors.shift();
    if (next !== undefined) throw next;
    return 'ok';
  });
  return { fn, calls };
};

const plentyOfTime = () => 60_000;

describe('Function: withRetry', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse('2030-01-01T00:00:00Z') });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries retryable errors until the call succeeds and logs each retry', async () => {
    // Arrange
    const log = memoryLogger();
    const { fn } = flaky(
      new RetryableError('503'),
      Object.assign(new Error('reset'), { code: 'ECONNRESET' }),
    );

    // Act
    const result = withRetry('jira.getVersion', fn, { remainingTimeMs: plentyOfTime, logger: log.logger });
    await vi.runAllTimersAsync();

    // Assert
    await expect(result).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(3);
    const retries = log.events('call_retry');
    expect(retries.map((l) => l.attempt)).toEqual([1, 2]);
    expect(retries.every((l) => l.call === 'jira.getVersion' && typeof l.waitMs === 'number')).toBe(true);
  });

  it('does not retry a permanent error', async () => {
    // Arrange
    const err = new PermanentError('not_found', 'version 10001 is gone');
    const { fn } = flaky(err);

    // Act
    const result = withRetry('jira.getVersion', fn, { remainingTimeMs: plentyOfTime });
    const settled = expect(result).rejects.toBe(err);
    await vi.runAllTimersAsync();

    // Assert
    await settled;
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('does not retry an unknown error', async () => {
    const err = new Error('bug');
    const { fn } = flaky(err);

    const result = withRetry('x', fn, { remainingTimeMs: plentyOfTime });
    const settled = expect(result).rejects.toBe(err);
    await vi.runAllTimersAsync();

    await settled;
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('waits at least the Retry-After the error names', async () => {
    // Arrange
    const { fn, calls } = flaky(new RetryableError('429', { retryAfterSeconds: 3 }));

    // Act
    const result = withRetry('openai.responses', fn, { remainingTimeMs: plentyOfTime, minDelayMs: 100 });
    await vi.advanceTimersByTimeAsync(2_999);
    const callsBeforeRetryAfter = fn.mock.calls.length;
    await vi.advanceTimersByTimeAsync(1);
    await vi.runAllTimersAsync();

    // Assert
    await expect(result).resolves.toBe('ok');
    expect(callsBeforeRetryAfter).toBe(1);
    expect(calls).toHaveLength(2);
    expect((calls[1] ?? 0) - (calls[0] ?? 0)).toBe(3_000);
  });

  it('uses its own backoff when it is longer than Retry-After', async () => {
    const { fn, calls } = flaky(new RetryableError('429', { retryAfterSeconds: 0.05 }));

    const result = withRetry('x', fn, { remainingTimeMs: plentyOfTime, minDelayMs: 1_000 });
    await vi.runAllTimersAsync();

    await expect(result).resolves.toBe('ok');
    // randomize multiplies the 1000 ms first delay by 1..2.
    const waited = (calls[1] ?? 0) - (calls[0] ?? 0);
    expect(waited).toBeGreaterThanOrEqual(1_000);
    expect(waited).toBeLessThanOrEqual(2_000);
  });

  it('gives up with the last error when the next wait would not fit in the remaining time', async () => {
    // Arrange: 6 s left; a 2 s wait plus the 5 s margin does not fit.
    const log = memoryLogger();
    const err = new RetryableError('429', { retryAfterSeconds: 2 });
    const { fn } = flaky(err);

    // Act
    const result = withRetry('ses.sendEmail', fn, { remainingTimeMs: () => 6_000, logger: log.logger });
    const settled = expect(result).rejects.toBe(err);
    await vi.runAllTimersAsync();

    // Assert
    await settled;
    expect(fn).toHaveBeenCalledTimes(1);
    expect(log.events('call_retry_abandoned')).toHaveLength(1);
    expect(log.events('call_retry')).toHaveLength(0);
  });

  it('keeps retrying while time remains, then stops as the deadline nears', async () => {
    // Arrange: 20 s budget counting down with the (fake) clock; every failure asks for 6 s.
    const deadline = Date.now() + 20_000;
    const errors = Array.from(
      { length: 10 },
      (_, i) => new RetryableError(`429 #${i}`, { retryAfterSeconds: 6 }),
    );
    const { fn } = flaky(...errors);

    // Act
    const result = withRetry('x', fn, { remainingTimeMs: () => deadline - Date.now(), retries: 10 });
    const settled = expect(result).rejects.toBe(errors[2]);
    await vi.runAllTimersAsync();

    // Assert: t=0 (20 s left, 6+5 fits), t=6 (14 s left, fits), t=12 (8 s left, 6+5 does not).
    await settled;
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('stops after `retries` retries and rethrows the last error', async () => {
    const errors = [new RetryableError('a'), new RetryableError('b'), new RetryableError('c')];
    const { fn } = flaky(...errors);

    const result = withRetry('x', fn, { remainingTimeMs: plentyOfTime, retries: 2 });
    const settled = expect(result).rejects.toBe(errors[2]);
    await vi.runAllTimersAsync();

    await settled;
    expect(fn).toHaveBeenCalledTimes(3);
  });
});

describe('Function: safetyMarginMs', () => {
  it('is 5 s or 10% of the remaining time, whichever is larger', () => {
    expect(safetyMarginMs(10_000)).toBe(5_000);
    expect(safetyMarginMs(120_000)).toBe(12_000);
  });
});
