import { describe, expect, it, vi } from 'vitest';
import { SqsQueue } from '#adapters/queue/SqsQueue';
import { awsClientDefaults } from '#shared/awsClientDefaults';

/** The configuration of every SQSClient built, in order. */
const built = vi.hoisted((): unknown[] => []);

vi.mock(import('@aws-sdk/client-sqs'), async (importOriginal) => {
  const sdk = await importOriginal();
  class RecordingSQSClient extends sdk.SQSClient {
    constructor(...args: ConstructorParameters<typeof sdk.SQSClient>) {
      super(...args);
      built.push(args[0]);
    }
  }
  return { ...sdk, SQSClient: RecordingSQSClient };
});

describe('Class: SqsQueue (default client)', () => {
  it('builds its SQS client with connection and request timeouts', () => {
    // Act
    new SqsQueue();

    // Assert
    expect(built).toEqual([awsClientDefaults()]);
  });
});
