import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SesAmbiguousError } from '#adapters/mailer/SesAmbiguousError';
import { SesMailer } from '#adapters/mailer/SesMailer';
import { awsClientDefaults } from '#shared/awsClientDefaults';
import { RetryableError } from '#shared/errors';
import { type LoopbackServer, readBody, startLoopbackServer } from '#test/standins/loopbackServer';

/** The configuration of every SESv2Client built, in order (the clients themselves are real). */
const built = vi.hoisted((): unknown[] => []);

const { recordingMock } = await vi.hoisted(() => import('#test/factories/recordingClient'));
vi.mock(import('@aws-sdk/client-sesv2'), recordingMock('SESv2Client', built));

/** How the loopback SES answers SendEmail. */
type Mode = 'server_error' | 'throttled' | 'drop_after_read' | 'accept';

const email = {
  from: 'releases@example.com',
  to: 'jane@example.org',
  subject: 'Billing 2.4 arrives tomorrow',
  html: '<p>Hi Jane</p>',
  text: 'Hi Jane',
  headers: {},
  tags: {},
};

describe('Class: SesMailer (default client)', () => {
  let server: LoopbackServer;
  let mode: Mode;
  let requests: number;

  beforeEach(async () => {
    mode = 'accept';
    requests = 0;
    // The SES v2 REST API of one SendEmail; the body is read whole first, as SES would.
    server = await startLoopbackServer(async (req, res) => {
      await readBody(req);
      requests += 1;
      if (mode === 'drop_after_read') {
        req.socket.destroy();
        return;
      }
      const [status, type, body] =
        mode === 'server_error'
          ? [500, 'InternalServiceErrorException', { message: 'internal failure' }]
          : mode === 'throttled'
            ? [429, 'TooManyRequestsException', { message: 'Too many requests' }]
            : [200, undefined, { MessageId: 'loopback-1' }];
      res.writeHead(status, {
        'content-type': 'application/json',
        ...(type ? { 'x-amzn-errortype': type } : {}),
      });
      res.end(JSON.stringify(body));
    });
    // The default client reads its endpoint, region and credentials from the environment.
    vi.stubEnv('AWS_ENDPOINT_URL', server.url);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  });

  afterEach(async () => {
    vi.unstubAllEnvs();
    await server.close();
  });

  it('builds its client with connection and request timeouts and no SDK retries', () => {
    // Arrange
    built.length = 0;

    // Act
    new SesMailer();

    // Assert
    expect(built).toEqual([{ ...awsClientDefaults(), maxAttempts: 1 }]);
  });

  it('sends through the default client to the configured endpoint', async () => {
    // Act
    const result = await new SesMailer().send(email);

    // Assert
    expect(result).toEqual({ messageId: 'loopback-1' });
    expect(requests).toBe(1);
  });

  it.each([
    {
      behaviour: 'on a 5xx, without SDK retries, and reports the outcome as ambiguous',
      answer: 'server_error',
      expected: SesAmbiguousError,
    },
    {
      behaviour: 'when the connection drops after the request was read',
      answer: 'drop_after_read',
      expected: SesAmbiguousError,
    },
    {
      behaviour: 'when throttled and reports it as retryable',
      answer: 'throttled',
      expected: RetryableError,
    },
  ] as const)('reaches SES once $behaviour', async ({ answer, expected }) => {
    // Arrange
    mode = answer;

    // Act
    const failure = await new SesMailer().send(email).catch((err: unknown) => err);

    // Assert
    expect(failure).toBeInstanceOf(expected);
    expect(requests).toBe(1);
  });
});
