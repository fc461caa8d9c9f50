import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isRetryable } from '#retry/isRetryable';
import {
  MIN_ATTEMPT_BUDGET_MS,
  MIN_SAFETY_MARGIN_MS,
  OutOfTimeError,
  type RetryAttempt,
  safetyMarginMs,
  withRetry,
} from '#retry/withRetry';
import { PermanentError, RetryableError } from '#shared/errors';
import { memoryLogger } from '#test/factories/memoryLogger';

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

  it('gives up with the last error when the next attempt would not fit in the remaining time', async () => {
    // Arrange: 8 s left; after a 2 s wait and the 5 s margin, 1 s is less than the 2 s an attempt needs.
    const log = memoryLogger();
    const err = new RetryableError('429', { retryAfterSeconds: 2 });
    const { fn } = flaky(err);

    // Act
    const result = withRetry('ses.sendEmail', fn, { remainingTimeMs: () => 8_000, logger: log.logger });
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

    // Assert: t=0 (20 s left, 6+5+2 fits), t=6 (14 s left, fits), t=12 (8 s left, 6+5+2 does not).
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

/** A call that honours its attempt's signal: it never answers, and rejects when the signal aborts. */
const hangsUntilAborted = () => {
  const attempts: RetryAttempt[] = [];
  const abortedAt: number[] = [];
  const fn = vi.fn(
    (attempt: RetryAttempt) =>
      new Promise<string>((_, reject) => {
        attempts.push(attempt);
        attempt.signal.addEventListener('abort', () => {
          abortedAt.push(Date.now());
          reject(new RetryableError('call aborted', { cause: attempt.signal.reason }));
        });
      }),
  );
  return { fn, attempts, abortedAt };
};

describe('Function: withRetry (attempt deadlines)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse('2030-01-01T00:00:00Z') });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('aborts an attempt at the remaining time minus the safety margin', async () => {
    // Arrange: 20 s left counting down; the attempt may use 20 - 5 = 15 s.
    const start = Date.now();
    const deadline = start + 20_000;
    const log = memoryLogger();
    const { fn, attempts, abortedAt } = hangsUntilAborted();

    // Act
    const result = withRetry('openai.chat', fn, {
      remainingTimeMs: () => deadline - Date.now(),
      logger: log.logger,
    });
    const settled = expect(result).rejects.toMatchObject({ message: 'call aborted' });
    await vi.advanceTimersByTimeAsync(14_999);
    const abortedEarly = attempts[0]?.signal.aborted;
    await vi.runAllTimersAsync();

    // Assert: aborted at exactly 15 s with a TimeoutError reason; 5 s left is too little to retry.
    await settled;
    expect(abortedEarly).toBe(false);
    expect(attempts[0]?.deadlineMs).toBe(start + 15_000);
    expect(attempts[0]?.attemptNumber).toBe(1);
    expect(abortedAt).toEqual([start + 15_000]);
    expect(attempts[0]?.signal.reason).toMatchObject({ name: 'TimeoutError' });
    expect(isRetryable(attempts[0]?.signal.reason)).toBe(true);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(log.events('call_retry_abandoned')).toHaveLength(1);
  });

  it('caps an attempt at attemptTimeoutMs and gives the retry a fresh deadline', async () => {
    // Arrange
    const start = Date.now();
    const { fn, attempts, abortedAt } = hangsUntilAborted();

    // Act
    const result = withRetry('jira.get_version', fn, {
      remainingTimeMs: () => 600_000,
      attemptTimeoutMs: 3_000,
      retries: 1,
      minDelayMs: 100,
      maxDelayMs: 100,
    });
    const settled = expect(result).rejects.toMatchObject({ message: 'call aborted' });
    await vi.runAllTimersAsync();

    // Assert: two attempts of 3 s each, 100..200 ms apart (jittered backoff).
    await settled;
    expect(attempts.map((a) => a.attemptNumber)).toEqual([1, 2]);
    expect(abortedAt[0]).toBe(start + 3_000);
    expect(attempts[0]?.deadlineMs).toBe(start + 3_000);
    const second = attempts[1]?.deadlineMs ?? 0;
    expect(second - (abortedAt[0] ?? 0)).toBeGreaterThanOrEqual(3_100);
    expect(second - (abortedAt[0] ?? 0)).toBeLessThanOrEqual(3_200);
    expect(abortedAt[1]).toBe(second);
  });

  it('does not start a first attempt that would get less than the minimum budget', async () => {
    // Arrange: 6.9 s left minus the 5 s margin is 1.9 s, under the 2 s minimum.
    const log = memoryLogger();
    const { fn } = flaky();

    // Act
    const error = await withRetry('ses.send_email', fn, {
      remainingTimeMs: () => 6_900,
      logger: log.logger,
    }).catch((err: unknown) => err);

    // Assert
    expect(error).toBeInstanceOf(OutOfTimeError);
    expect(error).toBeInstanceOf(RetryableError);
    expect(error).toMatchObject({ call: 'ses.send_email', remainingMs: 6_900 });
    expect((error as Error).message).toMatch(/^out_of_time: /);
    expect(isRetryable(error)).toBe(true);
    expect(fn).not.toHaveBeenCalled();
    expect(log.events('call_out_of_time')).toEqual([
      expect.objectContaining({ call: 'ses.send_email', attempt: 1, remainingMs: 6_900 }),
    ]);
  });

  it('starts an attempt that gets exactly the minimum budget', async () => {
    // Arrange: 7 s left minus the 5 s margin is exactly 2 s.
    const { fn } = flaky();

    // Act
    const result = withRetry('x', fn, {
      remainingTimeMs: () => MIN_SAFETY_MARGIN_MS + MIN_ATTEMPT_BUDGET_MS,
    });

    // Assert
    await expect(result).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('rethrows the last error instead of starting a retry when the time ran out during the wait', async () => {
    // Arrange: plenty of time when the retry is decided, 3 s when it would start.
    const log = memoryLogger();
    const err = new RetryableError('503');
    const { fn } = flaky(err);
    const remaining = [60_000, 60_000, 3_000];

    // Act
    const result = withRetry('x', fn, {
      remainingTimeMs: () => remaining.shift() ?? 0,
      logger: log.logger,
    });
    const settled = expect(result).rejects.toBe(err);
    await vi.runAllTimersAsync();

    // Assert
    await settled;
    expect(fn).toHaveBeenCalledTimes(1);
    expect(log.events('call_retry')).toHaveLength(1);
    expect(log.events('call_out_of_time')).toEqual([expect.objectContaining({ attempt: 2 })]);
  });

  it('leaves no deadline timer behind once an attempt settles', async () => {
    // Arrange
    const { fn } = flaky(new RetryableError('503'));

    // Act
    const result = withRetry('x', fn, { remainingTimeMs: plentyOfTime });
    await vi.runAllTimersAsync();

    // Assert
    await expect(result).resolves.toBe('ok');
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('Function: safetyMarginMs', () => {
  it('is 5 s or 10% of the remaining time, whichever is larger', () => {
    expect(safetyMarginMs(10_000)).toBe(5_000);
    expect(safetyMarginMs(120_000)).toBe(12_000);
  });
});
