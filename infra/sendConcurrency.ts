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
}

/** Options of {@link sendConcurrency}. */
export interface SendConcurrencyOptions {
  /** SES account send rate, emails per second (`topology.ses.maxSendRatePerSecond`). */
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
 * ceiling, so a handler that limits itself to `rate / stageMaxConcurrency` per process stays within
 * the account rate too.
 * @throws Error when the rate cannot give even the minimum concurrency (2) a batch per timeout.
 */
export const sendConcurrency = (options: SendConcurrencyOptions): SendConcurrency => {
  const { maxSendRatePerSecond: rate, stageMaxConcurrency, batchSize, timeoutSeconds } = options;
  if (!(rate > 0)) throw new Error(`SES send rate must be positive, got ${rate} emails/s`);
  const minimumInstanceRate = batchSize / (timeoutSeconds * SENDING_SHARE_OF_TIMEOUT);
  const byRate = Math.floor(rate / minimumInstanceRate);
  const maxConcurrency = Math.min(stageMaxConcurrency, byRate, EVENT_SOURCE_CONCURRENCY.max);
  if (maxConcurrency < EVENT_SOURCE_CONCURRENCY.min) {
    throw new Error(
      `SES send rate ${rate} emails/s cannot serve ${EVENT_SOURCE_CONCURRENCY.min} concurrent send invocations ` +
        `of ${batchSize} emails within ${timeoutSeconds * SENDING_SHARE_OF_TIMEOUT} s each (stage ceiling ` +
        `${stageMaxConcurrency}); lower the send batch size, raise its timeout or the SES rate`,
    );
  }
  return { maxConcurrency, perInstanceRatePerSecond: rate / maxConcurrency };
};
