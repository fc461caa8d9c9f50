import {
  DecryptionFailure,
  GetSecretValueCommand,
  InternalServiceError,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretMissingError } from '#adapters/secrets/errors';
import { SecretsManagerSecrets } from '#adapters/secrets/SecretsManagerSecrets';
import { ConfigError } from '#shared/config';
import { RetryableError } from '#shared/errors';

const NAME = 'herald-prod-jira-api-token';
const VALUE = 'not-a-real-token-0123456789';
const sm = mockClient(SecretsManagerClient);

const secrets = () =>
  new SecretsManagerSecrets({ client: new SecretsManagerClient({ region: 'us-east-1' }) });
const notFound = () =>
  new ResourceNotFoundException({
    message: "Secrets Manager can't find the specified secret.",
    $metadata: {},
  });

afterEach(() => {
  sm.reset();
});

describe('Function: SecretsManagerSecrets.get', () => {
  it('reads the secret string by its full name', async () => {
    // Arrange
    sm.on(GetSecretValueCommand).resolves({ Name: NAME, SecretString: VALUE });

    // Act
    const value = await secrets().get(NAME);

    // Assert
    expect(value).toBe(VALUE);
    expect(sm).toReceiveCommandWith(GetSecretValueCommand, { SecretId: NAME });
  });

  it('calls Secrets Manager once for repeated and concurrent reads of the same secret', async () => {
    // Arrange
    sm.on(GetSecretValueCommand).resolves({ Name: NAME, SecretString: VALUE });
    const port = secrets();

    // Act
    const [a, b] = await Promise.all([port.get(NAME), port.get(NAME)]);
    const c = await port.getOptional(NAME);

    // Assert
    expect([a, b, c]).toEqual([VALUE, VALUE, VALUE]);
    expect(sm).toReceiveCommandTimes(GetSecretValueCommand, 1);
  });

  it('caches each secret separately', async () => {
    // Arrange
    sm.on(GetSecretValueCommand, { SecretId: 'a' }).resolves({ SecretString: 'value-a' });
    sm.on(GetSecretValueCommand, { SecretId: 'b' }).resolves({ SecretString: 'value-b' });
    const port = secrets();

    // Act
    const values = [await port.get('a'), await port.get('b'), await port.get('a')];

    // Assert
    expect(values).toEqual(['value-a', 'value-b', 'value-a']);
    expect(sm).toReceiveCommandTimes(GetSecretValueCommand, 2);
  });

  it('names a missing secret in a ConfigError without any value', async () => {
    // Arrange
    sm.on(GetSecretValueCommand).rejects(notFound());

    // Act
    const result = secrets().get(NAME);

    // Assert
    await expect(result).rejects.toThrow(SecretMissingError);
    await expect(result).rejects.toThrow(ConfigError);
    await expect(result).rejects.toThrow(`secret ${NAME} is missing or empty`);
    await expect(result).rejects.toMatchObject({ secretName: NAME });
  });

  it('treats an empty secret as missing', async () => {
    // Arrange
    sm.on(GetSecretValueCommand).resolves({ Name: NAME, SecretString: '' });

    // Act
    const result = secrets().get(NAME);

    // Assert
    await expect(result).rejects.toThrow(SecretMissingError);
  });

  it('does not cache a failure: the next read calls again', async () => {
    // Arrange
    sm.on(GetSecretValueCommand)
      .rejectsOnce(new InternalServiceError({ message: 'oops', $metadata: { httpStatusCode: 500 } }))
      .rejectsOnce(notFound())
      .resolves({ SecretString: VALUE });
    const port = secrets();

    // Act
    const first = await port.get(NAME).catch((err: unknown) => err);
    const second = await port.getOptional(NAME);
    const third = await port.get(NAME);

    // Assert
    expect(first).toBeInstanceOf(RetryableError);
    expect(second).toBeUndefined();
    expect(third).toBe(VALUE);
    expect(sm).toReceiveCommandTimes(GetSecretValueCommand, 3);
  });

  it('rethrows an error it does not know', async () => {
    // Arrange
    const error = new DecryptionFailure({ message: 'KMS said no', $metadata: {} });
    sm.on(GetSecretValueCommand).rejects(error);

    // Act
    const result = secrets().get(NAME);

    // Assert
    await expect(result).rejects.toBe(error);
  });
});

describe('Function: SecretsManagerSecrets.getOptional', () => {
  it('resolves undefined for a missing secret', async () => {
    // Arrange
    sm.on(GetSecretValueCommand).rejects(notFound());

    // Act
    const value = await secrets().getOptional(NAME);

    // Assert
    expect(value).toBeUndefined();
  });

  it('resolves undefined for a secret with no string value', async () => {
    // Arrange
    sm.on(GetSecretValueCommand).resolves({ Name: NAME, SecretBinary: new Uint8Array([1, 2]) });

    // Act
    const value = await secrets().getOptional(NAME);

    // Assert
    expect(value).toBeUndefined();
  });
});
