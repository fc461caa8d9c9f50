/** The SQS event source's maximum concurrency must lie in 2..1000. */
export const EVENT_SOURCE_CONCURRENCY = { min: 2, max: 1000 } as const;

/** Share of the send function's timeout a batch may spend sending (the rest is start-up and I/O). */
const SENDING_SHARE_OF_TIMEOUT = 0.5;

/** What {@link sendConcurrency} derives. */
export interface SendConcurrency {
  /** SQS event source maximum concurrency of the send stage. */
  readonly maxConcurrency: number;
  /** Sends per second each concurrent invocation may make so that all together respect the account rate. */
  readonly perInstanceRatePerSecond: number;
  /**
   * Records per send invocation: the stage's configured batch size, or fewer when the rate is so
   * low (an SES sandbox account at 1 email/s) that even the minimum concurrency could not send a
   * whole configured batch within its share of the timeout.
   */
  readonly batchSize: number;
}

/** Options of {@link sendConcurrency}. */
export interface SendConcurrencyOptions {
  /** SES account send rate, emails per second (CDK context `sesMaxSendRate`). */
  readonly maxSendRatePerSecond: number;
  /** The send stage's configured ceiling (`topology.stages.send.fn.maxConcurrency`). */
  readonly stageMaxConcurrency: number;
  /** Records per invocation (`topology.stages.send.batchSize`). */
  readonly batchSize: number;
  /** Send function timeout, seconds. */
  readonly timeoutSeconds: number;
}

/**
 * Bounds the send stage's concurrency so that SES's account send rate holds however many messages
 * wait: each concurrent invocation gets an equal share of the rate, and that share must still let
 * it send a whole batch within half its timeout. The result never exceeds the stage's configured
 * ceiling, so a handler that limits itself to `perInstanceRatePerSecond` stays within the account
 * rate. A rate too low for the minimum concurrency (2) with the configured batch lowers the batch
 * instead, so a sandbox account (1 email/s: 2 invocations of 7 emails at 0.5/s) still deploys.
 * @throws Error when the rate cannot give the minimum concurrency even one email per timeout share.
 */
export const sendConcurrency = (options: SendConcurrencyOptions): SendConcurrency => {
  const { maxSendRatePerSecond: rate, stageMaxConcurrency, batchSize, timeoutSeconds } = options;
  if (!(rate > 0)) throw new Error(`SES send rate must be positive, got ${rate} emails/s`);
  const sendingSeconds = timeoutSeconds * SENDING_SHARE_OF_TIMEOUT;
  const byRate = Math.floor(rate / (batchSize / sendingSeconds));
  const maxConcurrency = Math.min(stageMaxConcurrency, byRate, EVENT_SOURCE_CONCURRENCY.max);
  if (maxConcurrency >= EVENT_SOURCE_CONCURRENCY.min) {
    return { maxConcurrency, perInstanceRatePerSecond: rate / maxConcurrency, batchSize };
  }
  const perInstanceRatePerSecond = rate / EVENT_SOURCE_CONCURRENCY.min;
  const loweredBatch = Math.min(batchSize, Math.floor(perInstanceRatePerSecond * sendingSeconds));
  if (loweredBatch < 1) {
    throw new Error(
      `SES send rate ${rate} emails/s cannot serve ${EVENT_SOURCE_CONCURRENCY.min} concurrent send invocations ` +
        `of even 1 email within ${sendingSeconds} s each; raise the send function's timeout or the SES rate`,
    );
  }
  return { maxConcurrency: EVENT_SOURCE_CONCURRENCY.min, perInstanceRatePerSecond, batchSize: loweredBatch };
};
