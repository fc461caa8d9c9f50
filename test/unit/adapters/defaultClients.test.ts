import { describe, expect, it, vi } from 'vitest';
import { defaultDocumentClient } from '#adapters/directory/defaultDocumentClient';
import { EventBridgeBus } from '#adapters/events/EventBridgeBus';
import { SqsQueue } from '#adapters/queue/SqsQueue';
import { SecretsManagerSecrets } from '#adapters/secrets/SecretsManagerSecrets';
import { awsClientDefaults } from '#shared/awsClientDefaults';

/** The configuration of every SDK client built, per client class, in order. */
const built = vi.hoisted(() => ({
  DynamoDBClient: [] as unknown[],
  EventBridgeClient: [] as unknown[],
  SQSClient: [] as unknown[],
  SecretsManagerClient: [] as unknown[],
}));

vi.mock(import('@aws-sdk/client-dynamodb'), async (importOriginal) => {
  const [sdk, { recordingClient }] = await Promise.all([
    importOriginal(),
    import('#test/factories/recordingClient'),
  ]);
  return { ...sdk, DynamoDBClient: recordingClient(sdk.DynamoDBClient, built.DynamoDBClient) };
});
vi.mock(import('@aws-sdk/client-eventbridge'), async (importOriginal) => {
  const [sdk, { recordingClient }] = await Promise.all([
    importOriginal(),
    import('#test/factories/recordingClient'),
  ]);
  return { ...sdk, EventBridgeClient: recordingClient(sdk.EventBridgeClient, built.EventBridgeClient) };
});
vi.mock(import('@aws-sdk/client-sqs'), async (importOriginal) => {
  const [sdk, { recordingClient }] = await Promise.all([
    importOriginal(),
    import('#test/factories/recordingClient'),
  ]);
  return { ...sdk, SQSClient: recordingClient(sdk.SQSClient, built.SQSClient) };
});
vi.mock(import('@aws-sdk/client-secrets-manager'), async (importOriginal) => {
  const [sdk, { recordingClient }] = await Promise.all([
    importOriginal(),
    import('#test/factories/recordingClient'),
  ]);
  return {
    ...sdk,
    SecretsManagerClient: recordingClient(sdk.SecretsManagerClient, built.SecretsManagerClient),
  };
});

describe('Adapters: default SDK clients', () => {
  it.each([
    {
      adapter: 'defaultDocumentClient',
      client: 'DynamoDBClient',
      build: () => defaultDocumentClient(),
    },
    {
      adapter: 'EventBridgeBus',
      client: 'EventBridgeClient',
      build: () => new EventBridgeBus({ busName: 'herald-test-bus' }),
    },
    { adapter: 'SqsQueue', client: 'SQSClient', build: () => new SqsQueue() },
    {
      adapter: 'SecretsManagerSecrets',
      client: 'SecretsManagerClient',
      build: () => new SecretsManagerSecrets(),
    },
  ] as const)('$adapter builds its $client with connection and request timeouts', ({ client, build }) => {
    // Act
    build();

    // Assert
    expect(built[client]).toEqual([awsClientDefaults()]);
  });
});
