/** Default {@link AwsClientTimeouts.connectionTimeoutMs}: TCP + TLS to a regional endpoint, ms. */
export const DEFAULT_AWS_CONNECTION_TIMEOUT_MS = 3_000;

/**
 * Default {@link AwsClientTimeouts.requestTimeoutMs}, ms. The data-plane calls the adapters make
 * (SQS, DynamoDB, EventBridge, Scheduler, Secrets Manager, SES SendEmail) answer in tens of
 * milliseconds; 10 s means the service is in trouble, and a retry or the redelivery ladder does
 * better than waiting on.
 */
export const DEFAULT_AWS_REQUEST_TIMEOUT_MS = 10_000;

/** Timeouts of {@link awsClientDefaults}. */
export interface AwsClientTimeouts {
  /** Longest wait for the connection, ms. Default {@link DEFAULT_AWS_CONNECTION_TIMEOUT_MS}. */
  connectionTimeoutMs?: number;
  /**
   * Longest request, from sending it to the last byte of the answer (connection included), ms.
   * Default {@link DEFAULT_AWS_REQUEST_TIMEOUT_MS}.
   */
  requestTimeoutMs?: number;
}

/**
 * The part of an AWS SDK v3 client configuration {@link awsClientDefaults} sets: the
 * NodeHttpHandler options (`@smithy/node-http-handler`) the SDK builds its handler from.
 */
export interface AwsClientDefaults {
  requestHandler: {
    /** Milliseconds; the handler destroys the request and rejects with a `TimeoutError`. */
    connectionTimeout: number;
    /** Milliseconds; see `throwOnRequestTimeout`. */
    requestTimeout: number;
    /**
     * Without it, smithy's handler only logs a warning when `requestTimeout` passes (that
     * setting was long a socket idle timeout) and the request hangs on.
     */
    throwOnRequestTimeout: true;
  };
}

/**
 * Configuration every adapter's production AWS client starts from
 * (`new SQSClient({ ...awsClientDefaults() })`): a connection and a whole-request timeout, so no
 * AWS call hangs until the Lambda is killed (which would lose the batch's partial-failure
 * report). A timeout rejects with a `TimeoutError`, which the SDK's own retry strategy retries
 * (up to `maxAttempts`, default 3, so a call takes at most about `maxAttempts` × the request
 * timeout) and `isRetryable` accepts. SDK v3 clients take these options in place of a handler.
 */
export const awsClientDefaults = (timeouts: AwsClientTimeouts = {}): AwsClientDefaults => ({
  requestHandler: {
    connectionTimeout: timeouts.connectionTimeoutMs ?? DEFAULT_AWS_CONNECTION_TIMEOUT_MS,
    requestTimeout: timeouts.requestTimeoutMs ?? DEFAULT_AWS_REQUEST_TIMEOUT_MS,
    throwOnRequestTimeout: true,
  },
});
