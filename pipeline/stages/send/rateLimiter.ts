/** Paces calls to a rate. */
export interface RateLimiter {
  /** Resolves when the caller may make one call; callers are served in arrival order. */
  acquire(): Promise<void>;
}

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Sustained calls per second, > 0 (fractions allowed). */
  ratePerSecond: number;
  /** Calls allowed back to back after an idle spell, >= 1. Default `max(1, floor(ratePerSecond))`. */
  burst?: number;
  /** Clock, epoch milliseconds. Default `Date.now` (fake timers control it in tests). */
  now?: () => number;
  /** Waits `ms` milliseconds. Default a `setTimeout` promise. */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A token bucket for one process: `burst` tokens, refilled at `ratePerSecond`; each
 * {@link RateLimiter.acquire} takes one, waiting for it when the bucket is empty.
 *
 * It only sees its own process. The send stage divides SES's account rate
 * (`topology.ses.maxSendRatePerSecond`) by the send function's SQS maximum concurrency
 * (`topology.stages.send.fn.maxConcurrency`, which the CDK stack sets on the event source), so
 * the sum over every concurrent Lambda stays under the account rate.
 */
export const createRateLimiter = (options: RateLimiterOptions): RateLimiter => {
  const { ratePerSecond, now = Date.now, sleep = defaultSleep } = options;
  if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) {
    throw new RangeError(`ratePerSecond must be a positive number of calls per second, got ${ratePerSecond}`);
  }
  const burst = options.burst ?? Math.max(1, Math.floor(ratePerSecond));
  if (!(burst >= 1)) throw new RangeError(`burst must be at least 1 call, got ${burst}`);

  let tokens = burst;
  let last = now();
  // One waiter at a time: a FIFO chain, so concurrent records are served in order.
  let queue: Promise<void> = Promise.resolve();

  const take = async (): Promise<void> => {
    for (;;) {
      const t = now();
      tokens = Math.min(burst, tokens + ((t - last) * ratePerSecond) / 1000);
      last = t;
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - tokens) * 1000) / ratePerSecond));
    }
  };

  return {
    acquire: () => {
      const turn = queue.then(take);
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
};
