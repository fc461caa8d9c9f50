import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRetryable } from '#retry/isRetryable';
import {
  awsClientDefaults,
  DEFAULT_AWS_CONNECTION_TIMEOUT_MS,
  DEFAULT_AWS_REQUEST_TIMEOUT_MS,
} from '#shared/awsClientDefaults';
import { type LoopbackServer, readBody, startLoopbackServer } from '#test/standins/loopbackServer';

describe('Function: awsClientDefaults', () => {
  let server: LoopbackServer;
  let requests: number;

  beforeEach(async () => {
    requests = 0;
    // An AWS endpoint that reads the request and never answers.
    server = await startLoopbackServer(async (req) => {
      await readBody(req);
      requests += 1;
      await new Promise<void>((resolve) => server.signal.addEventListener('abort', () => resolve()));
    });
  });

  afterEach(async () => {
    await server.close();
  });

  it('sets a 3 s connection timeout and a 10 s request timeout that throws', () => {
    // Act
    const defaults = awsClientDefaults();

    // Assert
    expect(DEFAULT_AWS_CONNECTION_TIMEOUT_MS).toBe(3_000);
    expect(DEFAULT_AWS_REQUEST_TIMEOUT_MS).toBe(10_000);
    expect(defaults).toEqual({
      requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true },
    });
  });

  it('takes other timeouts', () => {
    expect(awsClientDefaults({ connectionTimeoutMs: 500, requestTimeoutMs: 2_000 })).toEqual({
      requestHandler: { connectionTimeout: 500, requestTimeout: 2_000, throwOnRequestTimeout: true },
    });
  });

  it('makes an SDK client give up on a hung request with a retryable TimeoutError', async () => {
    // Arrange
    const client = new SQSClient({
      ...awsClientDefaults({ requestTimeoutMs: 300 }),
      maxAttempts: 1,
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const started = performance.now();

    // Act
    const error = await client
      .send(new GetQueueUrlCommand({ QueueName: 'herald-compose' }))
      .catch((err: unknown) => err);

    // Assert
    const elapsed = performance.now() - started;
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(isRetryable(error)).toBe(true);
    expect(requests).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(3_000);
    client.destroy();
  });
});
