import { describe, expect, it, vi } from 'vitest';
import { defaultDocumentClient } from '#adapters/directory/defaultDocumentClient';
import { awsClientDefaults } from '#shared/awsClientDefaults';

/** The configuration of every DynamoDBClient built, in order. */
const built = vi.hoisted((): unknown[] => []);

vi.mock(import('@aws-sdk/client-dynamodb'), async (importOriginal) => {
  const sdk = await importOriginal();
  class RecordingDynamoDBClient extends sdk.DynamoDBClient {
    constructor(...args: ConstructorParameters<typeof sdk.DynamoDBClient>) {
      super(...args);
      built.push(args[0]);
    }
  }
  return { ...sdk, DynamoDBClient: RecordingDynamoDBClient };
});

describe('Function: defaultDocumentClient', () => {
  it('builds its DynamoDB client with connection and request timeouts', () => {
    // Act
    defaultDocumentClient();

    // Assert
    expect(built).toEqual([awsClientDefaults()]);
  });
});
