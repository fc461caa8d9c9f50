import { describe, expect, it, vi } from 'vitest';
import { EventBridgeBus } from '#adapters/events/EventBridgeBus';
import { awsClientDefaults } from '#shared/awsClientDefaults';

/** The configuration of every EventBridgeClient built, in order. */
const built = vi.hoisted((): unknown[] => []);

vi.mock(import('@aws-sdk/client-eventbridge'), async (importOriginal) => {
  const sdk = await importOriginal();
  class RecordingEventBridgeClient extends sdk.EventBridgeClient {
    constructor(...args: ConstructorParameters<typeof sdk.EventBridgeClient>) {
      super(...args);
      built.push(args[0]);
    }
  }
  return { ...sdk, EventBridgeClient: RecordingEventBridgeClient };
});

describe('Class: EventBridgeBus (default client)', () => {
  it('builds its EventBridge client with connection and request timeouts', () => {
    // Act
    new EventBridgeBus({ busName: 'herald-test-bus' });

    // Assert
    expect(built).toEqual([awsClientDefaults()]);
  });
});
