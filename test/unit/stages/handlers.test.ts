import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JiraCloudOptions } from '#adapters/jira/JiraCloud';
import type { CreateLoggerOptions } from '#shared/logger';
import { lambdaContext, sqsEvent, sqsRecord } from '#test/factories/lambda';
import { queueName, type StageName } from '#topology/topology';

const captured = vi.hoisted(() => ({ lines: [] as string[], jira: [] as unknown[] }));

// Every handler's root logger writes here instead of stdout.
vi.mock('#shared/logger', async (importOriginal) => {
  const actual = await importOriginal<typeof import('#shared/logger')>();
  const { Writable } = await import('node:stream');
  // pino writes each line with one write() call.
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      captured.lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return {
    ...actual,
    createLogger: (options: CreateLoggerOptions = {}) =>
      actual.createLogger({ ...options, level: 'info', destination }),
  };
});

// Records the options each handler builds its Jira client with.
vi.mock('#adapters/jira/JiraCloud', () => ({
  JiraCloud: class {
    constructor(options: JiraCloudOptions) {
      captured.jira.push(options);
    }
  },
}));

const sqs = mockClient(SQSClient);
const secrets = mockClient(SecretsManagerClient);
const documents = mockClient(DynamoDBDocumentClient);

const ENV: Record<string, string> = {
  HERALD_ENV: '',
  LOG_LEVEL: 'info',
  JIRA_SITE_URL: 'https://jira.example.com',
  JIRA_EMAIL: 'bot@example.com',
  JIRA_TIMEOUT_MS: '4500',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/herald-scheduler',
  SENDER_EMAIL: 'releases@example.com',
  UNSUBSCRIBE_BASE_URL: 'https://hooks.example.com/unsubscribe',
};

const HANDLERS: Record<StageName, () => Promise<{ handler: unknown }>> = {
  ingest: () => import('#stages/ingest/handler'),
  enrich: () => import('#stages/enrich/handler'),
  schedule: () => import('#stages/schedule/handler'),
  compose: () => import('#stages/compose/handler'),
  send: () => import('#stages/send/handler'),
};

type SqsHandler = (
  event: ReturnType<typeof sqsEvent>,
  context: ReturnType<typeof lambdaContext>,
) => Promise<unknown>;

/** Runs one record whose body is no envelope through a stage's handler (it is dead-lettered). */
const runBadRecord = async (stage: StageName): Promise<void> => {
  const { handler } = await HANDLERS[stage]();
  await (handler as SqsHandler)(
    sqsEvent(sqsRecord({ body: 'not json', queueName: queueName(stage) })),
    lambdaContext(30_000),
  );
};

/** The log lines as written (raw JSON text), and parsed. */
const logLines = () =>
  captured.lines.map((raw) => ({ raw, line: JSON.parse(raw) as Record<string, unknown> }));

beforeEach(() => {
  vi.resetModules();
  captured.lines.length = 0;
  captured.jira.length = 0;
  for (const [name, value] of Object.entries(ENV)) vi.stubEnv(name, value);
  sqs.on(GetQueueUrlCommand).callsFake((input: { QueueName: string }) => ({
    QueueUrl: `https://sqs.us-east-1.amazonaws.com/123456789012/${input.QueueName}`,
  }));
  sqs.on(GetQueueAttributesCommand).callsFake((input: { QueueUrl: string }) => ({
    Attributes: { QueueArn: `arn:aws:sqs:us-east-1:123456789012:${input.QueueUrl.split('/').at(-1)}` },
  }));
  sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({
    Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: '' })),
    Failed: [],
  }));
  sqs.on(DeleteMessageCommand).resolves({});
  secrets.on(GetSecretValueCommand).resolves({ SecretString: 'secret-value' });
  // No active-region record: the home region (AWS_REGION unless HERALD_HOME_REGION) is active.
  documents.on(GetCommand).resolves({});
  secrets
    .on(GetSecretValueCommand, { SecretId: 'herald-openai-api-key' })
    .rejects(new ResourceNotFoundException({ message: 'no such secret', $metadata: {} }));
});

afterEach(() => {
  sqs.reset();
  secrets.reset();
  documents.reset();
  vi.unstubAllEnvs();
});

describe('Function: handler (every queue stage)', () => {
  it.each(['ingest', 'enrich', 'schedule', 'compose', 'send'] as const)(
    'logs the %s stage name once per line',
    async (stage) => {
      // Act
      await runBadRecord(stage);

      // Assert
      const lines = logLines();
      expect(lines.map((l) => l.line.msg)).toContain('record_dead_lettered');
      for (const { raw, line } of lines) {
        expect(raw.match(/"stage":/g) ?? []).toHaveLength(1);
        expect(line.stage).toBe(stage);
      }
    },
  );

  it('logs a missing LLM key once, with the compose stage', async () => {
    // Act
    await runBadRecord('compose');

    // Assert
    const warnings = logLines().filter((l) => l.line.msg === 'llm_not_configured');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.line.stage).toBe('compose');
  });

  it.each(['enrich', 'compose'] as const)('builds the %s Jira client with JIRA_TIMEOUT_MS', async (stage) => {
    // Act
    await runBadRecord(stage);

    // Assert
    expect(captured.jira).toEqual([
      expect.objectContaining({
        siteUrl: 'https://jira.example.com',
        apiToken: 'secret-value',
        timeoutMs: 4500,
      }),
    ]);
  });
});

describe('Function: handler (compose and send in a passive region)', () => {
  beforeEach(() => {
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('HERALD_HOME_REGION', 'us-west-2');
  });

  it('reads the active region from the ledger table and skips a compose job before reading it', async () => {
    // Act
    await runBadRecord('compose');

    // Assert
    const messages = logLines().map((l) => l.line.msg);
    expect(messages).toContain('compose_skipped_region_passive');
    expect(messages).not.toContain('record_dead_lettered');
    expect(documents).toHaveReceivedCommandWith(GetCommand, {
      TableName: 'herald-ledger',
      Key: { pk: 'deployment#active-region' },
      ConsistentRead: true,
    });
  });

  it('dead-letters a send job with reason region_passive', async () => {
    // Act
    await runBadRecord('send');

    // Assert
    const dead = logLines().filter((l) => l.line.msg === 'record_dead_lettered');
    expect(dead).toHaveLength(1);
    expect(JSON.stringify(dead[0]?.line)).toContain('region_passive');
  });
});
