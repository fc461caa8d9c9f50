import { randomBytes } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { inject } from 'vitest';
import { type BootstrapResult, bootstrap } from '#local/bootstrap';
import { type LocalClientConfig, localClientConfig } from '#local/localAwsConfig';
import { silentLogger } from '#shared/logger';

/** Visible, in-flight and delayed message counts of a queue (the CLI's reading). */
export { queueDepth } from '#ops/sqs/queueDepth';

/** Endpoint of the emulator the e2e run shares (see test/e2e/globalSetup.ts). */
export const e2eEndpoint = (): string => inject('awsEndpoint');

/** AWS SDK client configuration for the shared emulator. */
export const e2eClientConfig = (): LocalClientConfig => localClientConfig(e2eEndpoint());

/**
 * A fresh environment name (`HERALD_ENV`) so that each suite's resources are its own on the
 * shared emulator: `<label>-<6 hex>`, at most 20 characters.
 */
export const uniqueEnv = (label: string): string => `${label.slice(0, 13)}-${randomBytes(3).toString('hex')}`;

/** Bootstraps the stack of `env` on the shared emulator with only a webhook secret, logging nothing. */
export const bootstrapWebhookStack = (env: string): Promise<BootstrapResult> =>
  bootstrap({
    endpoint: e2eEndpoint(),
    env,
    senderEmail: 'releases@example.com',
    secrets: { webhook: 'webhook-secret' },
    logger: silentLogger(),
  });

/** Polls `probe` until it returns something other than undefined, or throws after `timeoutMs`. */
export const waitFor = async <T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 10_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};

/** Receives whatever is visible now (one short poll of up to 10), with every attribute. */
export const receiveNow = async (
  sqs: SQSClient,
  queueUrl: string,
  visibilityTimeout = 30,
): Promise<Message[]> => {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
      VisibilityTimeout: visibilityTimeout,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
  );
  return Messages;
};

/** Receives and deletes everything visible now; resolves with the bodies, in no particular order. */
export const drain = async (sqs: SQSClient, queueUrl: string): Promise<string[]> => {
  const bodies: string[] = [];
  for (;;) {
    const messages = await receiveNow(sqs, queueUrl);
    if (messages.length === 0) return bodies;
    bodies.push(...messages.map((m) => m.Body ?? ''));
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
};
