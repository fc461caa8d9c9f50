import { CreateQueueCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { connectOrStart, ensureInstalled, startEmulator } from '#local/Emulator';
import { EmulatorError } from '#local/errors';
import { applyLocalAwsEnv, localClientConfig } from '#local/localAwsConfig';
import { e2eEndpoint } from './support.ts';

describe('Function: ensureInstalled', () => {
  it('does nothing when the pinned moto is already in .venv', async () => {
    // Arrange: globalSetup installed it.
    const lines: string[] = [];

    // Act
    const installation = await ensureInstalled({ print: (line) => lines.push(line) });

    // Assert
    expect(installation).toMatchObject({ installed: false, installMs: 0, version: '5.2.5' });
    expect(installation.motoServer).toMatch(/\.venv\/bin\/moto_server$/);
    expect(lines).toEqual([]);
  });
});

describe('Function: startEmulator', () => {
  it('starts moto on a free loopback port, resets it, and stops it', async () => {
    // Arrange
    const emulator = await startEmulator({ print: () => undefined });
    const sqs = new SQSClient(localClientConfig(emulator.endpoint));
    try {
      await sqs.send(new CreateQueueCommand({ QueueName: 'emulator-test' }));
      const before = await sqs.send(new ListQueuesCommand({}));

      // Act
      await emulator.reset();
      const after = await sqs.send(new ListQueuesCommand({}));
      await emulator.stop();

      // Assert
      expect(emulator.kind).toBe('moto');
      expect(emulator.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(emulator.endpoint).not.toBe(e2eEndpoint());
      expect(before.QueueUrls).toHaveLength(1);
      expect(after.QueueUrls ?? []).toEqual([]);
      await expect(fetch(`${emulator.endpoint}/moto-api/`)).rejects.toThrow();
    } finally {
      sqs.destroy();
      await emulator.stop();
    }
  });
});

describe('Function: connectOrStart', () => {
  it('uses the emulator at AWS_ENDPOINT_URL instead of starting one', async () => {
    // Act
    const emulator = await connectOrStart({
      whenNoEndpoint: 'fail',
      env: { AWS_ENDPOINT_URL: e2eEndpoint() },
    });
    await emulator.stop();

    // Assert: stop() left the shared emulator running.
    expect(emulator).toMatchObject({ kind: 'external', endpoint: e2eEndpoint() });
    expect((await fetch(`${e2eEndpoint()}/moto-api/`)).ok).toBe(true);
  });

  it('refuses to go on without an emulator when told not to start one', async () => {
    // Act
    const connecting = connectOrStart({ whenNoEndpoint: 'fail', env: {} });

    // Assert
    await expect(connecting).rejects.toThrow(EmulatorError);
    await expect(connecting).rejects.toThrow(/no emulator/);
  });

  it('refuses an endpoint on AWS', async () => {
    // Act
    const connecting = connectOrStart({
      whenNoEndpoint: 'start-moto',
      endpoint: 'https://sqs.us-east-1.amazonaws.com',
    });

    // Assert
    await expect(connecting).rejects.toThrow(/points at AWS/);
  });

  it('fails clearly when nothing answers at the endpoint', async () => {
    // Act
    const connecting = connectOrStart({ whenNoEndpoint: 'fail', endpoint: 'http://127.0.0.1:1' });

    // Assert
    await expect(connecting).rejects.toThrow(/nothing answers at AWS_ENDPOINT_URL http:\/\/127\.0\.0\.1:1/);
  });
});

describe('Function: applyLocalAwsEnv', () => {
  it('points clients built with production defaults at the emulator and keeps a region already set', async () => {
    // Arrange
    const env: NodeJS.ProcessEnv = { AWS_REGION: 'eu-central-1' };
    const saved = { ...process.env };

    // Act
    applyLocalAwsEnv(e2eEndpoint(), env);
    Object.assign(process.env, env);
    const sqs = new SQSClient({});
    try {
      await sqs.send(new CreateQueueCommand({ QueueName: 'default-client-test' }));
      const { QueueUrls = [] } = await sqs.send(
        new ListQueuesCommand({ QueueNamePrefix: 'default-client-test' }),
      );

      // Assert
      expect(env).toEqual({
        AWS_ENDPOINT_URL: e2eEndpoint(),
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'eu-central-1',
      });
      expect(QueueUrls).toHaveLength(1);
      expect(QueueUrls[0]).toContain('default-client-test');
    } finally {
      sqs.destroy();
      for (const key of Object.keys(env)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});
