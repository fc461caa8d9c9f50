import { describe, expect, it, vi } from 'vitest';
import { SecretsManagerSecrets } from '#adapters/secrets/SecretsManagerSecrets';
import { awsClientDefaults } from '#shared/awsClientDefaults';

/** The configuration of every SecretsManagerClient built, in order. */
const built = vi.hoisted((): unknown[] => []);

vi.mock(import('@aws-sdk/client-secrets-manager'), async (importOriginal) => {
  const sdk = await importOriginal();
  class RecordingSecretsManagerClient extends sdk.SecretsManagerClient {
    constructor(...args: ConstructorParameters<typeof sdk.SecretsManagerClient>) {
      super(...args);
      built.push(args[0]);
    }
  }
  return { ...sdk, SecretsManagerClient: RecordingSecretsManagerClient };
});

describe('Class: SecretsManagerSecrets (default client)', () => {
  it('builds its Secrets Manager client with connection and request timeouts', () => {
    // Act
    new SecretsManagerSecrets();

    // Assert
    expect(built).toEqual([awsClientDefaults()]);
  });
});
