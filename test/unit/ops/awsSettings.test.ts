import { describe, expect, it } from 'vitest';
import { awsClientConfig, isLoopbackUrl, resolveAwsSettings } from '#ops/cli/awsSettings';
import { UsageError } from '#ops/cli/errors';

const noEnv = { region: undefined, profile: undefined, endpoint: undefined, hasAccessKey: false };

describe('Function: resolveAwsSettings', () => {
  it('lets flags win over the environment', () => {
    // Act
    const settings = resolveAwsSettings(
      { region: 'eu-central-1', profile: 'ops', endpoint: 'https://sqs.example.com' },
      { region: 'us-west-2', profile: 'default', endpoint: 'http://127.0.0.1:1', hasAccessKey: false },
    );

    // Assert
    expect(settings).toEqual({
      region: 'eu-central-1',
      profile: 'ops',
      endpoint: 'https://sqs.example.com',
      credentials: undefined,
    });
  });

  it('defaults the region to us-east-1 without a profile, and leaves it to the profile with one', () => {
    expect(resolveAwsSettings({}, noEnv).region).toBe('us-east-1');
    expect(resolveAwsSettings({}, { ...noEnv, profile: 'ops' }).region).toBeUndefined();
    expect(resolveAwsSettings({}, { ...noEnv, region: 'ap-southeast-2' }).region).toBe('ap-southeast-2');
  });

  it('gives an emulator on loopback dummy credentials unless a profile or an access key is set', () => {
    expect(resolveAwsSettings({ endpoint: 'http://127.0.0.1:5000' }, noEnv).credentials).toEqual({
      accessKeyId: 'test',
      secretAccessKey: 'test',
    });
    expect(
      resolveAwsSettings({ endpoint: 'http://127.0.0.1:5000', profile: 'ops' }, noEnv).credentials,
    ).toBeUndefined();
    expect(
      resolveAwsSettings({ endpoint: 'http://localhost:4566' }, { ...noEnv, hasAccessKey: true }).credentials,
    ).toBeUndefined();
    expect(resolveAwsSettings({ endpoint: 'https://sqs.example.com' }, noEnv).credentials).toBeUndefined();
  });

  it.each([
    [{ region: 'Frankfurt' }, 'region "Frankfurt" is not an AWS region name'],
    [{ endpoint: 'localhost:5000' }, 'must be an http or https URL'],
    [{ endpoint: 'not a url' }, 'is not a URL'],
  ])('rejects %j with a UsageError', (flags, message) => {
    expect(() => resolveAwsSettings(flags, noEnv)).toThrow(UsageError);
    expect(() => resolveAwsSettings(flags, noEnv)).toThrow(message);
  });
});

describe('Function: awsClientConfig', () => {
  it('passes only what is set', () => {
    expect(
      awsClientConfig({
        region: 'us-east-1',
        profile: undefined,
        endpoint: undefined,
        credentials: undefined,
      }),
    ).toEqual({
      region: 'us-east-1',
    });
  });
});

describe('Function: isLoopbackUrl', () => {
  it.each([
    ['http://127.0.0.1:5000', true],
    ['http://localhost:4566/', true],
    ['http://[::1]:5000', true],
    ['https://sqs.us-east-1.amazonaws.com', false],
    ['nonsense', false],
  ])('%s → %s', (url, loopback) => {
    expect(isLoopbackUrl(url)).toBe(loopback);
  });
});
