/**
 * AWS settings of the local stack only. Nothing here is used in Lambda: the deployed functions
 * get their region and credentials from the Lambda environment.
 */

/** Region of the local stack when `AWS_REGION` is unset. */
export const LOCAL_AWS_REGION = 'us-east-1';

/**
 * Credentials the emulator accepts. moto and LocalStack do not check them, but the AWS SDK
 * refuses to sign a request without some; these are not secrets and reach no AWS account.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/** What an AWS SDK v3 client needs to talk to the emulator: `new SQSClient(localClientConfig(...))`. */
export interface LocalClientConfig {
  /** Emulator endpoint, e.g. `http://127.0.0.1:PORT`. */
  endpoint: string;
  /** AWS region. */
  region: string;
  /** Dummy credentials ({@link LOCAL_CREDENTIALS}). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The SDK's own retries of throttling/5xx answers; the emulator answers in milliseconds. */
  maxAttempts: number;
}

/**
 * Client configuration for the emulator at `endpoint`.
 * @param region default {@link LOCAL_AWS_REGION}; pass `loadConfig().AWS_REGION` so explicit
 *   clients and the handlers' default clients agree (ARNs and queue URLs carry the region).
 */
export const localClientConfig = (
  endpoint: string,
  region: string = LOCAL_AWS_REGION,
): LocalClientConfig => ({
  endpoint,
  region,
  credentials: { ...LOCAL_CREDENTIALS },
  maxAttempts: 3,
});

/**
 * Points every AWS SDK v3 client built later in this process at the emulator, so handlers wired
 * with production defaults (`new SQSClient({})`) talk to it: sets `AWS_ENDPOINT_URL` to
 * `endpoint`, and `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (`test`) and `AWS_REGION`
 * (`us-east-1`) only where they are unset. Call it only in the local stack (`npm start`, e2e
 * tests), never in a Lambda.
 * @param env environment to change; default `process.env`.
 */
export const applyLocalAwsEnv = (endpoint: string, env: NodeJS.ProcessEnv = process.env): void => {
  env.AWS_ENDPOINT_URL = endpoint;
  env.AWS_ACCESS_KEY_ID ||= LOCAL_CREDENTIALS.accessKeyId;
  env.AWS_SECRET_ACCESS_KEY ||= LOCAL_CREDENTIALS.secretAccessKey;
  env.AWS_REGION ||= LOCAL_AWS_REGION;
};
