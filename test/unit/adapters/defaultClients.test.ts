import { describe, expect, it, vi } from 'vitest';
import { defaultDocumentClient } from '#adapters/directory/defaultDocumentClient';
import { EventBridgeBus } from '#adapters/events/EventBridgeBus';
import { SqsQueue } from '#adapters/queue/SqsQueue';
import { SecretsManagerSecrets } from '#adapters/secrets/SecretsManagerSecrets';
import { awsClientDefaults } from '#shared/awsClientDefaults';

/** The configuration of every SDK client built, per SDK, in order. */
const built = vi.hoisted(() => ({
  dynamodb: [] as unknown[],
  eventbridge: [] as unknown[],
  sqs: [] as unknown[],
  secrets: [] as unknown[],
}));
const { recordingMock } = await vi.hoisted(() => import('#test/factories/recordingClient'));

vi.mock(import('@aws-sdk/client-dynamodb'), recordingMock('DynamoDBClient', built.dynamodb));
vi.mock(import('@aws-sdk/client-eventbridge'), recordingMock('EventBridgeClient', built.eventbridge));
vi.mock(import('@aws-sdk/client-sqs'), recordingMock('SQSClient', built.sqs));
vi.mock(import('@aws-sdk/client-secrets-manager'), recordingMock('SecretsManagerClient', built.secrets));

describe('Adapters: default SDK clients', () => {
  it.each([
    {
      adapter: 'defaultDocumentClient',
      client: 'DynamoDBClient',
      sdk: 'dynamodb',
      build: () => defaultDocumentClient(),
    },
    {
      adapter: 'EventBridgeBus',
      client: 'EventBridgeClient',
      sdk: 'eventbridge',
      build: () => new EventBridgeBus({ busName: 'herald-test-bus' }),
    },
    { adapter: 'SqsQueue', client: 'SQSClient', sdk: 'sqs', build: () => new SqsQueue() },
    {
      adapter: 'SecretsManagerSecrets',
      client: 'SecretsManagerClient',
      sdk: 'secrets',
      build: () => new SecretsManagerSecrets(),
    },
  ] as const)('$adapter builds its $client with connection and request timeouts', ({ sdk, build }) => {
    // Act
    build();

    // Assert
    expect(built[sdk]).toEqual([awsClientDefaults()]);
  });
});
