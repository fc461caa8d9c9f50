import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRateLimiter } from '#stages/send/rateLimiter';

/** Starts `n` acquisitions and records, for each, the fake time at which it resolved. */
const acquireAll = (limiter: ReturnType<typeof createRateLimiter>, n: number, start: number): number[] => {
  const resolvedAt: number[] = [];
  for (let i = 0; i < n; i += 1) {
    void limiter.acquire().then(() => {
      resolvedAt[i] = Date.now() - start;
    });
  }
  return resolvedAt;
};

describe('Function: createRateLimiter', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-12-14T08:00:00.000Z') });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets a burst through at once, then paces calls at the rate', async () => {
    // Arrange
    const start = Date.now();
    const limiter = createRateLimiter({ ratePerSecond: 4, burst: 2 });

    // Act
    const resolvedAt = acquireAll(limiter, 5, start);
    await vi.advanceTimersByTimeAsync(2_000);

    // Assert: two at once, then one every 250 ms.
    expect(resolvedAt).toEqual([0, 0, 250, 500, 750]);
  });

  it('keeps the sustained rate under the limit', async () => {
    // Arrange: SES's 14/s shared by two concurrent functions.
    const start = Date.now();
    const limiter = createRateLimiter({ ratePerSecond: 14 / 2 });

    // Act
    const resolvedAt = acquireAll(limiter, 21, start);
    await vi.advanceTimersByTimeAsync(5_000);

    // Assert: a burst of 7, then 14 more over two seconds, never more than 7 in any second after.
    expect(resolvedAt).toHaveLength(21);
    expect(resolvedAt.filter((t) => t === 0)).toHaveLength(7);
    expect(resolvedAt.at(-1)).toBeGreaterThanOrEqual(2_000);
    for (let from = 1; from < 2_000; from += 50) {
      expect(resolvedAt.filter((t) => t >= from && t < from + 1_000).length).toBeLessThanOrEqual(7);
    }
  });

  it('serves callers in arrival order', async () => {
    // Arrange
    const limiter = createRateLimiter({ ratePerSecond: 10, burst: 1 });
    const order: number[] = [];

    // Act
    for (let i = 0; i < 4; i += 1) void limiter.acquire().then(() => order.push(i));
    await vi.advanceTimersByTimeAsync(1_000);

    // Assert
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it('does not let an idle spell save up more than the burst', async () => {
    // Arrange
    const start = Date.now();
    const limiter = createRateLimiter({ ratePerSecond: 2, burst: 1 });
    await limiter.acquire();
    await vi.advanceTimersByTimeAsync(60_000);

    // Act
    const resolvedAt = acquireAll(limiter, 3, start + 60_000);
    await vi.advanceTimersByTimeAsync(2_000);

    // Assert
    expect(resolvedAt).toEqual([0, 500, 1_000]);
  });

  it('waits for a call not yet due rather than resolving it', async () => {
    // Arrange
    const limiter = createRateLimiter({ ratePerSecond: 1, burst: 1 });
    await limiter.acquire();
    let second = false;
    void limiter.acquire().then(() => {
      second = true;
    });

    // Act / Assert
    await vi.advanceTimersByTimeAsync(999);
    expect(second).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(second).toBe(true);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects a rate of %s per second',
    (ratePerSecond) => {
      expect(() => createRateLimiter({ ratePerSecond })).toThrow(RangeError);
    },
  );

  it('rejects a burst below one call', () => {
    expect(() => createRateLimiter({ ratePerSecond: 5, burst: 0.5 })).toThrow(RangeError);
  });
});
